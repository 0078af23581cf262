package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// surveyEnv is a process whose idea-collection phase (March 2027) had five
// participants, each with an idea; the clock is then moved into April, when
// the phase's survey is open.
func surveyEnv(t *testing.T) (*testEnv, []string, string) {
	t.Helper()
	env := newTestEnv(t)
	theme, _ := env.createIdeaProcess(t, "ideas-survey", 0, false)
	names := []string{"ana", "ben", "chloe", "dan", "eve"}
	for n, name := range names {
		tok := makeUser(t, env, name+"@example.org", false)
		env.idea(t, tok, "ideas-survey", theme, fmt.Sprintf("Participant idea %d", n))
	}
	env.Clock.Advance(18 * 24 * time.Hour) // 2 April 2027
	var people []string
	for _, name := range names {
		people = append(people, env.freshToken(t, name+"@example.org"))
	}
	return env, people, makeUser(t, env, "outsider@example.org", false)
}

const surveyURL = "/api/v1/processes/ideas-survey/surveys/idea_collection"

func surveyAnswer(n int) string {
	return fmt.Sprintf(`{"answers":[{"question":"q1","scale":%d},{"question":"q2","yes":%t},{"question":"q3","scale":4},{"question":"q4","text":"Answer %d was easy"}]}`,
		n%5+1, n%2 == 0, n)
}

// TestAnswerSurveyThroughTheAPI: who may answer, once, bad input stores
// nothing, and the results appear at five answers.
func TestAnswerSurveyThroughTheAPI(t *testing.T) {
	env, people, outsider := surveyEnv(t)

	rec := env.Do(t, http.MethodGet, surveyURL, "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	sv := decode(t, rec)
	require.Equal(t, "open", sv["state"])
	require.Equal(t, "2027-05-01T00:00:00Z", sv["closes_at"])
	require.Len(t, sv["questions"], 4)

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas-survey/surveys/invited", people[0], "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Len(t, decode(t, rec)["items"], 1)
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas-survey/surveys/invited", outsider, "")
	require.Len(t, decode(t, rec)["items"], 0)

	for _, tt := range []struct {
		name, token, body string
		want              int
		code, field       string
	}{
		{"requires authentication", "", surveyAnswer(0), http.StatusUnauthorized, "auth.required", ""},
		{"refuses a non-participant", outsider, surveyAnswer(0), http.StatusForbidden, "survey.not_participant", ""},
		{"refuses an unknown question", people[0], `{"answers":[{"question":"q7","scale":3}]}`, http.StatusUnprocessableEntity, "survey.invalid", "answers[0].question:unknown"},
		{"refuses a scale out of range", people[0], `{"answers":[{"question":"q1","scale":9}]}`, http.StatusUnprocessableEntity, "survey.invalid", "answers[0].scale:range"},
		{"refuses too long a text", people[0], `{"answers":[{"question":"q4","text":"` + strings.Repeat("a", 2001) + `"}]}`, http.StatusUnprocessableEntity, "survey.invalid", "answers[0].text:length"},
		{"refuses unknown fields", people[0], `{"answers":[],"name":"me"}`, http.StatusBadRequest, "request.unknown_field", ""},
		{"refuses an unknown phase", people[0], "", http.StatusNotFound, "survey.not_found", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := surveyURL + "/answers"
			body := tt.body
			if tt.code == "survey.not_found" {
				url, body = "/api/v1/processes/ideas-survey/surveys/response/answers", surveyAnswer(0)
			}
			rec := env.Do(t, http.MethodPost, url, tt.token, body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			code, fields := errorOf(t, rec)
			require.Equal(t, tt.code, code)
			if tt.field != "" {
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.Zero(t, countRows(t, env, "survey_answers", "true"))
	require.Zero(t, countRows(t, env, "survey_texts", "true"))

	rec = env.Do(t, http.MethodPost, surveyURL+"/answers", people[0], surveyAnswer(0))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, surveyURL+"/answers", people[0], surveyAnswer(1))
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "survey.already_answered", code)

	rec = env.Do(t, http.MethodGet, surveyURL+"/results", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	res := decode(t, rec)
	require.Equal(t, true, res["fewer_than_min"])
	require.Nil(t, res["answers"])

	var wg sync.WaitGroup
	for n, tok := range people[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := env.Do(t, http.MethodPost, surveyURL+"/answers", tok, surveyAnswer(n+1))
			require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
		}()
	}
	wg.Wait()
	rec = env.Do(t, http.MethodGet, surveyURL+"/results", "", "")
	res = decode(t, rec)
	require.Equal(t, false, res["fewer_than_min"])
	require.EqualValues(t, 5, res["answers"])
	q2 := res["questions"].([]any)[1].(map[string]any)
	require.Equal(t, []any{map[string]any{"value": "yes", "count": float64(3)}, map[string]any{"value": "no", "count": float64(2)}}, q2["counts"])
	q3 := res["questions"].([]any)[2].(map[string]any)
	require.EqualValues(t, 4, q3["mean"])
	q4 := res["questions"].([]any)[3].(map[string]any)
	require.Empty(t, q4["texts"], "free text waits for a moderator")
	require.EqualValues(t, 5, countRows(t, env, "moderation_items", "survey_text_id IS NOT NULL AND author_id IS NULL"))

	// Moderators find them in the queue (filtered by kind) and read one, with no author.
	admin := makeUser(t, env, "admin@example.net", true)
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas-survey/moderation/queue?target=survey_text", admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	items := decode(t, rec)["items"].([]any)
	require.Len(t, items, 5)
	first := items[0].(map[string]any)
	require.Equal(t, map[string]any{"id": float64(0), "name": ""}, first["author"])
	target := first["target"].(map[string]any)
	require.Equal(t, "survey_text", target["type"])
	require.Equal(t, "idea_collection", target["survey_phase"])
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/moderation/items/%d", int64(first["id"].(float64))), admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotContains(t, rec.Body.String(), "ana@example.org")
}

// TestOwnerEditsSurveyQuestionsThroughTheAPI: bad questions are 422, an
// owner's edit is stored, and after the first answer it is 409 survey.answered.
func TestOwnerEditsSurveyQuestionsThroughTheAPI(t *testing.T) {
	env, people, _ := surveyEnv(t)
	owner := makeUser(t, env, "owner@example.org", false)
	require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role) SELECT p.id, u.id, 'owner'
		FROM processes p, users u WHERE p.slug = 'ideas-survey' AND u.email = 'owner@example.org'`).Error)
	url := surveyURL + "/questions"

	rec := env.Do(t, http.MethodPut, url, people[0], `{"questions":[{"kind":"scale","prompt":"Fair?"}]}`)
	require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPut, url, owner, `{"questions":[{"kind":"choice","prompt":"Pick","options":["Only"]}]}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	_, fields := errorOf(t, rec)
	require.Equal(t, []string{"questions[0].options:count"}, fields)
	require.Zero(t, countRows(t, env, "surveys", "edited_at IS NOT NULL"))

	rec = env.Do(t, http.MethodPut, url, owner, `{"questions":[{"kind":"choice","prompt":"How did you hear of it?","options":["Radio","Friends"]},{"kind":"text","prompt":"Anything else?"}]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	sv := decode(t, rec)
	require.Equal(t, true, sv["edited"])
	require.Equal(t, "q1", sv["questions"].([]any)[0].(map[string]any)["id"])

	rec = env.Do(t, http.MethodPost, surveyURL+"/answers", people[0], `{"answers":[{"question":"q1","choice":"Friends"}]}`)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPut, url, owner, `{"questions":[{"kind":"scale","prompt":"Fair?"}]}`)
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "survey.answered", code)
	require.EqualValues(t, 1, countRows(t, env, "surveys", `questions @> '[{"prompt":"How did you hear of it?"}]'`))
}
