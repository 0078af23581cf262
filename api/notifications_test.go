package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/mail"
	"cocreate/internal/notify"
	"cocreate/internal/process"
	"cocreate/internal/update"
)

// accountID returns the id of the account with email.
func (e *testEnv) accountID(t *testing.T, email string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, e.DB.Raw("SELECT id FROM users WHERE email = ?", email).Scan(&id).Error)
	require.NotZero(t, id)
	return id
}

func (e *testEnv) processID(t *testing.T, slug string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, e.DB.Raw("SELECT id FROM processes WHERE slug = ?", slug).Scan(&id).Error)
	return id
}

// fanOut runs the fan-out worker until no event waits.
func (e *testEnv) fanOut(t *testing.T) int {
	t.Helper()
	n, err := e.Sys.Notify.FanOut(context.Background(), time.Minute)
	require.NoError(t, err)
	return n
}

func (e *testEnv) notificationsOf(t *testing.T, account int64, kind notify.Kind) int {
	t.Helper()
	return e.count(t, `SELECT count(*) FROM notifications n JOIN notification_events e ON e.id = n.event_id
		WHERE n.account_id = ? AND e.kind = ?`, account, kind)
}

func (e *testEnv) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, e.DB.Raw(q, args...).Scan(&n).Error)
	return n
}

func TestFollowing(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createUnpublished(t, "plan-hidden")
	pid, hidden := env.processID(t, "plan-2027"), env.processID(t, "plan-hidden")
	tok := makeUser(t, env, "follower@example.org", false)
	me := env.accountID(t, "follower@example.org")
	follow := func(token, body string) *httptest.ResponseRecorder {
		return env.Do(t, http.MethodPost, "/api/v1/me/follows", token, body)
	}
	body := fmt.Sprintf(`{"target_kind":"process","target_id":%d}`, pid)

	for _, tt := range []struct {
		name, token, body string
		want              int
		code              string
	}{
		{"requires authentication", "", body, http.StatusUnauthorized, "auth.required"},
		{"rejects an unknown kind", tok, fmt.Sprintf(`{"target_kind":"planet","target_id":%d}`, pid), http.StatusUnprocessableEntity, "notification.invalid"},
		{"rejects a missing target", tok, `{"target_kind":"process"}`, http.StatusUnprocessableEntity, "notification.invalid"},
		{"rejects an unknown field", tok, `{"target_kind":"process","target_id":1,"account_id":2}`, http.StatusBadRequest, ""},
		{"refuses what does not exist", tok, `{"target_kind":"idea","target_id":999999}`, http.StatusNotFound, "follow.target_not_found"},
		{"refuses an unpublished process", tok, fmt.Sprintf(`{"target_kind":"process","target_id":%d}`, hidden), http.StatusNotFound, "follow.target_not_found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := follow(tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.code != "" {
				code, _ := errorOf(t, rec)
				require.Equal(t, tt.code, code)
			}
			require.Zero(t, env.count(t, "SELECT count(*) FROM follows"), "nothing stored")
		})
	}

	rec := follow(tok, body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "Open Government Action Plan 2027–2029", decode(t, rec)["title"])
	rec = follow(tok, body)
	require.Equal(t, http.StatusCreated, rec.Code, "following again changes nothing")
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM follows WHERE account_id = ? AND target_kind = 'process' AND target_id = ?", me, pid))

	rec = env.Do(t, http.MethodGet, "/api/v1/me/follows", tok, "")
	require.Equal(t, http.StatusOK, rec.Code)
	items := decode(t, rec)["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, "plan-2027", items[0].(map[string]any)["process_slug"])
	rec = env.Do(t, http.MethodGet, "/api/v1/me/follows", makeUser(t, env, "other@example.org", false), "")
	require.Empty(t, decode(t, rec)["items"], "each sees only their own")

	unfollow := fmt.Sprintf("/api/v1/me/follows?target_kind=process&target_id=%d", pid)
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodDelete, unfollow, "", "").Code)
	require.Equal(t, http.StatusUnprocessableEntity, env.Do(t, http.MethodDelete, "/api/v1/me/follows?target_kind=process", tok, "").Code)
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodDelete, unfollow, tok, "").Code)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodDelete, unfollow, tok, "").Code)
	require.Zero(t, env.count(t, "SELECT count(*) FROM follows"))
}

func TestReplyNotifiesTheParentsAuthor(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice, bob := makeUser(t, env, "alice@example.org", false), makeUser(t, env, "bob@example.org", false)
	aliceID, bobID := env.accountID(t, "alice@example.org"), env.accountID(t, "bob@example.org")

	parent := env.comment(t, alice, doc, commentBody(key, 1, "Monthly is too often", ""))
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM follows WHERE account_id = ? AND target_kind = 'document' AND target_id = ? AND auto",
		aliceID, doc), "commenting follows the draft")

	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), bob, `{"body":"Monthly is <b>fine</b>"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	// A reply to one's own comment tells nobody.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), alice, `{"body":"Let me add"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_events WHERE kind = 'comment_reply'"), "written with the reply")

	require.Equal(t, 1, env.fanOut(t))
	require.Equal(t, 1, env.notificationsOf(t, aliceID, notify.KindCommentReply))
	require.Zero(t, env.notificationsOf(t, bobID, notify.KindCommentReply), "the replier is not told")
	require.Zero(t, env.fanOut(t), "a second run writes nothing")

	rec = env.Do(t, http.MethodGet, "/api/v1/me/notifications/unread", alice, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.EqualValues(t, 1, decode(t, rec)["unread"])
	rec = env.Do(t, http.MethodGet, "/api/v1/me/notifications", alice, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	items := decode(t, rec)["items"].([]any)
	require.Len(t, items, 1)
	n := items[0].(map[string]any)
	require.Equal(t, "comment_reply", n["kind"])
	require.Equal(t, "Draft plan", n["title"])
	require.NotContains(t, rec.Body.String(), "<b>", "no text from the reply itself")
	require.True(t, strings.HasPrefix(n["path"].(string), fmt.Sprintf("/documents/%d#comment-", doc)), n["path"])
	nid := int64(n["id"].(float64))

	readURL := fmt.Sprintf("/api/v1/me/notifications/%d/read", nid)
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPost, readURL, "", "").Code)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodPost, readURL, bob, "").Code, "another's notification")
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notifications WHERE read_at IS NULL"))
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodPost, readURL, alice, "").Code)
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodPost, readURL, alice, "").Code, "again changes nothing")
	rec = env.Do(t, http.MethodGet, "/api/v1/me/notifications/unread", alice, "")
	require.EqualValues(t, 0, decode(t, rec)["unread"])
	rec = env.Do(t, http.MethodPost, "/api/v1/me/notifications/read-all", alice, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.EqualValues(t, 0, decode(t, rec)["marked"])
}

func TestVersionPublishedTellsTheDraftsFollowersOnce(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	var ids []int64
	for _, p := range []string{"a", "b", "c", "d"} {
		tok := makeUser(t, env, p+"@example.org", false)
		ids = append(ids, env.accountID(t, p+"@example.org"))
		switch p {
		case "a", "b": // commenting follows the draft, twice is once
			env.comment(t, tok, doc, commentBody(key, 1, "A comment by "+p, ""))
			env.comment(t, tok, doc, commentBody(key, 1, "Another by "+p, ""))
		case "c":
			rec := env.Do(t, http.MethodPost, "/api/v1/me/follows", tok, fmt.Sprintf(`{"target_kind":"document","target_id":%d}`, doc))
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		}
	}
	env.fanOut(t)
	env.publishVersion(t, doc, draftV2)
	env.fanOut(t)
	env.fanOut(t)
	for i, id := range ids {
		want := 1
		if i == 3 {
			want = 0 // d follows nothing
		}
		require.Equal(t, want, env.notificationsOf(t, id, notify.KindVersionPublished), "account %d", i)
	}
	// version_published defaults to the daily digest: nothing goes at once.
	require.Zero(t, env.count(t, "SELECT count(*) FROM outbox WHERE kind = 'notification_version_published'"))
}

func TestFanOutToTwentyThousandFollowers(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	p := env.Sys.Process(t, "big-plan", process.PhasePublicComment)
	env.Sys.People(t, 20000)
	require.NoError(t, env.DB.Exec(`INSERT INTO follows (account_id, target_kind, target_id)
		SELECT u.id, 'process', ? FROM users u WHERE u.email LIKE 'person%@test.invalid'`, p.ID).Error)
	// A hundred of them want these e-mails at once.
	require.NoError(t, env.DB.Exec(`INSERT INTO notification_prefs (account_id, kind, frequency)
		SELECT id, 'update_published', 'immediately' FROM users WHERE email LIKE 'person%@test.invalid' ORDER BY id LIMIT 100`).Error)
	_, err := env.Sys.Updates.Create(ctx, auth.System, p.Slug, update.Input{Title: "Workshops in May", Body: "Three workshops."})
	require.NoError(t, err)
	var event int64
	require.NoError(t, env.DB.Raw("SELECT id FROM notification_events WHERE kind = 'update_published'").Scan(&event).Error)

	// A batch that crashes before its commit leaves nothing behind.
	crash := errors.New("the instance died")
	err = database.InTx(ctx, env.AppDB, func(ctx context.Context) error {
		n, worked, err := env.Sys.Notify.FanOutBatch(ctx)
		require.NoError(t, err)
		require.True(t, worked)
		require.Equal(t, 5000, n)
		return crash
	})
	require.ErrorIs(t, err, crash)
	require.Zero(t, env.count(t, "SELECT count(*) FROM notifications"))
	require.Zero(t, env.count(t, "SELECT cursor FROM notification_events WHERE id = ?", event))

	// One batch commits, then two workers share the rest.
	n, _, err := env.Sys.Notify.FanOutBatch(ctx)
	require.NoError(t, err)
	require.Equal(t, 5000, n)
	var wg sync.WaitGroup
	written := make([]int, 2)
	for i := range written {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			written[i], err = env.Sys.Notify.FanOut(ctx, time.Minute)
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Equal(t, 15000, written[0]+written[1])
	require.Equal(t, 20000, env.count(t, "SELECT count(*) FROM notifications WHERE event_id = ?", event))
	require.Equal(t, 20000, env.count(t, "SELECT count(DISTINCT account_id) FROM notifications WHERE event_id = ?", event))
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_events WHERE id = ? AND fanned_out_at IS NOT NULL", event))
	require.Equal(t, 100, env.count(t, "SELECT count(*) FROM outbox WHERE kind = 'notification_update_published'"))
	require.Equal(t, 100, env.count(t, "SELECT count(*) FROM notifications WHERE mailed_at IS NOT NULL"))
}

func TestNotificationEmailAndUnsubscribe(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"PUBLIC_URL": "https://cocreate.example.org"}))
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice, bob := makeUser(t, env, "alice@example.org", false), makeUser(t, env, "bob@example.org", false)
	aliceID := env.accountID(t, "alice@example.org")
	parent := env.comment(t, alice, doc, commentBody(key, 1, "Monthly is too often", ""))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), bob, `{"body":"<script>x</script> fine"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.fanOut(t)

	dir := t.TempDir()
	w := &mail.Worker{DB: env.AppDB, Log: env.Sys.Log, From: "Cocreate <noreply@cocreate.example.org>", Dir: dir, Now: env.Clock.Now}
	_, err := w.DrainOnce(context.Background())
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*-notification_comment_reply.eml"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	raw, err := os.ReadFile(files[0])
	require.NoError(t, err)
	msg := string(raw)
	require.Contains(t, msg, "To: alice@example.org\r\n")
	require.Regexp(t, `\r\nList-Unsubscribe: <https://cocreate\.example\.org/api/v1/unsubscribe\?token=[^>\r\n]+>\r\n`, msg)
	require.Contains(t, msg, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	require.Contains(t, msg, "Content-Type: text/plain; charset=utf-8")
	require.Contains(t, msg, "You received this e-mail because you wrote the comment that was replied to")
	require.NotContains(t, msg, "<script>", "no text written by people other than titles")

	good, err := env.Sys.Notify.UnsubscribeToken(context.Background(), aliceID, notify.KindCommentReply)
	require.NoError(t, err)
	require.Contains(t, msg, good)
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.ToUpper(parts[2][:4]) + parts[2][4:]
	if tampered == good {
		tampered = parts[0] + "." + parts[1] + "." + "A" + parts[2][1:]
	}
	for _, tt := range []struct{ name, token string }{
		{"forged", "forged"},
		{"tampered signature", tampered},
		{"another kind", parts[0] + ".phase_opened." + parts[2]},
		{"another account", fmt.Sprintf("%d.%s.%s", aliceID+1, parts[1], parts[2])},
		{"empty", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, "/api/v1/unsubscribe", "", fmt.Sprintf(`{"token":%q}`, tt.token))
			require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, rec.Code, rec.Body.String())
			require.Zero(t, env.count(t, "SELECT count(*) FROM notification_prefs"), "nothing stored")
		})
	}

	rec = env.Do(t, http.MethodPost, "/api/v1/unsubscribe", "", fmt.Sprintf(`{"token":%q}`, good))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Empty(t, rec.Body.String(), "it reads nothing")
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_prefs WHERE account_id = ? AND kind = 'comment_reply' AND frequency = 'never'", aliceID))
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_prefs"), "that account and kind only")

	// The mail client's one-click POST (RFC 8058): the token in the query, a form body.
	other, err := env.Sys.Notify.UnsubscribeToken(context.Background(), aliceID, notify.KindUpdatePublished)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/unsubscribe?token="+other, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := httptest.NewRecorder()
	env.Router.ServeHTTP(res, req)
	require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
	require.Equal(t, 2, env.count(t, "SELECT count(*) FROM notification_prefs WHERE account_id = ? AND frequency = 'never'", aliceID))

	// Never means no e-mail, the in-app list all the same.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), bob, `{"body":"And another thing"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.fanOut(t)
	require.Equal(t, 2, env.notificationsOf(t, aliceID, notify.KindCommentReply))
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM outbox WHERE kind = 'notification_comment_reply'"))
}

func TestNotificationSettings(t *testing.T) {
	env := newTestEnv(t)
	tok := makeUser(t, env, "settings@example.org", false)
	url := "/api/v1/me/notification-settings"
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, url, "", "").Code)
	rec := env.Do(t, http.MethodGet, url, tok, "")
	require.Equal(t, http.StatusOK, rec.Code)
	s := decode(t, rec)["settings"].(map[string]any)
	require.Equal(t, "immediately", s["comment_reply"])
	require.Equal(t, "weekly", s["update_published"])

	for _, body := range []string{`{"settings":{"planet_found":"daily"}}`, `{"settings":{"comment_reply":"hourly"}}`,
		`{"settings":{"comment_reply":"daily","planet_found":"daily"}}`} {
		rec := env.Do(t, http.MethodPut, url, tok, body)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		require.Zero(t, env.count(t, "SELECT count(*) FROM notification_prefs"), "nothing stored")
	}
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPut, url, "", `{"settings":{"comment_reply":"daily"}}`).Code)
	rec = env.Do(t, http.MethodPut, url, tok, `{"settings":{"comment_reply":"daily"}}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "daily", decode(t, rec)["settings"].(map[string]any)["comment_reply"])
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_prefs"))
}

func TestPhaseOpenedIsWrittenOnce(t *testing.T) {
	env := newTestEnv(t)
	p := env.Sys.Process(t, "phase-plan", process.PhasePublicComment)
	follower := env.Sys.Person(t)
	require.NoError(t, env.DB.Exec("INSERT INTO follows (account_id, target_kind, target_id) VALUES (?, 'process', ?)", follower.UserID, p.ID).Error)
	for range 2 {
		_, err := env.Sys.Notify.SweepPhases(context.Background())
		require.NoError(t, err)
	}
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM notification_events WHERE kind = 'phase_opened'"))
	env.fanOut(t)
	require.Equal(t, 1, env.notificationsOf(t, follower.UserID, notify.KindPhaseOpened))
}

func TestAccountDeletionRemovesFollowsAndNotifications(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice, bob := makeUser(t, env, "alice@example.org", false), makeUser(t, env, "bob@example.org", false)
	aliceID := env.accountID(t, "alice@example.org")
	parent := env.comment(t, alice, doc, commentBody(key, 1, "Monthly is too often", ""))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), bob, `{"body":"Fine"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.fanOut(t)
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodPut, "/api/v1/me/notification-settings", alice, `{"settings":{"phase_opened":"never"}}`).Code)
	for _, table := range []string{"follows", "notifications", "notification_prefs"} {
		require.NotZero(t, env.count(t, "SELECT count(*) FROM "+table+" WHERE account_id = ?", aliceID), table)
	}

	rec = env.Do(t, http.MethodDelete, "/api/v1/me", alice, `{"password":"a fine test password"}`)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	for _, table := range []string{"follows", "notifications", "notification_prefs"} {
		require.Zero(t, env.count(t, "SELECT count(*) FROM "+table+" WHERE account_id = ?", aliceID), table)
	}
	// A reply to the erased account's comment tells nobody.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent.ID), bob, `{"body":"Still fine"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.fanOut(t)
	require.Zero(t, env.count(t, "SELECT count(*) FROM notifications WHERE account_id = ?", aliceID))
}

func TestFollowAProcessBySlug(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	tok := makeUser(t, env, "slug@example.org", false)
	rec := env.Do(t, http.MethodPost, "/api/v1/me/follows", tok, `{"target_kind":"process","target_slug":"plan-2027"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "plan-2027", decode(t, rec)["process_slug"])
	rec = env.Do(t, http.MethodPost, "/api/v1/me/follows", tok, `{"target_kind":"process","target_slug":"no-such-plan"}`)
	require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	require.Equal(t, 1, env.count(t, "SELECT count(*) FROM follows"))
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodDelete, "/api/v1/me/follows?target_kind=process&target_slug=plan-2027", tok, "").Code)
	require.Zero(t, env.count(t, "SELECT count(*) FROM follows"))
}
