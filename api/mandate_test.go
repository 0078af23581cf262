package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// mandateJSON is a whole mandate for PUT /processes/{slug}/mandate, with the
// fields of over replacing the defaults (a complete, valid mandate).
func mandateJSON(over map[string]any) string {
	m := map[string]any{
		"purpose":        "Larkhaven writes its action plan with residents.",
		"open_items":     []string{"Which commitments", "Their milestones"},
		"fixed_items":    []string{"The budget"},
		"use_of_input":   "The forum answers every comment.",
		"decision_maker": "The city council",
		"decision_points": []map[string]string{
			{"label": "Council vote", "date": "2027-09-01"},
			{"label": "End of comment", "date": "2027-04-10"},
		},
		"iap2_level":     "involve",
		"contact_name":   "Open Government Office",
		"contact_email":  "open@city.example",
		"privacy_notice": "We keep comments **five years**. <script>alert(1)</script>",
		"updated_at":     nil,
	}
	for k, v := range over {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestMandate(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createProcess(t, "plan-other")
	url := "/api/v1/processes/plan-2027/mandate"
	owner := makeUser(t, env, "owner@example.org", false)
	otherOwner := makeUser(t, env, "other@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	env.grantRole(t, "plan-other", "other@example.org", "owner")

	empty := decode(t, env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", ""))["mandate"].(map[string]any)
	require.Equal(t, []any{"purpose", "open_items", "fixed_items", "use_of_input", "decision_maker", "decision_points",
		"iap2_level", "contact_name", "contact_email", "privacy_notice"}, empty["missing"])
	require.Nil(t, empty["updated_at"])

	long := func(n int) string { return strings.Repeat("é", n) }
	many := make([]string, 31)
	for i := range many {
		many[i] = fmt.Sprintf("Item %d", i)
	}
	for _, tt := range []struct {
		name, token, body string
		want              int
		field             string
	}{
		{"requires authentication", "", mandateJSON(nil), http.StatusUnauthorized, ""},
		{"refuses the owner of another process", otherOwner, mandateJSON(nil), http.StatusForbidden, ""},
		{"rejects unknown fields", owner, strings.Replace(mandateJSON(nil), "{", `{"process_id":9,`, 1), http.StatusBadRequest, ""},
		{"purpose too long", owner, mandateJSON(map[string]any{"purpose": long(5001)}), http.StatusUnprocessableEntity, "purpose:max"},
		{"use of input too long", owner, mandateJSON(map[string]any{"use_of_input": long(5001)}), http.StatusUnprocessableEntity, "use_of_input:max"},
		{"who decides on two lines", owner, mandateJSON(map[string]any{"decision_maker": "The council\nand the mayor"}), http.StatusUnprocessableEntity, "decision_maker:characters"},
		{"an empty item", owner, mandateJSON(map[string]any{"open_items": []string{"A", "  "}}), http.StatusUnprocessableEntity, "open_items[1]:required"},
		{"an item twice", owner, mandateJSON(map[string]any{"fixed_items": []string{"Budget", "budget"}}), http.StatusUnprocessableEntity, "fixed_items[1]:duplicate"},
		{"an item too long", owner, mandateJSON(map[string]any{"open_items": []string{long(501)}}), http.StatusUnprocessableEntity, "open_items[0]:max"},
		{"too many items", owner, mandateJSON(map[string]any{"open_items": many}), http.StatusUnprocessableEntity, "open_items:max"},
		{"a decision point without a label", owner, mandateJSON(map[string]any{"decision_points": []map[string]string{{"label": "", "date": "2027-05-01"}}}), http.StatusUnprocessableEntity, "decision_points[0].label:required"},
		{"a decision point without a date", owner, mandateJSON(map[string]any{"decision_points": []map[string]string{{"label": "Vote", "date": ""}}}), http.StatusUnprocessableEntity, "decision_points[0].date:required"},
		{"a date that is no date", owner, mandateJSON(map[string]any{"decision_points": []map[string]string{{"label": "Vote", "date": "2027-02-30"}}}), http.StatusUnprocessableEntity, "decision_points[0].date:date"},
		{"a date in another century", owner, mandateJSON(map[string]any{"decision_points": []map[string]string{{"label": "Vote", "date": "1999-12-31"}}}), http.StatusUnprocessableEntity, "decision_points[0].date:range"},
		{"an unknown participation level", owner, mandateJSON(map[string]any{"iap2_level": "decide"}), http.StatusUnprocessableEntity, "iap2_level:enum"},
		{"not an e-mail address", owner, mandateJSON(map[string]any{"contact_email": "the office"}), http.StatusUnprocessableEntity, "contact_email:email"},
		{"an address with a name", owner, mandateJSON(map[string]any{"contact_email": "Office <open@city.example>"}), http.StatusUnprocessableEntity, "contact_email:email"},
		{"privacy notice too long", owner, mandateJSON(map[string]any{"privacy_notice": long(10001)}), http.StatusUnprocessableEntity, "privacy_notice:max"},
		{"a malformed reading", owner, mandateJSON(map[string]any{"updated_at": "now"}), http.StatusUnprocessableEntity, "updated_at:date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPut, url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.field != "" {
				_, fields := errorOf(t, rec)
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "process_mandates", ""), "nothing stored")

	var saved map[string]any
	t.Run("stores the whole mandate, the decision points in date order", func(t *testing.T) {
		rec := env.Do(t, http.MethodPut, url, owner, mandateJSON(map[string]any{"contact_name": "  Open Government Office  "}))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		saved = decode(t, rec)
		require.Equal(t, []any{
			map[string]any{"label": "End of comment", "date": "2027-04-10"},
			map[string]any{"label": "Council vote", "date": "2027-09-01"},
		}, saved["decision_points"])
		require.Equal(t, "Open Government Office", saved["contact_name"], "trimmed")
		require.Contains(t, saved["privacy_html"], "<strong>five years</strong>")
		require.NotContains(t, saved["privacy_html"], "<script", "sanitised")
		require.Equal(t, []any{}, saved["missing"])
		require.NotNil(t, saved["updated_at"])
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_mandates",
			"iap2_level = 'involve' AND open_items = '{\"Which commitments\",\"Their milestones\"}' AND contact_email = 'open@city.example' AND updated_by IS NOT NULL"))

		public := decode(t, env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", ""))["mandate"]
		require.Equal(t, saved, public, "the public reads it with the process")
	})

	t.Run("refuses a save made on an old reading", func(t *testing.T) {
		// Two owners opened the mandate at the same time; the first saves.
		rec := env.Do(t, http.MethodPut, url, owner, mandateJSON(map[string]any{"purpose": "First", "updated_at": saved["updated_at"]}))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		for _, at := range []any{saved["updated_at"], nil} {
			rec = env.Do(t, http.MethodPut, url, env.AdminToken(t), mandateJSON(map[string]any{"purpose": "Second", "updated_at": at}))
			require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
			code, _ := errorOf(t, rec)
			require.Equal(t, "process.stale", code)
		}
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_mandates", "purpose = 'First'"), "the first save stays")
	})

	t.Run("of two saves on one reading, one wins and the other is told", func(t *testing.T) {
		at := decode(t, env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", ""))["mandate"].(map[string]any)["updated_at"]
		var wg sync.WaitGroup
		codes := make([]int, 6)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				codes[i] = env.Do(t, http.MethodPut, url, owner, mandateJSON(map[string]any{"purpose": fmt.Sprintf("Editor %d", i), "updated_at": at})).Code
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			require.Contains(t, []int{http.StatusOK, http.StatusConflict}, c)
			if c == http.StatusOK {
				ok++
			}
		}
		require.Equal(t, 1, ok, "%v", codes)
	})

	t.Run("an empty part is saved empty", func(t *testing.T) {
		at := decode(t, env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", ""))["mandate"].(map[string]any)["updated_at"]
		rec := env.Do(t, http.MethodPut, url, owner, mandateJSON(map[string]any{"fixed_items": []string{}, "iap2_level": nil,
			"contact_email": "", "updated_at": at}))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, []any{"fixed_items", "iap2_level", "contact_email"}, decode(t, rec)["missing"])
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_mandates", "iap2_level IS NULL AND fixed_items = '{}'"))
	})
}
