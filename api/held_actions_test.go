package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestActingOnAHeldContributionIsNotFoundToStrangers: voting, replying,
// supporting, commenting and flagging on a comment or an idea that
// moderation holds, hid or rejected answers a stranger exactly what a
// missing one answers (404 with the same code), so nobody learns it exists;
// its author and the process's moderators, who may see it, keep their
// answers (409 where the action is refused for its state). Nothing is stored.
func TestActingOnAHeldContributionIsNotFoundToStrangers(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "held", "")
	host := makeUser(t, env, "host@example.org", false)
	people := map[string]string{
		"stranger":  makeUser(t, env, "stranger@example.org", false),
		"author":    makeUser(t, env, "author@example.org", false),
		"moderator": makeUser(t, env, "mod@example.org", false),
	}
	env.grantRole(t, "held", "mod@example.org", "moderator")
	open := env.idea(t, host, "held", theme, "A published idea with comments")

	const missing = 999999
	type action struct {
		name, method, path, body string
		idea                     bool // acts on an idea, else on a comment
	}
	actions := []action{
		{"vote", http.MethodPut, "/api/v1/comments/%d/vote", `{"value":"agree"}`, false},
		{"retract a vote", http.MethodDelete, "/api/v1/comments/%d/vote", "", false},
		{"reply", http.MethodPost, "/api/v1/comments/%d/replies", `{"body":"A reply"}`, false},
		{"flag a comment", http.MethodPost, "/api/v1/comments/%d/flags", `{"reason":"spam"}`, false},
		{"support", http.MethodPut, "/api/v1/ideas/%d/support", "", true},
		{"retract a support", http.MethodDelete, "/api/v1/ideas/%d/support", "", true},
		{"comment on an idea", http.MethodPost, "/api/v1/ideas/%d/comments", `{"body":"A comment"}`, true},
		{"flag an idea", http.MethodPost, "/api/v1/ideas/%d/flags", `{"reason":"spam"}`, true},
	}
	// Who may see the item keeps the answer they had: 409 where its state
	// refuses the action, 404 where the action already said "no such
	// published contribution", 200 for taking back a vote.
	forSeers := map[string]int{
		"vote": http.StatusConflict, "retract a vote": http.StatusOK, "reply": http.StatusConflict, "flag a comment": http.StatusNotFound,
		"support": http.StatusNotFound, "retract a support": http.StatusNotFound, "comment on an idea": http.StatusConflict,
		"flag an idea": http.StatusNotFound,
	}
	notFound := map[string]string{} // the code a missing item answers, per action
	for _, a := range actions {
		rec := env.Do(t, a.method, fmt.Sprintf(a.path, missing), people["stranger"], a.body)
		require.Equal(t, http.StatusNotFound, rec.Code, "%s on a missing item: %s", a.name, rec.Body.String())
		notFound[a.name], _ = errorOf(t, rec)
	}

	before := map[string]int64{}
	tables := []string{"comment_votes", "comments", "moderation_flags", "idea_supports"}
	for _, state := range []string{"pending", "hidden", "rejected"} {
		i := env.idea(t, people["author"], "held", theme, "An idea that is "+state)
		rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", open.ID), people["author"], `{"body":"A comment that is `+state+`"}`)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		c := decodeID(t, rec.Body.Bytes())
		require.NoError(t, env.DB.Exec("UPDATE ideas SET moderation = ? WHERE id = ?", state, i.ID).Error)
		require.NoError(t, env.DB.Exec("UPDATE comments SET status = ? WHERE id = ?", state, c).Error)
		for _, table := range tables {
			before[table] = countRows(t, env, table, "")
		}
		for _, who := range []string{"stranger", "author", "moderator"} {
			for _, a := range actions {
				t.Run(fmt.Sprintf("%s: %s on a %s item", who, a.name, state), func(t *testing.T) {
					id := c
					if a.idea {
						id = i.ID
					}
					rec := env.Do(t, a.method, fmt.Sprintf(a.path, id), people[who], a.body)
					if who == "stranger" {
						require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
						code, _ := errorOf(t, rec)
						require.Equal(t, notFound[a.name], code, "the answer of a missing item")
						return
					}
					require.Equal(t, forSeers[a.name], rec.Code, rec.Body.String())
				})
			}
		}
		for _, table := range tables {
			require.Equal(t, before[table], countRows(t, env, table, ""), "%s: nothing stored on a %s item", table, state)
		}
	}
}
