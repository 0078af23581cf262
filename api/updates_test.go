package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

type updateJSON struct {
	ID          int64   `json:"id"`
	Title       string  `json:"title"`
	Body        string  `json:"body"`
	BodyHTML    string  `json:"body_html"`
	PublishedAt string  `json:"published_at"`
	EditedAt    *string `json:"edited_at"`
}

type updatePageJSON struct {
	Items      []updateJSON `json:"items"`
	NextCursor *string      `json:"next_cursor"`
}

func (e *testEnv) updates(t *testing.T, slug, query string) updatePageJSON {
	t.Helper()
	rec := e.Do(t, http.MethodGet, "/api/v1/processes/"+slug+"/updates"+query, "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var p updatePageJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p
}

func TestUpdates(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createProcess(t, "plan-other")
	url := "/api/v1/processes/plan-2027/updates"
	owner := makeUser(t, env, "owner@example.org", false)
	otherOwner := makeUser(t, env, "other@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	env.grantRole(t, "plan-other", "other@example.org", "owner")

	for _, tt := range []struct {
		name, token, body string
		want              int
		field             string
	}{
		{"requires authentication", "", `{"title":"News","body":"Text"}`, http.StatusUnauthorized, ""},
		{"refuses the owner of another process", otherOwner, `{"title":"News","body":"Text"}`, http.StatusForbidden, ""},
		{"rejects unknown fields", owner, `{"title":"News","body":"Text","published_at":"2020-01-01T00:00:00Z"}`, http.StatusBadRequest, ""},
		{"blank title", owner, `{"title":"   ","body":"Text"}`, http.StatusUnprocessableEntity, "title:required"},
		{"title too long", owner, fmt.Sprintf(`{"title":%q,"body":"Text"}`, strings.Repeat("é", 201)), http.StatusUnprocessableEntity, "title:max"},
		{"title on two lines", owner, `{"title":"News\nand more","body":"Text"}`, http.StatusUnprocessableEntity, "title:characters"},
		{"invisible body", owner, `{"title":"News","body":" \u200b "}`, http.StatusUnprocessableEntity, "body:required"},
		{"body too long", owner, fmt.Sprintf(`{"title":"News","body":%q}`, strings.Repeat("é", 20001)), http.StatusUnprocessableEntity, "body:max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.field != "" {
				_, fields := errorOf(t, rec)
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "process_updates", ""), "nothing stored")

	post := func(title string) updateJSON {
		rec := env.Do(t, http.MethodPost, url, owner, fmt.Sprintf(`{"title":%q,"body":"The **draft** is out. <script>alert(1)</script>"}`, title))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var u updateJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &u))
		return u
	}
	first := post("First update")
	require.Contains(t, first.BodyHTML, "<strong>draft</strong>")
	require.NotContains(t, first.BodyHTML, "<script", "sanitised on the server")
	require.Equal(t, testNow.Format(time.RFC3339), first.PublishedAt)
	require.Nil(t, first.EditedAt)
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_updates", "title = 'First update' AND created_by IS NOT NULL"))
	env.Clock.Advance(time.Minute)
	second := post("Second update")
	env.Clock.Advance(time.Minute)
	third := post("Third update")

	t.Run("lists newest first, a page at a time", func(t *testing.T) {
		p := env.updates(t, "plan-2027", "?limit=2")
		require.Equal(t, []int64{third.ID, second.ID}, []int64{p.Items[0].ID, p.Items[1].ID})
		require.NotNil(t, p.NextCursor)
		rest := env.updates(t, "plan-2027", "?limit=2&cursor="+*p.NextCursor)
		require.Len(t, rest.Items, 1)
		require.Equal(t, first.ID, rest.Items[0].ID)
		require.Nil(t, rest.NextCursor)
		require.Empty(t, env.updates(t, "plan-other", "").Items, "another process's updates are its own")

		for _, q := range []string{"?limit=0", "?limit=51", "?cursor=not-a-cursor"} {
			rec := env.Do(t, http.MethodGet, url+q, "", "")
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, q)
		}
	})

	t.Run("a retried post is stored once", func(t *testing.T) {
		before := pgtest.Count(t, env.DB, "process_updates", "")
		for range 2 {
			rec := env.Do(t, http.MethodPost, url, owner, `{"title":"Retried","body":"Once"}`, "Idempotency-Key", "8d6f5a86-4c1b-4f7e-9d0c-3b2a1f0e9d8c")
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		}
		require.Equal(t, before+1, pgtest.Count(t, env.DB, "process_updates", ""))
	})

	t.Run("edits on the version read", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", url, first.ID)
		rec := env.Do(t, http.MethodPatch, one, owner, `{"title":"First update, corrected","body":"Fixed","edited_at":null}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var edited updateJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &edited))
		require.Equal(t, first.PublishedAt, edited.PublishedAt, "the date it was published stays")
		require.NotNil(t, edited.EditedAt)

		// Another owner had opened it before that edit.
		rec = env.Do(t, http.MethodPatch, one, env.AdminToken(t), `{"title":"Another edit","body":"Lost?","edited_at":null}`)
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "process.stale", code)
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_updates", "title = 'First update, corrected'"), "the first edit stays")

		rec = env.Do(t, http.MethodPatch, one, env.AdminToken(t), fmt.Sprintf(`{"title":"Another edit","body":"Kept","edited_at":%q}`, *edited.EditedAt))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

		rec = env.Do(t, http.MethodPatch, one, owner, `{"title":"","body":"Kept","edited_at":null}`)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/processes/plan-other/updates/%d", first.ID), env.AdminToken(t),
			`{"title":"Elsewhere","body":"No","edited_at":null}`)
		require.Equal(t, http.StatusNotFound, rec.Code, "an update belongs to its process")
		rec = env.Do(t, http.MethodPatch, fmt.Sprintf("%s/%d", url, first.ID), otherOwner, `{"title":"Mine now","body":"No","edited_at":null}`)
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_updates", "title = 'Another edit' AND body = 'Kept'"))
	})

	t.Run("deletes", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", url, second.ID)
		rec := env.Do(t, http.MethodDelete, one, otherOwner, "")
		require.Equal(t, http.StatusForbidden, rec.Code)
		rec = env.Do(t, http.MethodDelete, one, owner, "")
		require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodDelete, one, owner, "")
		require.Equal(t, http.StatusNotFound, rec.Code)
		code, _ := errorOf(t, rec)
		require.Equal(t, "update.not_found", code)
		require.EqualValues(t, 0, pgtest.Count(t, env.DB, "process_updates", "id = ?", second.ID))
	})
}
