package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClusterSuggestionsAndCoverage(t *testing.T) {
	f := newForumEnv(t, "")
	letter := "As a resident I ask the council to publish every public contract above ten thousand euros as open data within thirty days of signature"
	var campaign []int64
	for i, tweak := range []string{"", " please", " Thank you."} {
		rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", f.ideas[2].ID), []string{f.cit1, f.cit2, f.other}[i], fmt.Sprintf(`{"body":%q}`, letter+tweak))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		campaign = append(campaign, decodeID(t, rec.Body.Bytes()))
	}
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/suggestions", f.gov, "")
	require.Equal(t, http.StatusOK, rec.Code)
	var sg struct {
		Items []struct {
			Members []struct {
				Kind string
				ID   int64
			}
			ClusterID *int64 `json:"cluster_id"`
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &sg))
	require.Len(t, sg.Items, 1, rec.Body.String())
	var got []int64
	for _, m := range sg.Items[0].Members {
		got = append(got, m.ID)
	}
	require.ElementsMatch(t, campaign, got)
	require.Equal(t, http.StatusForbidden, f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/suggestions", f.cit1, "").Code)

	// Dismissing two of them leaves nothing to suggest.
	rec = f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/suggestions/dismiss", f.gov,
		fmt.Sprintf(`{"members":[{"kind":"comment","id":%d},{"kind":"comment","id":%d}]}`, campaign[0], campaign[1]))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/suggestions", f.gov, "")
	require.JSONEq(t, `{"items":[]}`, rec.Body.String())

	// Coverage: 3 ideas + 1 comment + 3 letters; answer one idea.
	f.sign(t, f.gov, f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"out_of_scope","reasoning":"Not for this plan.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[1].ID)), http.StatusOK)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/coverage", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	cov := decode(t, rec)
	require.Equal(t, float64(7), cov["total"])
	require.Equal(t, float64(1), cov["answered"])
	require.Equal(t, float64(6), cov["unanswered"])
	require.Equal(t, float64(0), cov["past_target"], "the idea phase closes 2027-04-01; the target is 20 days after")
	f.Clock.Advance(40 * 24 * time.Hour)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/coverage", "", "")
	require.Equal(t, float64(6), decode(t, rec)["past_target"])
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/coverage?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 8)
	require.Equal(t, "disposition", rows[0][9])
	answered := 0
	for _, row := range rows[1:] {
		if row[8] == "yes" {
			answered++
			require.Equal(t, "out_of_scope", row[9])
			require.True(t, strings.HasSuffix(row[11], fmt.Sprintf("/responses/%d", 1)), row[11])
		} else {
			require.Equal(t, "yes", row[14], "past target")
		}
	}
	require.Equal(t, 1, answered)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/unanswered?kind=comment", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, decode(t, rec)["items"], 4)
	require.Equal(t, http.StatusUnprocessableEntity, f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/unanswered?kind=vote", "", "").Code)
}

// TestFormLetterCampaignIsSuggestedAsOneCluster posts a synthetic campaign
// (500 copies of a letter with small edits) among 200 distinct comments and
// checks the suggestions find the campaign as one group, printing precision
// and recall.
func TestFormLetterCampaignIsSuggestedAsOneCluster(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	gov := makeUser(t, env, "gov@example.org", false)
	require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat) SELECT p.id, u.id, 'forum_member', 'government'
		FROM processes p, users u WHERE u.email = 'gov@example.org'`).Error)
	var tokens []string
	for i := 0; i < 20; i++ {
		tokens = append(tokens, makeUser(t, env, fmt.Sprintf("resident%d@example.org", i), false))
	}
	rng := mrand.New(mrand.NewPCG(7, 11))
	letter := strings.Fields(`I am writing to ask that the action plan commits the city to publish every public contract
		above ten thousand euros as open data within thirty days of its signature, with the name of the supplier, the
		amount, the tender documents and every later change, so that residents and journalists can follow how public
		money is spent and spot problems early.`)
	swaps := map[string][]string{"ask": {"request", "urge"}, "city": {"council", "municipality"}, "publish": {"release", "put online"},
		"every": {"each", "all"}, "thirty": {"30", "twenty"}, "residents": {"citizens", "people"}, "early": {"sooner", "in time"}}
	greetings := []string{"", "Dear council,", "Hello,", "To whom it may concern,"}
	var campaign = map[int64]bool{}
	post := func(i int, body string) int64 {
		c := env.comment(t, tokens[i%len(tokens)], doc, commentBody(key, 1, body, ""))
		return c.ID
	}
	for i := 0; i < 500; i++ {
		words := slices.Clone(letter)
		for edits := 1 + rng.IntN(3); edits > 0; edits-- { // one to three small edits
			j := rng.IntN(len(words))
			if alt, ok := swaps[strings.Trim(words[j], ",.")]; ok {
				words[j] = alt[rng.IntN(len(alt))]
			} else if rng.IntN(2) == 0 {
				words = slices.Delete(words, j, j+1)
			}
		}
		body := strings.TrimSpace(greetings[rng.IntN(len(greetings))] + " " + strings.Join(words, " ") + fmt.Sprintf(" Regards, resident %d", i))
		campaign[post(i, body)] = true
	}
	vocab := strings.Fields(`library park budget school bus cycling lane tree noise parking housing rent council meeting
		agenda minutes transparency archive data portal accessible translation youth elderly clinic water street light
		bench market festival museum pool sport club grant volunteer neighbourhood survey consultation petition office
		hours website form queue permit tax fee recycling waste compost energy solar heating insulation flood river bridge
		train station taxi footpath crossing speed limit camera police safety fire shelter food bank garden allotment`)
	for i := 0; i < 200; i++ {
		n := 18 + rng.IntN(30)
		words := make([]string, n)
		for j := range words {
			words[j] = vocab[rng.IntN(len(vocab))]
		}
		post(i, "Please consider: "+strings.Join(words, " ")+".")
	}

	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/forum/suggestions", gov, "")
	require.Equal(t, http.StatusOK, rec.Code)
	var sg struct {
		Items []struct {
			Members []struct{ ID int64 }
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &sg))
	best, bestHits := -1, 0
	for i, s := range sg.Items {
		hits := 0
		for _, m := range s.Members {
			if campaign[m.ID] {
				hits++
			}
		}
		if hits > bestHits {
			best, bestHits = i, hits
		}
	}
	require.GreaterOrEqual(t, best, 0, "no suggestion holds the campaign")
	precision := float64(bestHits) / float64(len(sg.Items[best].Members))
	recall := float64(bestHits) / float64(len(campaign))
	t.Logf("form-letter campaign: %d suggestions; the campaign's has %d members, %d of them campaign letters: precision %.3f, recall %.3f",
		len(sg.Items), len(sg.Items[best].Members), bestHits, precision, recall)
	fmt.Printf("clustering: precision %.3f recall %.3f (500 letters with 1-3 edits among 200 distinct comments)\n", precision, recall)
	require.Len(t, sg.Items, 1, "the campaign is one suggestion and the distinct comments none")
	require.GreaterOrEqual(t, precision, 0.99)
	require.GreaterOrEqual(t, recall, 0.95)
}

// TestUnansweredAndLedgerPage walks both lists page by page: every item once,
// in order, and filters that narrow them.
func TestUnansweredAndLedgerPage(t *testing.T) {
	f := newForumEnv(t, "")
	for i := 0; i < 5; i++ {
		f.Clock.Advance(time.Minute)
		f.idea(t, f.cit1, f.slug, f.theme, fmt.Sprintf("Later idea %d", i))
	}
	var seen []string
	url := "/api/v1/processes/" + f.slug + "/forum/unanswered?limit=3"
	for pages := 0; url != ""; pages++ {
		require.Less(t, pages, 5)
		rec := f.Do(t, http.MethodGet, url, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var page struct {
			Items []struct {
				Kind      string
				ID        int64
				CreatedAt time.Time `json:"created_at"`
			}
			NextCursor *string `json:"next_cursor"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		for _, it := range page.Items {
			seen = append(seen, fmt.Sprintf("%s:%d", it.Kind, it.ID))
		}
		url = ""
		if page.NextCursor != nil {
			url = "/api/v1/processes/" + f.slug + "/forum/unanswered?limit=3&cursor=" + *page.NextCursor
		}
	}
	require.Len(t, seen, 9, "3 ideas, 1 comment, 5 later ideas: %v", seen)
	require.Equal(t, len(seen), len(slices.Compact(slices.Clone(seen))))
	require.Equal(t, http.StatusBadRequest, f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/unanswered?cursor=bm90LWEtY3Vyc29y", "", "").Code)

	for i, d := range []string{"adopted", "rejected", "adopted"} {
		f.sign(t, f.gov, f.draft(t, f.gov, fmt.Sprintf(`{"disposition":%q,"reasoning":"Reason %d.","covers":[{"kind":"idea","id":%d}]}`, d, i, f.ideas[i].ID)), http.StatusOK)
	}
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?limit=2", "", "")
	page := decode(t, rec)
	require.Len(t, page["items"], 2)
	require.Equal(t, float64(3), page["items"].([]any)[0].(map[string]any)["seq"], "newest first")
	require.Equal(t, float64(3), page["head"].(map[string]any)["seq"])
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?limit=2&cursor="+page["next_cursor"].(string), "", "")
	require.Len(t, decode(t, rec)["items"], 1)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?disposition=adopted", "", "")
	require.Len(t, decode(t, rec)["items"], 2)
	require.Equal(t, http.StatusUnprocessableEntity, f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?disposition=approved", "", "").Code)
}
