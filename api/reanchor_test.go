package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// draftV2 moves the budgets paragraph to the end, rewords the forum paragraph
// slightly and deletes the procurement paragraph.
const draftV2 = `# Open data

A forum of residents and officials will meet quarterly to review the progress made on each commitment.

- Every dataset gets a named contact person.

Progress reports will be published twice a year.

The city will publish all council budgets as open data every month, starting in March.
`

func TestNewVersionReanchorsComments(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v1 := env.latest(t, doc)
	budgets, forum, procurement := v1.keyOf(t, "council budgets"), v1.keyOf(t, "A forum"), v1.keyOf(t, "Procurement")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)

	phrase := func(text, exact string) string {
		i := strings.Index(text, exact)
		return fmt.Sprintf(`{"exact":%q,"start":%d,"end":%d}`, exact, i, i+len(exact))
	}
	whole := env.comment(t, alice, doc, commentBody(budgets, 1, "Monthly is right.", ""))
	onPhrase := env.comment(t, alice, doc, commentBody(budgets, 1, "Which licence?", phrase(v1.textOf(budgets), "open data")))
	onDeleted := env.comment(t, bob, doc, commentBody(procurement, 1, "Why ten thousand?", phrase(v1.textOf(procurement), "above ten thousand euros")))
	onEdited := env.comment(t, bob, doc, commentBody(forum, 1, "Quarterly is too rare.", ""))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", onDeleted.ID), alice, `{"body":"Agreed, explain the threshold."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	mailBefore := countRows(t, env, "outbox", "kind = 'paragraph_changed'")

	v2 := env.publishVersion(t, doc, draftV2)
	require.Equal(t, 2, v2.Number)
	require.Equal(t, budgets, v2.keyOf(t, "council budgets"), "same text keeps its key")
	require.Equal(t, forum, v2.keyOf(t, "A forum"), "edited text keeps its key")

	get := func(id int64) commentJSON {
		var c commentJSON
		found := false
		for _, key := range []string{budgets, forum} {
			for _, x := range env.thread(t, doc, key, "").Items {
				if x.ID == id {
					c, found = x, true
				}
			}
		}
		if !found {
			rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/orphaned-comments", doc), "", "")
			var p pageJSON
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			for _, x := range p.Items {
				if x.ID == id {
					c, found = x, true
				}
			}
		}
		require.True(t, found, "comment %d is nowhere", id)
		return c
	}
	w := get(whole.ID)
	require.Equal(t, "moved", w.Anchor.Status)
	require.Equal(t, 2, w.Anchor.Version)
	require.Equal(t, 1, w.Version, "a comment links to the version it was written on")

	p := get(onPhrase.ID)
	require.Equal(t, "moved", p.Anchor.Status)
	require.Equal(t, "open data", string([]rune(v2.textOf(budgets))[*p.Anchor.Start:*p.Anchor.End]))

	e := get(onEdited.ID)
	require.Equal(t, "fuzzy", e.Anchor.Status)
	require.Less(t, e.Anchor.Confidence, 1.0)
	require.GreaterOrEqual(t, e.Anchor.Confidence, 0.75)

	d := get(onDeleted.ID)
	require.Equal(t, "orphaned", d.Anchor.Status)
	require.Nil(t, d.Anchor.Key)
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/orphaned-comments", doc), "", "")
	var orphans pageJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &orphans))
	require.Len(t, orphans.Items, 2, "the orphaned comment and its reply")
	require.Contains(t, rec.Body.String(), "Procurement contracts above ten thousand euros", "shown with the text it was written on")

	v := env.latest(t, doc)
	require.Equal(t, 2, v.OrphanedCount)
	for _, b := range v.Blocks {
		switch b.Key {
		case budgets:
			require.Equal(t, 2, b.Counts.Comments)
		case forum:
			require.Equal(t, 1, b.Counts.Comments)
		default:
			require.Equal(t, 0, b.Counts.Comments)
		}
	}

	// Commenters whose paragraph changed hear about it, once each, with the diff.
	require.Equal(t, mailBefore+1, countRows(t, env, "outbox", "kind = 'paragraph_changed'"), "bob only: alice's paragraph kept its text")
	var body string
	require.NoError(t, env.DB.Raw("SELECT body FROM outbox WHERE kind = 'paragraph_changed' AND recipient = 'bob@example.org'").Scan(&body).Error)
	require.Contains(t, body, "removed in this version: Procurement contracts")
	require.Contains(t, body, "review {+the +}progress")

	// Comments go to the latest version only.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/comments", doc), alice, commentBody(budgets, 1, "On the old text", ""))
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "comment.version_superseded", code)

	// The public diff, paragraph by paragraph.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/diff?from=1&to=2", doc), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var diff struct {
		Paragraphs []struct {
			Key, Change string
			Ops         []struct{ Op, Text string }
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &diff))
	changes := map[string]string{}
	for _, p := range diff.Paragraphs {
		changes[p.Key] = p.Change
	}
	require.Equal(t, "deleted", changes[procurement])
	require.Equal(t, "edited", changes[forum])
	require.Contains(t, []string{"same", "moved"}, changes[budgets])
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/diff?from=1", doc), "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

// webAnnotationSchemas compiles the W3C test suite's schemas, or skips.
func webAnnotationSchemas(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "fixtures", "web-annotation")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skipf("the W3C Web Annotation schemas are not in %s (they live beside the project, not in it)", dir)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		require.NoError(t, err)
		require.NoError(t, c.AddResource("file:///wa/"+filepath.Base(f), doc))
	}
	return c
}

func mustPass(t *testing.T, c *jsonschema.Compiler, inst any, refs ...string) {
	t.Helper()
	for _, ref := range refs {
		s, err := c.Compile("file:///wa/" + ref)
		require.NoError(t, err, ref)
		require.NoError(t, s.Validate(inst), "%s", ref)
	}
}

func TestAnnotationsExport(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v := env.latest(t, doc)
	budgets := v.keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	text := v.textOf(budgets)
	i := strings.Index(text, "open data")
	c1 := env.comment(t, alice, doc, commentBody(budgets, 1, "=HYPERLINK(\"http://evil\") Which licence?", fmt.Sprintf(`{"exact":"open data","start":%d,"end":%d}`, i, i+9)))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", c1.ID), alice, `{"body":"CC BY, I hope."}`)
	require.Equal(t, http.StatusCreated, rec.Code)
	gone := env.comment(t, alice, doc, commentBody(budgets, 1, "Deleted later", ""))
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", gone.ID), alice, "").Code)

	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations", doc), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Content-Type"), "application/ld+json")
	out := rec.Body.String()
	require.NotContains(t, out, "alice", "no names or addresses in open data")
	require.NotContains(t, out, "Deleted later")

	var coll struct {
		Total int `json:"total"`
		First struct {
			Items []map[string]any `json:"items"`
		} `json:"first"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &coll))
	require.Equal(t, 2, coll.Total)
	require.Len(t, coll.First.Items, 2)

	c := webAnnotationSchemas(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	require.NoError(t, err)
	mustPass(t, c, inst,
		"collections.json#/definitions/annotationCollectionTypeValueFound", "collections.json#/definitions/labelFound",
		"collections.json#/definitions/totalFound", "collections.json#/definitions/firstRequiredIfTotalMoreThanZero",
		"collections.json#/definitions/firstValidIfPresent", "id.json#/definitions/idValueFound")
	page := inst.(map[string]any)["first"]
	mustPass(t, c, page, "collections.json#/definitions/annotationPageTypeValueFound", "collections.json#/definitions/itemsFound",
		"collections.json#/definitions/startIndexFound", "collections.json#/definitions/partOfValidIfPresent")
	// Every annotation passes the suite's checks for annotations: its musts and
	// every "valid if present" rule of every schema file.
	optional := func(files ...string) []string {
		var refs []string
		for _, f := range files {
			raw, err := os.ReadFile(filepath.Join("..", "..", "shared", "fixtures", "web-annotation", f))
			require.NoError(t, err)
			var s struct{ Definitions map[string]any }
			require.NoError(t, json.Unmarshal(raw, &s))
			for name := range s.Definitions {
				if strings.HasPrefix(name, "resourceType") {
					continue // about external web resources (images, videos, ...), which we never emit
				}
				if strings.HasSuffix(name, "ValidIfPresent") || strings.HasSuffix(name, "RecognizedIfPresent") || strings.HasSuffix(name, "SingularIfPresent") {
					refs = append(refs, f+"#/definitions/"+name)
				}
			}
		}
		require.NotEmpty(t, refs)
		return refs
	}
	onAnnotation := optional("annotations.json", "otherProperties.json")
	onResource := optional("bodyTarget.json", "specificResource.json")
	for _, item := range page.(map[string]any)["items"].([]any) {
		a := item.(map[string]any)
		mustPass(t, c, a, "annotations.json#/definitions/annotationTypeValueFound", "id.json#/definitions/idValueFound",
			"annotations.json#/definitions/motivationPropertyFound", "otherProperties.json#/definitions/creatorPropertyFound")
		mustPass(t, c, a["@context"], "annotations.json#/definitions/contextValueFound")
		mustPass(t, c, a["target"], "bodyTarget.json#/definitions/targetResourcesFound")
		mustPass(t, c, a["body"], "bodyTarget.json#/definitions/bodyResourcesFound")
		mustPass(t, c, a, onAnnotation...)
		mustPass(t, c, a["body"], onResource...)
		if target, ok := a["target"].(map[string]any); ok {
			mustPass(t, c, target, onResource...)
		}
	}
	target := coll.First.Items[0]["target"].(map[string]any)
	selectors := target["selector"].([]any)
	mustPass(t, c, selectors[0], "specificResource.json#/definitions/textQuoteSelectorDetected")
	mustPass(t, c, selectors[1], "specificResource.json#/definitions/textPositionSelectorDetected")
	require.Equal(t, "open data", selectors[0].(map[string]any)["exact"])

	// CSV: same comments, formulas defused.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations?format=csv", doc), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.Equal(t, "comment_id", rows[0][0])
	require.True(t, strings.HasPrefix(rows[1][len(rows[1])-1], "'="), rows[1])
	require.True(t, strings.HasPrefix(rows[1][11], "urn:cocreate:participant:"))
	require.NotContains(t, rec.Body.String(), "alice")
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations?format=xml", doc), "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

// The "paragraph changed" e-mail names the paragraph by its section and first
// words, links to it in the new version, and says truly where each comment
// went: never that a comment stayed when it moved or was orphaned (issue 15,
// items 2 and 10).
func TestParagraphChangedMailSaysWhereCommentsWent(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v1 := env.latest(t, doc)
	forum, procurement := v1.keyOf(t, "A forum"), v1.keyOf(t, "Procurement")
	bob := makeUser(t, env, "bob@example.org", false)
	i := strings.Index(v1.textOf(procurement), "above ten thousand euros")
	env.comment(t, bob, doc, commentBody(procurement, 1, "Why ten thousand?",
		fmt.Sprintf(`{"exact":"above ten thousand euros","start":%d,"end":%d}`, i, i+len("above ten thousand euros"))))
	env.comment(t, bob, doc, commentBody(forum, 1, "Quarterly is too rare.", ""))

	env.publishVersion(t, doc, draftV2)
	var body string
	require.NoError(t, env.DB.Raw("SELECT body FROM outbox WHERE kind = 'paragraph_changed' AND recipient = 'bob@example.org'").Scan(&body).Error)
	require.NotContains(t, body, "Paragraph "+procurement, "no internal keys")
	require.NotContains(t, body, "stay linked", "no blanket claim that comments stayed")
	require.Contains(t, body, `The paragraph "Procurement contracts above ten thousand euros`)
	require.Contains(t, body, `The paragraph "A forum of residents and officials will meet quarterly`)
	require.Contains(t, body, "could not be placed in the new text")
	require.Contains(t, body, fmt.Sprintf("stays on this paragraph, whose words changed: check it still fits: http://127.0.0.1:8080/documents/%d/v/2#p-%s", doc, forum))
}
