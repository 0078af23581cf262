package forum_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/event"
	"cocreate/internal/forum"
	"cocreate/internal/ledger"
)

// published counts, for one response, each kind of row its publication
// writes: the ledger entry, the response's state, the answers, the answered
// ideas' statuses, the authors' e-mails, and the signatures.
type published struct {
	Entries, State, Answers, Statuses, Mail, Signatures int64
}

func (f *fixture) published(t *testing.T, r forum.Response) published {
	t.Helper()
	return published{
		Entries:    f.count(t, "ledger_entries", "process_id = ?", r.ProcessID),
		State:      f.count(t, "responses", "id = ? AND state = 'published' AND ledger_seq IS NOT NULL AND published_at IS NOT NULL", r.ID),
		Answers:    f.count(t, "contribution_answers", "response_id = ?", r.ID),
		Statuses:   f.count(t, "ideas", "status_response_id = ? AND status = 'accepted'", r.ID),
		Mail:       f.count(t, "outbox", "kind = 'response_published'"),
		Signatures: f.count(t, "response_signatures", "response_id = ?", r.ID),
	}
}

// TestPublishWritesEverythingInOneTransaction: the signature that meets the
// rule publishes in its own transaction the ledger entry, the response's
// state, the answered contributions, the answered ideas' statuses and one
// e-mail per author; a failure anywhere in the middle leaves none of them,
// not even the signature, and the draft publishes once the cause is gone.
func TestPublishWritesEverythingInOneTransaction(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newSystem(t), "plan-2027", forum.RuleSingle, 20)
	// Both of cit1's ideas and cit2's comment: three answers, two authors.
	r := f.draft(t, f.gov, "adopted", true, 0, 1)
	require.Equal(t, 3, r.Answered)

	t.Run("an answered idea that cannot take the status leaves nothing", func(t *testing.T) {
		// The answers run comment, then ideas by id: the second idea fails
		// after the entry, the state, two answers and one status are written.
		require.NoError(t, f.Owner.Exec(`CREATE FUNCTION refuse_status() RETURNS trigger LANGUAGE plpgsql AS
			'BEGIN RAISE EXCEPTION ''status refused by the test''; END'`).Error)
		require.NoError(t, f.Owner.Exec(fmt.Sprintf(`CREATE TRIGGER refuse_status BEFORE UPDATE OF status ON ideas
			FOR EACH ROW WHEN (NEW.id = %d) EXECUTE FUNCTION refuse_status()`, f.ideas[1].ID)).Error)
		t.Cleanup(func() {
			require.NoError(t, f.Owner.Exec("DROP TRIGGER refuse_status ON ideas").Error)
			require.NoError(t, f.Owner.Exec("DROP FUNCTION refuse_status()").Error)
		})
		_, err := f.Forum.Sign(ctx, f.gov, r.ID, r.Revision)
		require.ErrorContains(t, err, "status refused by the test")
		require.Equal(t, published{}, f.published(t, r))
		require.EqualValues(t, 3, f.count(t, "ideas", "status = 'submitted'"), "no idea changed")
	})

	t.Run("a subscriber's error leaves nothing", func(t *testing.T) {
		// It runs after MailAnswered, so the e-mails were queued when it fails.
		boom := errors.New("subscriber refused")
		var refuse atomic.Bool
		refuse.Store(true)
		event.Within(f.Events, func(ctx context.Context, e event.ResponsePublished) error {
			if refuse.Load() {
				return boom
			}
			return nil
		})
		t.Cleanup(func() { refuse.Store(false) })
		_, err := f.Forum.Sign(ctx, f.gov, r.ID, r.Revision)
		require.ErrorIs(t, err, boom)
		require.Equal(t, published{}, f.published(t, r))
		require.EqualValues(t, 3, f.count(t, "ideas", "status = 'submitted'"), "no idea changed")
	})

	t.Run("the rule met publishes all of it", func(t *testing.T) {
		got, err := f.Forum.Sign(ctx, f.gov, r.ID, r.Revision)
		require.NoError(t, err)
		require.Equal(t, "published", got.State)
		require.NotNil(t, got.LedgerSeq)
		require.EqualValues(t, 1, *got.LedgerSeq)
		require.Equal(t, 3, got.Answered)
		require.Equal(t, published{Entries: 1, State: 1, Answers: 3, Statuses: 2, Mail: 2, Signatures: 1}, f.published(t, r))
		for _, i := range f.ideas[:2] {
			require.EqualValues(t, 1, f.count(t, "contribution_answers", "response_id = ? AND idea_id = ?", r.ID, i.ID))
		}
		require.EqualValues(t, 1, f.count(t, "contribution_answers", "response_id = ? AND comment_id = ?", r.ID, f.comment.ID))
		require.EqualValues(t, 1, f.count(t, "ideas", "id = ? AND status = 'submitted' AND status_response_id IS NULL", f.ideas[2].ID), "not covered")

		// One e-mail per author: cit1 wrote both ideas, cit2 the comment.
		for who, n := range map[int64]string{f.cit1.UserID: "Your 2 contributions", f.cit2.UserID: "Your contribution"} {
			require.EqualValues(t, 1, f.count(t, "outbox", `kind = 'response_published' AND user_id = ?
				AND recipient = (SELECT email FROM users WHERE id = ?) AND body LIKE ?`, who, who, n+" %"))
		}

		// The entry: what it covers and who signed, by member id only.
		var fields string
		require.NoError(t, f.Owner.Raw("SELECT fields FROM ledger_entries WHERE process_id = ? AND seq = 1", r.ProcessID).Scan(&fields).Error)
		var lf ledger.Fields
		require.NoError(t, json.Unmarshal([]byte(fields), &lf))
		require.Equal(t, r.ID, lf.Response)
		require.Equal(t, []string{fmt.Sprintf("comment:%d", f.comment.ID), fmt.Sprintf("idea:%d", f.ideas[0].ID), fmt.Sprintf("idea:%d", f.ideas[1].ID)}, lf.Covers)
		require.Len(t, lf.Signers, 1)
		require.Equal(t, "government", lf.Signers[0].Seat)
		require.Regexp(t, `^m-[0-9a-f]{16}$`, lf.Signers[0].Member)
		rep, err := f.Ledger.Verify(ctx, r.ProcessID)
		require.NoError(t, err)
		require.True(t, rep.OK, rep.Problem)

		// Published is final: no second signature, entry or e-mail.
		_, err = f.Forum.Sign(ctx, f.civil, r.ID, r.Revision)
		requireCode(t, err, "forum.published")
		require.Equal(t, published{Entries: 1, State: 1, Answers: 3, Statuses: 2, Mail: 2, Signatures: 1}, f.published(t, r))
	})
}
