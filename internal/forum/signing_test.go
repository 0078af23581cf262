package forum_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/forum"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// sign has who sign r (on the revision r carries) and checks the state it
// leaves and the seats the joint rule still needs.
func (f *fixture) sign(t *testing.T, who auth.Principal, r forum.Response, state string, missing ...process.Seat) forum.Response {
	t.Helper()
	got, err := f.Forum.Sign(context.Background(), who, r.ID, r.Revision)
	require.NoError(t, err)
	require.Equal(t, state, got.State)
	if missing == nil {
		missing = []process.Seat{}
	}
	require.Equal(t, missing, got.MissingSeats)
	return got
}

// dissent has who dissent on r; the response stays a draft.
func (f *fixture) dissent(t *testing.T, who auth.Principal, r forum.Response, missing ...process.Seat) forum.Response {
	t.Helper()
	got, err := f.Forum.Dissent(context.Background(), who, r.ID, r.Revision, "The budget should be weekly.")
	require.NoError(t, err)
	require.Equal(t, "draft", got.State)
	if missing == nil {
		missing = []process.Seat{}
	}
	require.Equal(t, missing, got.MissingSeats)
	return got
}

// entry reads the ledger entry a published response became.
func (f *fixture) entry(t *testing.T, r forum.Response) ledger.Fields {
	t.Helper()
	require.NotNil(t, r.LedgerSeq)
	var fields string
	require.NoError(t, f.Owner.Raw("SELECT fields FROM ledger_entries WHERE process_id = ? AND seq = ?", r.ProcessID, *r.LedgerSeq).Scan(&fields).Error)
	var lf ledger.Fields
	require.NoError(t, json.Unmarshal([]byte(fields), &lf))
	return lf
}

// seats lists the seats of the members, in the ledger's order (by member id).
func seats(ms []ledger.Member) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		out[m.Seat]++
	}
	return out
}

// TestSigningRule: under the single rule one member's signature publishes;
// under the joint rule a government and a civil-society signature are needed,
// and two signatures of one seat, or an "other" seat, do not publish. A
// dissent never counts. Only members sign; others get forum.not_member, or
// do not see the draft at all.
func TestSigningRule(t *testing.T) {
	ctx := context.Background()
	sys := newSystem(t)

	t.Run("single", func(t *testing.T) {
		f := newFixture(t, sys, "single-plan", forum.RuleSingle, 20)
		_, err := f.Forum.CreateResponse(ctx, f.cit1, f.slug, forum.ResponseInput{Disposition: "noted", Reasoning: "x",
			Covers: []forum.CoverInput{{Kind: "idea", ID: f.ideas[0].ID}}})
		requireCode(t, err, "forum.not_member")
		require.EqualValues(t, 0, f.count(t, "responses", "process_id = (SELECT id FROM processes WHERE slug = ?)", f.slug))

		r := f.draft(t, f.gov, "adopted", false, 0)
		_, err = f.Forum.Sign(ctx, f.owner, r.ID, r.Revision)
		requireCode(t, err, "forum.not_member")
		_, err = f.Forum.Sign(ctx, f.cit1, r.ID, r.Revision)
		requireCode(t, err, "forum.response_not_found") // drafts are the forum's
		_, err = f.Forum.Dissent(ctx, f.owner, r.ID, r.Revision, "no")
		requireCode(t, err, "forum.not_member")
		require.EqualValues(t, 0, f.count(t, "response_signatures", "response_id = ?", r.ID))

		// A dissent alone publishes nothing, even under the single rule.
		r = f.dissent(t, f.civil, r)
		require.EqualValues(t, 0, f.count(t, "ledger_entries", "process_id = ?", r.ProcessID))

		r = f.sign(t, f.other, r, "published")
		require.EqualValues(t, 1, f.count(t, "ledger_entries", "process_id = ?", r.ProcessID))
		lf := f.entry(t, r)
		require.Equal(t, map[string]int{"other": 1}, seats(lf.Signers))
		require.Equal(t, map[string]int{"civil_society": 1}, seats(lf.Dissents))
		require.Equal(t, "The budget should be weekly.", lf.Dissents[0].Note)
	})

	t.Run("joint", func(t *testing.T) {
		f := newFixture(t, sys, "joint-plan", forum.RuleJoint, 20)
		both := []process.Seat{process.SeatGovernment, process.SeatCivilSociety}
		r := f.draft(t, f.other, "amended", true, 2)
		require.Equal(t, both, r.MissingSeats)

		r = f.dissent(t, f.civil, r, both...) // a civil-society dissent is no civil-society signature
		r = f.sign(t, f.gov, r, "draft", process.SeatCivilSociety)
		r = f.sign(t, f.gov2, r, "draft", process.SeatCivilSociety) // two of one seat
		r = f.sign(t, f.other, r, "draft", process.SeatCivilSociety)
		_, err := f.Forum.Sign(ctx, f.civil, r.ID, r.Revision)
		requireCode(t, err, "forum.already_signed") // who dissented cannot also sign
		_, err = f.Forum.Sign(ctx, f.owner, r.ID, r.Revision)
		requireCode(t, err, "forum.not_member")
		_, err = f.Forum.Sign(ctx, f.anon, r.ID, r.Revision)
		requireCode(t, err, "forum.response_not_found")
		require.EqualValues(t, 0, f.count(t, "ledger_entries", "process_id = ?", r.ProcessID))
		require.EqualValues(t, 4, f.count(t, "response_signatures", "response_id = ?", r.ID))

		r = f.sign(t, f.civil2, r, "published")
		require.EqualValues(t, 1, f.count(t, "ledger_entries", "process_id = ?", r.ProcessID))
		lf := f.entry(t, r)
		require.Equal(t, map[string]int{"government": 2, "civil_society": 1, "other": 1}, seats(lf.Signers))
		require.Equal(t, map[string]int{"civil_society": 1}, seats(lf.Dissents))
		require.EqualValues(t, 1, f.count(t, "ideas", "id = ? AND status = 'amended' AND status_response_id = ?", f.ideas[2].ID, r.ID))
	})
}
