package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/forum"
)

// TestResponseCoversAreUniqueAndBounded: a response names each thing it
// covers once (the same cover twice is refused, 422 on covers, not stored
// again and again), at most forum.MaxCovers of them, and its reasoning at
// most forum.MaxReasoningChars characters; a draft's edit is held to the
// same. Nothing is stored by a refused request.
func TestResponseCoversAreUniqueAndBounded(t *testing.T) {
	f := newForumEnv(t, "")
	idea := func(id int64) string { return fmt.Sprintf(`{"kind":"idea","id":%d}`, id) }
	body := func(reasoning string, covers ...string) string {
		r, _ := json.Marshal(reasoning)
		return `{"disposition":"noted","reasoning":` + string(r) + `,"covers":[` + strings.Join(covers, ",") + `]}`
	}
	many := make([]string, forum.MaxCovers+1)
	for i := range many {
		many[i] = idea(int64(100000 + i)) // all different
	}
	para := `{"kind":"paragraph","document_id":1,"paragraph_key":"p-1"}`
	comment := fmt.Sprintf(`{"kind":"comment","id":%d}`, f.comment)
	refusals := []struct {
		name, body, code string
	}{
		{"the same idea twice", body("x", idea(f.ideas[0].ID), idea(f.ideas[1].ID), idea(f.ideas[0].ID)), "duplicate"},
		{"the same comment twice", body("x", comment, comment), "duplicate"},
		{"the same paragraph twice", body("x", para, para), "duplicate"},
		{"one cover as often as the bound allows", body("x", strings.Split(strings.Repeat(idea(f.ideas[0].ID)+"\n", forum.MaxCovers), "\n")[:forum.MaxCovers]...), "duplicate"},
		{"more covers than the bound", body("x", many...), "max"},
		{"reasoning over the bound", body(strings.Repeat("é", forum.MaxReasoningChars+1), idea(f.ideas[0].ID)), "length"},
	}
	fieldOf := map[string]string{"duplicate": "covers", "max": "covers", "length": "reasoning"}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", f.gov, c.body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			requireFieldError(t, rec.Body.Bytes(), fieldOf[c.code], c.code)
		})
	}
	require.Zero(t, countRows(t, f.testEnv, "responses", ""))
	require.Zero(t, countRows(t, f.testEnv, "response_covers", ""))

	// At the bounds: the longest reasoning, and each cover once.
	r := f.draft(t, f.gov, body(strings.Repeat("é", forum.MaxReasoningChars), idea(f.ideas[0].ID), idea(f.ideas[1].ID), comment))
	require.EqualValues(t, 3, countRows(t, f.testEnv, "response_covers", ""))
	edit := func(b string) string { return fmt.Sprintf(`{"revision":%d,`, r.Revision) + strings.TrimPrefix(b, "{") }
	for _, c := range refusals {
		t.Run("edit: "+c.name, func(t *testing.T) {
			rec := f.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.gov, edit(c.body))
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			requireFieldError(t, rec.Body.Bytes(), fieldOf[c.code], c.code)
		})
	}
	var covers []string
	require.NoError(t, f.DB.Raw(`SELECT coalesce('idea ' || idea_id, 'comment ' || comment_id) FROM response_covers
		WHERE response_id = ? ORDER BY 1`, r.ID).Scan(&covers).Error)
	require.Equal(t, []string{fmt.Sprintf("comment %d", f.comment), fmt.Sprintf("idea %d", f.ideas[0].ID), fmt.Sprintf("idea %d", f.ideas[1].ID)},
		covers, "the refused edits changed nothing")
	rec := f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.gov, "")
	require.Equal(t, r.Revision, decodeResponse(t, rec.Body.Bytes()).Revision)
}

// TestResponseLimitsAreInTheSpec: the spec declares the bounds the server
// holds (so the generated client and readers of the contract see them).
func TestResponseLimitsAreInTheSpec(t *testing.T) {
	doc, _, err := loadSpec()
	require.NoError(t, err)
	for _, name := range []string{"ResponseInput", "ResponseEdit"} {
		s := doc.Components.Schemas[name].Value
		covers := s.Properties["covers"].Value
		require.NotNil(t, covers.MaxItems, name)
		require.EqualValues(t, forum.MaxCovers, *covers.MaxItems, name)
		require.True(t, covers.UniqueItems, "%s: covers are unique", name)
		reasoning := s.Properties["reasoning"].Value
		require.NotNil(t, reasoning.MaxLength, name)
		require.EqualValues(t, forum.MaxReasoningChars, *reasoning.MaxLength, name)
	}
}

// requireFieldError checks an error envelope names field with code.
func requireFieldError(t *testing.T, b []byte, field, code string) {
	t.Helper()
	var env struct {
		Error struct {
			Fields []struct{ Field, Code string }
		}
	}
	require.NoError(t, json.Unmarshal(b, &env), string(b))
	for _, fe := range env.Error.Fields {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("no %s error on %s in %s", code, field, b)
}
