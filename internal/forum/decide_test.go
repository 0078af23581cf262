package forum_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/forum"
	"cocreate/internal/idea"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// board is a process with a forum of the seats asked for, an owner, an
// outsider and one idea to answer.
type board struct {
	*apptest.Env
	slug                 string
	gov, civil, other    []auth.Principal
	owner, outsider, cit auth.Principal
	idea                 idea.Idea
	seats                map[process.Seat]int
}

// newBoard builds the process slug with g government, c civil-society and o
// other members, deciding under st.
func newBoard(t *testing.T, sys *apptest.Env, slug string, st forum.Settings, g, c, o int) *board {
	t.Helper()
	ctx := context.Background()
	now := sys.Now()
	sys.ProcessWith(t, slug, nil, process.PhaseInput{Kind: process.PhaseIdeaCollection, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour)})
	// Open to the public (a process is prepared unpublished).
	require.NoError(t, sys.Owner.Exec("UPDATE processes SET published_at = coalesce(published_at, now()) WHERE slug = ?", slug).Error)
	ist, err := sys.Ideas.PutSettings(ctx, auth.System, slug, idea.SettingsInput{Themes: []idea.ThemeInput{{Name: "Budgets"}}})
	require.NoError(t, err)
	ps := sys.People(t, g+c+o+3)
	b := &board{Env: sys, slug: slug, gov: ps[:g], civil: ps[g : g+c], other: ps[g+c : g+c+o], owner: ps[g+c+o], outsider: ps[g+c+o+1],
		cit: ps[g+c+o+2], seats: map[process.Seat]int{process.SeatGovernment: g, process.SeatCivilSociety: c, process.SeatOther: o}}
	for _, m := range b.gov {
		sys.Grant(t, slug, m, process.RoleForumMember, process.SeatGovernment)
	}
	for _, m := range b.civil {
		sys.Grant(t, slug, m, process.RoleForumMember, process.SeatCivilSociety)
	}
	for _, m := range b.other {
		sys.Grant(t, slug, m, process.RoleForumMember, process.SeatOther)
	}
	sys.Grant(t, slug, b.owner, process.RoleOwner)
	if st.TargetDays == 0 {
		st.TargetDays = 20
	}
	_, err = sys.Forum.SetSettings(ctx, b.owner, slug, st)
	require.NoError(t, err)
	b.idea, err = sys.Ideas.Create(ctx, b.cit, slug, idea.CreateInput{Title: "Publish the budget", Body: "Monthly.", ThemeID: ist.Themes[0].ID})
	require.NoError(t, err)
	return b
}

// draft has member draft a response to the idea.
func (b *board) draft(t *testing.T, member auth.Principal) forum.Response {
	t.Helper()
	r, err := b.Forum.CreateResponse(context.Background(), member, b.slug, forum.ResponseInput{Disposition: "adopted",
		Reasoning: "We will publish it.", Covers: []forum.CoverInput{{Kind: "idea", ID: b.idea.ID}}})
	require.NoError(t, err)
	return r
}

// entries counts the process's ledger entries.
func (b *board) entries(t *testing.T) int64 {
	t.Helper()
	return countWhere(t, b.Env, "ledger_entries", "process_id = (SELECT id FROM processes WHERE slug = ?)", b.slug)
}

// countWhere counts the rows of table matching where.
func countWhere(t *testing.T, e *apptest.Env, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, e.Owner.Table(table).Where(where, args...).Count(&n).Error)
	return n
}

// fields reads the ledger entry seq of the process.
func (b *board) fields(t *testing.T, seq int64) (string, ledger.Fields) {
	t.Helper()
	var raw string
	require.NoError(t, b.Owner.Raw(`SELECT fields FROM ledger_entries WHERE process_id = (SELECT id FROM processes WHERE slug = ?) AND seq = ?`,
		b.slug, seq).Scan(&raw).Error)
	var f ledger.Fields
	require.NoError(t, json.Unmarshal([]byte(raw), &f))
	return raw, f
}

// ok checks a call returning a response succeeded: ok(t)(call(...)).
func ok(t *testing.T) func(forum.Response, error) forum.Response {
	return func(r forum.Response, err error) forum.Response {
		t.Helper()
		require.NoError(t, err)
		return r
	}
}

// TestEqualVeto is the journey: a government member signs and a
// majority of the civil-society members dissent, so the response stays a
// draft even with a civil-society signature; one withdraws the dissent and it
// is published, with the rule and the remaining dissent in the ledger.
func TestEqualVeto(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "veto-plan", forum.Settings{SigningRule: forum.RuleEqualVeto}, 1, 3, 0)
	r := b.draft(t, b.gov[0])
	require.Equal(t, forum.RuleEqualVeto, r.SigningRule)
	r = ok(t)(b.Forum.Sign(ctx, b.gov[0], r.ID, r.Revision))
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, r.Verdict.MissingSeats)
	r = ok(t)(b.Forum.Dissent(ctx, b.civil[1], r.ID, r.Revision, "Not monthly: weekly."))
	r = ok(t)(b.Forum.Dissent(ctx, b.civil[2], r.ID, r.Revision, "Not enough."))
	r = ok(t)(b.Forum.Sign(ctx, b.civil[0], r.ID, r.Revision))
	require.Equal(t, "draft", r.State, "two of three civil-society members dissent: a veto")
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, r.Verdict.Vetoed)
	require.Empty(t, r.Verdict.MissingSeats)
	require.EqualValues(t, 0, b.entries(t))

	_, err := b.Forum.Withdraw(ctx, b.outsider, r.ID)
	requireCode(t, err, "forum.response_not_found") // drafts are the forum's
	_, err = b.Forum.Withdraw(ctx, b.owner, r.ID)
	requireCode(t, err, "forum.not_member")
	require.EqualValues(t, 4, countWhere(t, b.Env, "response_signatures", "response_id = ?", r.ID))

	r = ok(t)(b.Forum.Withdraw(ctx, b.civil[2], r.ID))
	require.Equal(t, "published", r.State, "one dissent of three is no majority")
	require.Nil(t, r.Verdict)
	_, f := b.fields(t, 1)
	require.Equal(t, &ledger.Rule{Name: "equal_veto"}, f.Rule)
	require.Len(t, f.Signers, 2)
	require.Len(t, f.Dissents, 1)
	require.Equal(t, "Not monthly: weekly.", f.Dissents[0].Note)
	require.Empty(t, f.Recusals)

	_, err = b.Forum.Withdraw(ctx, b.civil[1], r.ID)
	requireCode(t, err, "forum.published")
}

// TestRecusal: a member who recuses themselves is shown with their reason
// and left out of the count; under the majority of each side, that can
// publish the response. A member recuses once, with a reason of bounded
// length, and only a member may.
func TestRecusal(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "recuse-plan", forum.Settings{SigningRule: forum.RuleMajorityEach}, 2, 2, 1)
	r := b.draft(t, b.other[0])
	r = ok(t)(b.Forum.Sign(ctx, b.gov[0], r.ID, r.Revision))
	r = ok(t)(b.Forum.Sign(ctx, b.gov[1], r.ID, r.Revision))
	r = ok(t)(b.Forum.Sign(ctx, b.civil[0], r.ID, r.Revision))
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, r.MissingSeats, "one of two is no majority")

	_, err := b.Forum.Recuse(ctx, b.owner, r.ID, r.Revision, "")
	requireCode(t, err, "forum.not_member")
	_, err = b.Forum.Recuse(ctx, b.civil[1], r.ID, r.Revision, string(make([]byte, forum.MaxNoteChars+1)))
	requireCode(t, err, "forum.invalid")
	_, err = b.Forum.Recuse(ctx, b.civil[1], r.ID, r.Revision+1, "I advised the author.")
	requireCode(t, err, "forum.stale")
	require.EqualValues(t, 3, countWhere(t, b.Env, "response_signatures", "response_id = ?", r.ID))

	r = ok(t)(b.Forum.Recuse(ctx, b.civil[1], r.ID, r.Revision, "I advised the author."))
	require.Equal(t, "published", r.State, "one of the one civil-society member left is a majority")
	_, f := b.fields(t, 1)
	require.Equal(t, &ledger.Rule{Name: "majority_each"}, f.Rule)
	require.Len(t, f.Recusals, 1)
	require.Equal(t, "civil_society", f.Recusals[0].Seat)
	require.Equal(t, "I advised the author.", f.Recusals[0].Note)
	got := ok(t)(b.Forum.GetResponse(ctx, auth.Principal{}, r.ID))
	kinds := map[string]int{}
	for _, s := range got.Signatures {
		kinds[s.Kind]++
	}
	require.Equal(t, map[string]int{"sign": 3, "recuse": 1}, kinds)
}

// TestConsensus: a draft under consensus is published once its deadline
// passes with a signature and no dissent, by the background check; a dissent
// (even after signing) blocks it, dissent closes at the deadline, and
// withdrawing the last dissent after the deadline publishes it. An edit
// starts the deadline again.
func TestConsensus(t *testing.T) {
	ctx := context.Background()
	sys := newSystem(t)
	b := newBoard(t, sys, "consensus-plan", forum.Settings{SigningRule: forum.RuleConsensus, ConsensusHours: 48}, 2, 2, 0)
	quiet := b.draft(t, b.gov[0])
	blocked := b.draft(t, b.gov[0])
	require.Equal(t, sys.Now().Add(48*time.Hour), quiet.DecideBy.In(time.UTC))
	quiet = ok(t)(b.Forum.Sign(ctx, b.gov[0], quiet.ID, quiet.Revision))
	require.True(t, quiet.Verdict.Waiting)
	blocked = ok(t)(b.Forum.Sign(ctx, b.civil[0], blocked.ID, blocked.Revision))
	// Dissent after signing: the member takes the signature back and dissents.
	blocked = ok(t)(b.Forum.Withdraw(ctx, b.civil[0], blocked.ID))
	blocked = ok(t)(b.Forum.Dissent(ctx, b.civil[0], blocked.ID, blocked.Revision, "No."))
	blocked = ok(t)(b.Forum.Sign(ctx, b.gov[1], blocked.ID, blocked.Revision))
	require.True(t, blocked.Verdict.Blocked)

	n, err := b.Forum.PublishDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing is due before the deadline")
	sys.Clock.Advance(48 * time.Hour)
	n, err = b.Forum.PublishDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "published", ok(t)(b.Forum.GetResponse(ctx, b.gov[0], quiet.ID)).State)
	_, f := b.fields(t, 1)
	require.Equal(t, &ledger.Rule{Name: "consensus", ConsensusHours: 48}, f.Rule)
	require.Equal(t, "draft", ok(t)(b.Forum.GetResponse(ctx, b.gov[0], blocked.ID)).State)
	n, err = b.Forum.PublishDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "published once")

	_, err = b.Forum.Dissent(ctx, b.civil[1], blocked.ID, blocked.Revision, "Late.")
	requireCode(t, err, "forum.deadline_passed")
	blocked = ok(t)(b.Forum.Withdraw(ctx, b.civil[0], blocked.ID))
	require.Equal(t, "published", blocked.State, "the last dissent withdrawn after the deadline")
	require.EqualValues(t, 2, b.entries(t))

	// An edit starts the deadline again (and clears the signatures).
	third := b.draft(t, b.gov[0])
	sys.Clock.Advance(47 * time.Hour)
	third, err = b.Forum.EditResponse(ctx, b.gov[0], third.ID, forum.ResponseInput{Revision: third.Revision, Disposition: "noted",
		Reasoning: "Noted.", Covers: []forum.CoverInput{{Kind: "idea", ID: b.idea.ID}}})
	require.NoError(t, err)
	require.Equal(t, sys.Now().Add(48*time.Hour), third.DecideBy.In(time.UTC))
}

// TestMemberAddedMidway: the rule counts the forum as it is when a member
// acts: a member named after the draft was written raises a qualified
// majority's bar.
func TestMemberAddedMidway(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "qualified-plan", forum.Settings{SigningRule: forum.RuleQualified, QualifiedNum: 2, QualifiedDen: 3}, 1, 1, 1)
	r := b.draft(t, b.gov[0])
	require.Equal(t, 2, *r.RuleNum)
	r = ok(t)(b.Forum.Sign(ctx, b.gov[0], r.ID, r.Revision))
	require.Equal(t, 1, r.Verdict.Needed, "two thirds of three")
	late := b.People(t, 2)
	for _, p := range late {
		b.Grant(t, b.slug, p, process.RoleForumMember, process.SeatCivilSociety)
	}
	r = ok(t)(b.Forum.Sign(ctx, b.civil[0], r.ID, r.Revision))
	require.Equal(t, "draft", r.State, "two of five is short of two thirds")
	require.Equal(t, 2, r.Verdict.Needed)
	r = ok(t)(b.Forum.Sign(ctx, late[0], r.ID, r.Revision))
	r = ok(t)(b.Forum.Sign(ctx, late[1], r.ID, r.Revision))
	require.Equal(t, "published", r.State, "four of five")
	_, f := b.fields(t, 1)
	require.Equal(t, &ledger.Rule{Name: "qualified", Fraction: "2/3"}, f.Rule)
}

// TestRuleChange: a new rule applies to the responses drafted after it; the
// change is recorded in the ledger once the ledger has begun (before that,
// the owner is setting the forum up), and only when the rule changes. Only
// owners change it; a bad fraction changes nothing.
func TestRuleChange(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "change-plan", forum.Settings{SigningRule: forum.RuleSingle}, 1, 1, 0)
	early := b.draft(t, b.gov[0])
	_, err := b.Forum.SetSettings(ctx, b.owner, b.slug, forum.Settings{SigningRule: forum.RuleJoint, TargetDays: 20})
	require.NoError(t, err)
	require.EqualValues(t, 0, b.entries(t), "no entry before the ledger begins")
	late := b.draft(t, b.gov[0])
	require.Equal(t, forum.RuleJoint, late.SigningRule)

	early = ok(t)(b.Forum.Sign(ctx, b.gov[0], early.ID, early.Revision))
	require.Equal(t, "published", early.State, "drafted under the single rule")

	for _, bad := range []forum.Settings{
		{SigningRule: forum.RuleQualified, TargetDays: 20, QualifiedNum: 1, QualifiedDen: 2},
		{SigningRule: forum.RuleQualified, TargetDays: 20, QualifiedNum: 4, QualifiedDen: 3},
		{SigningRule: forum.RuleConsensus, TargetDays: 20, ConsensusHours: 721},
		{SigningRule: "unanimity", TargetDays: 20},
	} {
		_, err := b.Forum.SetSettings(ctx, b.owner, b.slug, bad)
		requireCode(t, err, "forum.invalid")
	}
	_, err = b.Forum.SetSettings(ctx, b.gov[0], b.slug, forum.Settings{SigningRule: forum.RuleEqualVeto, TargetDays: 20})
	requireCode(t, err, "forum.not_owner")
	_, err = b.Forum.SetSettings(ctx, b.owner, b.slug, forum.Settings{SigningRule: forum.RuleJoint, TargetDays: 30})
	require.NoError(t, err)
	require.EqualValues(t, 1, b.entries(t), "the target is not the rule")

	_, err = b.Forum.SetSettings(ctx, b.owner, b.slug, forum.Settings{SigningRule: forum.RuleQualified, TargetDays: 30, QualifiedNum: 3, QualifiedDen: 4})
	require.NoError(t, err)
	require.EqualValues(t, 2, b.entries(t))
	raw, _ := b.fields(t, 2)
	require.JSONEq(t, `{"v":1,"kind":"rule_change","process":"change-plan","recorded_at":"2027-03-01T09:00:00Z",`+
		`"rule":{"name":"qualified","fraction":"3/4"},"previous":{"name":"joint"}}`, raw)
	_, err = b.Forum.SetSettings(ctx, b.owner, b.slug, forum.Settings{SigningRule: forum.RuleQualified, TargetDays: 30})
	require.NoError(t, err)
	require.EqualValues(t, 2, b.entries(t), "the same rule (its fraction kept) is no change")

	// The draft written under joint keeps it.
	late = ok(t)(b.Forum.Sign(ctx, b.gov[0], late.ID, late.Revision))
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, late.MissingSeats)
	late = ok(t)(b.Forum.Sign(ctx, b.civil[0], late.ID, late.Revision))
	require.Equal(t, "published", late.State)
	_, f := b.fields(t, 3)
	require.Equal(t, &ledger.Rule{Name: "joint"}, f.Rule)
	rep, err := b.Ledger.Verify(ctx, early.ProcessID)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	_, err = b.Forum.Withdraw(ctx, b.civil[0], late.ID)
	requireCode(t, err, "forum.published")
	other := b.draft(t, b.gov[0])
	_, err = b.Forum.Withdraw(ctx, b.civil[0], other.ID)
	requireCode(t, err, "forum.not_signed")
}

// TestConcurrentDecisionsPublishOnceAndOnlyWhenTheRuleHolds: under each
// rule, every member of a forum of three government, three civil-society
// and one other member signs, dissents or recuses on the same drafts at the
// same moment. Each draft is published at most once; when it is, the
// signatures, dissents and recusals the ledger recorded meet its rule; when
// it is not, the ones left do not.
func TestConcurrentDecisionsPublishOnceAndOnlyWhenTheRuleHolds(t *testing.T) {
	ctx := context.Background()
	sys := newSystem(t)
	rules := []forum.Settings{
		{SigningRule: forum.RuleSingle}, {SigningRule: forum.RuleJoint}, {SigningRule: forum.RuleMajorityEach},
		{SigningRule: forum.RuleQualified, QualifiedNum: 2, QualifiedDen: 3}, {SigningRule: forum.RuleEqualVeto},
		{SigningRule: forum.RuleConsensus, ConsensusHours: 1},
	}
	// What each member does on draft d: member i signs unless pattern says.
	patterns := []func(i, d int) string{
		func(i, d int) string { return "sign" },
		func(i, d int) string { return map[bool]string{true: "dissent", false: "sign"}[(i+d)%2 == 0] },
		func(i, d int) string { return []string{"sign", "dissent", "recuse"}[(i*d+i)%3] },
		func(i, d int) string { return map[bool]string{true: "dissent", false: "sign"}[i >= 3 && i < 6] },  // civil society dissents
		func(i, d int) string { return map[bool]string{true: "dissent", false: "sign"}[i == 3 || i == 4] }, // a civil-society majority
	}
	for n, st := range rules {
		t.Run(string(st.SigningRule), func(t *testing.T) {
			b := newBoard(t, sys, fmt.Sprintf("concurrent-%d", n), st, 3, 3, 1)
			members := append(append(append([]auth.Principal{}, b.gov...), b.civil...), b.other...)
			var drafts []forum.Response
			for range patterns {
				drafts = append(drafts, b.draft(t, b.gov[0]))
			}
			var wg sync.WaitGroup
			errs := make(chan error, len(members)*len(drafts))
			for d, r := range drafts {
				for i, m := range members {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var err error
						switch patterns[d](i, d) {
						case "sign":
							_, err = b.Forum.Sign(ctx, m, r.ID, r.Revision)
						case "dissent":
							_, err = b.Forum.Dissent(ctx, m, r.ID, r.Revision, "No.")
						default:
							_, err = b.Forum.Recuse(ctx, m, r.ID, r.Revision, "")
						}
						if err != nil {
							if code, found := asCode(err); found && code == "forum.published" {
								return // it was published before this member acted
							}
							errs <- err
						}
					}()
				}
			}
			wg.Wait()
			if st.SigningRule == forum.RuleConsensus {
				sys.Clock.Advance(2 * time.Hour)
				for range 4 { // several instances run the check at once
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := b.Forum.PublishDue(ctx); err != nil {
							errs <- err
						}
					}()
				}
				wg.Wait()
			}
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			rule := st.Rule()
			for _, r := range drafts {
				got := ok(t)(b.Forum.GetResponse(ctx, b.gov[0], r.ID))
				published := countWhere(t, b.Env, "ledger_entries", "process_id = ? AND fields LIKE ?", got.ProcessID,
					fmt.Sprintf(`%%"response":%d,%%`, r.ID))
				if got.State != "published" {
					require.Zero(t, published)
					require.False(t, got.Verdict.Met, "a draft whose rule holds is published: %+v", got.Verdict)
					continue
				}
				require.EqualValues(t, 1, published, "published once")
				_, f := b.fields(t, *got.LedgerSeq)
				tally := forum.Tally{Members: b.seats, Signed: bySeat(f.Signers), Dissented: bySeat(f.Dissents), Recused: bySeat(f.Recusals),
					Now: sys.Now(), Deadline: got.CreatedAt.Add(time.Hour)}
				require.True(t, rule.Decide(tally).Met, "published only when %s holds: %+v", rule.Name, tally)
			}
			rep, err := b.Ledger.Verify(ctx, drafts[0].ProcessID)
			require.NoError(t, err)
			require.True(t, rep.OK, rep.Problem)
		})
	}
}

// bySeat counts ledger members per seat.
func bySeat(ms []ledger.Member) map[process.Seat]int {
	out := map[process.Seat]int{}
	for _, m := range ms {
		out[process.Seat(m.Seat)]++
	}
	return out
}

// asCode returns the code of an application error.
func asCode(err error) (string, bool) {
	e, ok := apperr.As(err)
	if !ok {
		return "", false
	}
	return e.Code, true
}
