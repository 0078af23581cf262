package api_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// rateLimitKeys returns the keys of every stored rate-limit counter.
func rateLimitKeys(t *testing.T, e *testEnv) []string {
	t.Helper()
	var keys []string
	require.NoError(t, e.DB.Raw("SELECT key FROM rate_limit_hits ORDER BY key").Scan(&keys).Error)
	return keys
}

// TestRateLimitKeysAreKeyedHashes: a stored counter's key cannot be matched
// against a guessed address by hashing the guess (issue "Hardening", 7b).
func TestRateLimitKeysAreKeyedHashes(t *testing.T) {
	env := newTestEnv(t)
	const addr = "ana@example.org"
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"wrong password!"}`, addr))
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Equal(t, http.StatusAccepted, env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, addr)).Code)

	keys := rateLimitKeys(t, env)
	require.NotEmpty(t, keys)
	// What anyone could compute from a guessed address without the server's secret.
	var guesses []string
	for _, rule := range []string{"login:account", "login:failures", "reset:address"} {
		for _, subject := range []string{rule + "\x00" + addr, addr, rule + ":" + addr} {
			sum := sha256.Sum256([]byte(subject))
			guesses = append(guesses, hex.EncodeToString(sum[:])[:16])
		}
	}
	for _, k := range keys {
		require.NotContains(t, strings.ToLower(k), "ana")
		for _, g := range guesses {
			require.NotContains(t, k, g, "key %q is an unkeyed hash of the address", k)
		}
	}
}

// TestErasureDropsRateLimitCounters: deleting an account drops the counters
// kept for its address and its id; those of other accounts and of client IPs stay.
func TestErasureDropsRateLimitCounters(t *testing.T) {
	env := newTestEnv(t)
	const email = "erase.me@example.org"
	access, _ := env.signUpAndLogin(t, email)                                                      // login:account, login:ip
	env.signUpAndLogin(t, "bob@example.org")                                                       // another account's counters
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPost, "/api/v1/auth/login", "", // login:failures
		fmt.Sprintf(`{"email":%q,"password":"wrong password!"}`, strings.ToUpper(email))).Code)
	require.Equal(t, http.StatusAccepted, env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, email)).Code)
	require.Equal(t, http.StatusConflict, env.Do(t, http.MethodPost, "/api/v1/me/verification-email", access, "").Code) // verify-mail:account
	count := func(prefix string) int64 {
		return pgtest.Count(t, env.DB, "rate_limit_hits", "key LIKE ?", prefix+":%")
	}
	before := map[string]int64{}
	for _, rule := range []string{"login:account", "login:failures", "reset:address", "verify-mail:account", "login:ip", "reset:ip"} {
		before[rule] = count(rule)
	}
	require.EqualValues(t, 2, before["login:account"], "ana's and bob's")
	require.EqualValues(t, 1, before["login:failures"])
	require.EqualValues(t, 1, before["reset:address"])
	require.EqualValues(t, 1, before["verify-mail:account"])

	rec := env.Do(t, http.MethodDelete, "/api/v1/me", access, fmt.Sprintf(`{"password":%q}`, goodPassword))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())

	require.EqualValues(t, 1, count("login:account"), "bob's counter stays; the erased account's goes")
	require.Zero(t, count("login:failures"))
	require.Zero(t, count("reset:address"))
	require.Zero(t, count("verify-mail:account"))
	require.Equal(t, before["login:ip"], count("login:ip"), "counters of client IPs are not the account's")
	require.Equal(t, before["reset:ip"], count("reset:ip"))

	// The limits still hold for bob.
	for range 9 {
		env.Do(t, http.MethodPost, "/api/v1/auth/login", "", `{"email":"bob@example.org","password":"wrong password!"}`)
	}
	requireLimited(t, env.Do(t, http.MethodPost, "/api/v1/auth/login", "", `{"email":"bob@example.org","password":"wrong password!"}`))
}

// hostileNames are display names that would hide, reorder or impersonate:
// each is refused with the field's code, at sign-up and at a change of name.
var hostileNames = []struct{ name, value, code string }{
	{"zero-width space only", "\u200b", "invisible"},
	{"zero-width joiners and marks only", "\u200b\u200c\u200d\u2060\ufeff", "invisible"},
	{"zero-width between spaces", " \u200b \u200b ", "invisible"},
	{"Hangul fillers", "\u3164\u3164", "invisible"},
	{"combining marks only", "\u0301\u0308", "invisible"},
	{"right-to-left override", "Ana\u202eadmin", "bidi"},
	{"left-to-right embedding", "\u202aAna", "bidi"},
	{"pop directional formatting", "Ana\u202c", "bidi"},
	{"first-strong isolate", "\u2068Ana\u2069", "bidi"},
	{"right-to-left isolate", "Ana \u2067Lima", "bidi"},
	{"the pseudonym form", "Participant 1a2b3c4d", "pseudonym"},
	{"upper case", "PARTICIPANT 1A2B3C4D", "pseudonym"},
	{"hyphenated with digits", "participant-1234", "pseudonym"},
	{"no space", "Participant1234", "pseudonym"},
	{"no-break space", "Participant\u00a01a2b3c4d", "pseudonym"},
	{"zero-width inside", "Parti\u200bcipant 1a2b\u200c3c4d", "pseudonym"},
	{"Cyrillic a", "P\u0430rticipant 1a2b3c4d", "pseudonym"},
	{"Cyrillic letters throughout", "\u0420\u0430rt\u0456\u0441\u0456\u0440\u0430nt 12\u04173", "pseudonym"},
	{"Greek rho and iota", "\u03a1art\u03b9cipant 9f00ab12", "pseudonym"},
	{"fullwidth letters and digits", "\uff30\uff41\uff52\uff54\uff49\uff43\uff49\uff50\uff41\uff4e\uff54\u3000\uff11\uff12\uff13\uff14", "pseudonym"},
	{"fullwidth digits", "Participant \uff11\uff12\uff13\uff14", "pseudonym"},
	{"mathematical digits", "Participant \U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2", "pseudonym"},
	{"accented", "Pàrticipant 1a2b3c4d", "pseudonym"},
	{"letter O for zero", "Participant 1OO2", "pseudonym"},
	{"eight hex letters", "Participant deadbeef", "pseudonym"},
}

// TestDisplayNamesAreNormalisedAndHostileOnesRefused (issue "Hardening", 7e).
func TestDisplayNamesAreNormalisedAndHostileOnesRefused(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"SIGNUP_PER_IP_PER_HOUR": "0"}))
	access, _ := env.signUpAndLogin(t, "ana@example.org")
	for n, tt := range hostileNames {
		t.Run(tt.name, func(t *testing.T) {
			email := fmt.Sprintf("hostile%d@example.org", n)
			rec := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(email, tt.value, goodPassword))
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "sign-up: %s", rec.Body.String())
			code, fields := errorOf(t, rec)
			require.Equal(t, "account.invalid", code)
			require.Equal(t, []string{"display_name:" + tt.code}, fields)
			require.Zero(t, pgtest.Count(t, env.DB, "users", "email = ?", email), "no account is made")

			rec = env.Do(t, http.MethodPatch, "/api/v1/me", access, fmt.Sprintf(`{"display_name":%q}`, tt.value))
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "change: %s", rec.Body.String())
			_, fields = errorOf(t, rec)
			require.Equal(t, []string{"display_name:" + tt.code}, fields)
			require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "display_name = 'Ana Lima'"), "the name is unchanged")
		})
	}

	// Names people have are stored normalised: NFC, spaces trimmed and collapsed.
	for _, tt := range []struct{ value, stored string }{
		{"  Rosa \t Marin  ", ""}, // a tab inside is refused below
		{"  Rosa    Marin\u00a0 ", "Rosa Marin"},
		{"Jose\u0301 Mari\u0301a", "José María"},
		{"محمد الأمين", "محمد الأمين"},
		{"Zoë 👩\u200d💻", "Zoë 👩\u200d💻"},
		{"Participants' Forum", "Participants' Forum"},
		{"Participant Bee", "Participant Bee"},
		{"Ana Participant 2027", "Ana Participant 2027"},
	} {
		rec := env.Do(t, http.MethodPatch, "/api/v1/me", access, fmt.Sprintf(`{"display_name":%q}`, tt.value))
		if tt.stored == "" {
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			continue
		}
		require.Equal(t, http.StatusOK, rec.Code, "%q: %s", tt.value, rec.Body.String())
		require.Equal(t, tt.stored, decode(t, rec)["display_name"])
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "display_name = ?", tt.stored), "%q is stored as %q", tt.value, tt.stored)
	}
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("rosa@example.org", "  Rosa \u3000  Marin ", goodPassword))
	require.Less(t, rec.Code, 300, rec.Body.String())
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "email = 'rosa@example.org' AND display_name = 'Rosa Marin'"))
}

// TestSignUpDoesNotSayWhichAddressesHaveAccounts: signing up with a taken
// address answers exactly as with a free one; the account is untouched and
// its owner is told by e-mail instead (issue "Hardening", 7f).
func TestSignUpDoesNotSayWhichAddressesHaveAccounts(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"SIGNUP_PER_IP_PER_HOUR": "0"}))
	makeUser(t, env, "ana@example.org", false)
	type row struct {
		ID                                   int64
		DisplayName, PasswordHash, Pseudonym string
		UpdatedAt                            time.Time
	}
	var before row
	require.NoError(t, env.DB.Raw("SELECT id, display_name, password_hash, pseudonym, updated_at FROM users").Scan(&before).Error)
	// The link and e-mail of its own sign-up.
	tokens := pgtest.Count(t, env.DB, "email_tokens", "user_id = ?", before.ID)
	mails := pgtest.Count(t, env.DB, "outbox", "user_id = ?", before.ID)

	free := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("new@example.org", "New Person", goodPassword))
	taken := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(" ANA@example.org", "Impostor", "another long passphrase"))
	require.Equal(t, http.StatusAccepted, free.Code, free.Body.String())
	require.Equal(t, free.Code, taken.Code)
	require.Equal(t, free.Body.String(), taken.Body.String(), "the same body")
	for _, h := range []string{"Content-Type", "Content-Length", "Cache-Control", "Set-Cookie", "Location"} {
		require.Equal(t, free.Header().Values(h), taken.Header().Values(h), h)
	}

	require.EqualValues(t, 2, pgtest.Count(t, env.DB, "users", ""), "no second account for the taken address")
	var after row
	require.NoError(t, env.DB.Raw("SELECT id, display_name, password_hash, pseudonym, updated_at FROM users WHERE id = ?", before.ID).Scan(&after).Error)
	require.Equal(t, before, after, "the existing account is unchanged")
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'verify_email' AND recipient = 'new@example.org'"))
	require.Equal(t, mails+1, pgtest.Count(t, env.DB, "outbox", "user_id = ?", before.ID), "one e-mail more for the owner: the notice")
	require.Equal(t, tokens, pgtest.Count(t, env.DB, "email_tokens", "user_id = ?", before.ID), "no new link that could take the account over")
	var notice struct{ Recipient, Subject, Body string }
	require.NoError(t, env.DB.Raw("SELECT recipient, subject, body FROM outbox WHERE kind = 'signup_existing'").Scan(&notice).Error)
	require.Equal(t, "ana@example.org", notice.Recipient, "the owner, at the stored address")
	require.Contains(t, notice.Body, "/login")
	require.Contains(t, notice.Body, "/forgot-password")
	require.NotContains(t, notice.Body, "Impostor", "nothing the stranger typed")

	// Someone repeating it does not flood the owner's mailbox.
	again := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("ana@example.org", "Impostor", "another long passphrase"))
	require.Equal(t, http.StatusAccepted, again.Code)
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'signup_existing'"))
	env.Clock.Advance(11 * time.Minute)
	env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("ana@example.org", "Impostor", "another long passphrase"))
	require.EqualValues(t, 2, pgtest.Count(t, env.DB, "outbox", "kind = 'signup_existing'"))

	// Bad input is still refused field by field: it says nothing about accounts.
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("ana@example.org", "Ana", "short"))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

// TestConcurrentSignUpsWithOneAddress: one account, every request answered alike.
func TestConcurrentSignUpsWithOneAddress(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"SIGNUP_PER_IP_PER_HOUR": "0"}))
	codes := make([]int, 12)
	var wg sync.WaitGroup
	for n := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[n] = env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("same@example.org", fmt.Sprintf("Person %c", 'A'+n), goodPassword)).Code
		}()
	}
	wg.Wait()
	for _, c := range codes {
		require.Equal(t, http.StatusAccepted, c)
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", ""))
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'verify_email'"))
}

// TestOpenDataParticipantIDsAreNotPseudonyms: the ids that open data gives
// authors cannot be matched with the pseudonyms the site shows (issue
// "Hardening", 7i); they are stable across exports and shared by one
// author's comments and ideas.
func TestOpenDataParticipantIDsAreNotPseudonyms(t *testing.T) {
	env := newTestEnv(t)
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	env.comment(t, alice, doc, commentBody(key, 1, "Publish them weekly.", ""))
	env.comment(t, bob, doc, commentBody(key, 1, "Monthly is enough.", ""))
	budgets, _ := env.createIdeaProcess(t, "ideas-2027", 0, false)
	env.idea(t, alice, "ideas-2027", budgets, "Weekly budget reports")
	env.idea(t, bob, "ideas-2027", budgets, "A budget dashboard")

	var pseudonyms []string
	require.NoError(t, env.DB.Raw("SELECT pseudonym FROM users").Scan(&pseudonyms).Error)
	require.NotEmpty(t, pseudonyms)

	// exportIDs returns the participant ids of every export, by author e-mail order (alice, bob).
	exportIDs := func() (fromComments, fromIdeas []string) {
		rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations?format=csv", doc), "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 3)
		for _, r := range rows[1:] {
			fromComments = append(fromComments, r[11])
		}
		rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations", doc), "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		var coll struct {
			First struct {
				Items []struct{ Creator struct{ ID string } }
			}
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &coll))
		require.Len(t, coll.First.Items, 2)
		for n, a := range coll.First.Items {
			require.Equal(t, fromComments[n], a.Creator.ID, "the CSV and the JSON-LD agree")
		}
		rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas-2027/ideas/export", "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		var exp struct{ Ideas []struct{ Author string } }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &exp))
		for _, i := range exp.Ideas {
			fromIdeas = append(fromIdeas, i.Author)
		}
		return fromComments, fromIdeas
	}
	comments, ideas := exportIDs()
	require.Len(t, ideas, 2)
	for _, id := range append(append([]string{}, comments...), ideas...) {
		require.True(t, strings.HasPrefix(id, "urn:cocreate:participant:"), id)
		for _, p := range pseudonyms {
			require.NotEqual(t, p, id)
			require.NotContains(t, strings.ToLower(id), strings.ToLower(strings.TrimPrefix(p, "Participant ")), "%s carries the pseudonym %s", id, p)
		}
	}
	require.Equal(t, comments, ideas, "one author, one id, in every export")
	require.NotEqual(t, comments[0], comments[1], "two authors, two ids")
	require.Error(t, env.AppDB.Exec("UPDATE instance_secrets SET secret = secret || 'x'").Error, "the server cannot change the key")
	againComments, againIdeas := exportIDs()
	require.Equal(t, comments, againComments, "stable across exports")
	require.Equal(t, ideas, againIdeas)
}
