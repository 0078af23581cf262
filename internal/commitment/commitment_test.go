package commitment_test

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/forum"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// start is the stopped clock's first reading: Monday 15 March 2027, 09:00 UTC.
var start = time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC)

// fixture is a process in its implementation phase with an owner, a forum
// (two government members, two civil-society members) under the joint rule,
// a working-group member with an account, a citizen and a moderator.
type fixture struct {
	*apptest.Env
	slug                          string
	owner, wg, citizen, mod       auth.Principal
	gov, gov2, civil, civil2, wg2 auth.Principal
	ctx                           context.Context
}

func newFixture(t *testing.T, rule forum.Rule) *fixture {
	t.Helper()
	sys := apptest.New(t, apptest.Options{Start: start, Unscreened: true})
	f := &fixture{Env: sys, slug: "plan-2027", ctx: context.Background()}
	sys.Process(t, f.slug, process.PhaseImplementation)
	_, _, err := sys.Processes.Publish(f.ctx, auth.System, f.slug)
	require.NoError(t, err)
	ps := sys.People(t, 9)
	f.owner, f.wg, f.citizen, f.mod, f.gov, f.gov2, f.civil, f.civil2, f.wg2 = ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7], ps[8]
	sys.Grant(t, f.slug, f.owner, process.RoleOwner)
	sys.Grant(t, f.slug, f.mod, process.RoleModerator)
	sys.Grant(t, f.slug, f.gov, process.RoleForumMember, process.SeatGovernment)
	sys.Grant(t, f.slug, f.gov2, process.RoleForumMember, process.SeatGovernment)
	sys.Grant(t, f.slug, f.civil, process.RoleForumMember, process.SeatCivilSociety)
	sys.Grant(t, f.slug, f.civil2, process.RoleForumMember, process.SeatCivilSociety)
	_, err = sys.Forum.SetSettings(f.ctx, f.owner, f.slug, forum.Settings{SigningRule: rule, TargetDays: 20})
	require.NoError(t, err)
	return f
}

// email is a person's address, as People made it.
func (f *fixture) email(t *testing.T, who auth.Principal) string {
	t.Helper()
	var e string
	require.NoError(t, f.Owner.Raw("SELECT email FROM users WHERE id = ?", who.UserID).Scan(&e).Error)
	return e
}

// input is a commitment from January to December 2027 with two milestones
// and f.wg as a government member of its working group.
func (f *fixture) input(t *testing.T, title string) commitment.CommitmentInput {
	return commitment.CommitmentInput{Title: title, Description: "Publish **every** contract.", LeadInstitution: "City Procurement Office",
		OtherActors: []string{"Open Larkhaven Coalition"}, Theme: "Open contracting", StartsOn: "2027-01-04", EndsOn: "2027-12-31",
		Values: []string{"access_to_information", "public_accountability"},
		Members: []commitment.MemberInput{{Name: "Ada Clerk", Organisation: "City Procurement Office", Seat: process.SeatGovernment, AccountEmail: f.email(t, f.wg)},
			{Name: "Open Larkhaven Coalition", Seat: process.SeatCivilSociety}},
		Milestones: []commitment.MilestoneInput{{Title: "Register online", DueOn: "2027-04-30"}, {Title: "All contracts published", DueOn: "2027-11-30"}}}
}

func (f *fixture) create(t *testing.T, title string) commitment.Detail {
	t.Helper()
	d, err := f.Commitments.Create(f.ctx, f.owner, f.slug, f.input(t, title))
	require.NoError(t, err)
	return d
}

// states is an update's state of every milestone of d.
func states(d commitment.Detail, state string) []commitment.StateInput {
	var out []commitment.StateInput
	for _, m := range d.Milestones {
		out = append(out, commitment.StateInput{MilestoneID: m.ID, State: state})
	}
	return out
}

func fields(t *testing.T, err error) []string {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	var out []string
	for _, fe := range e.Fields {
		out = append(out, fe.Field+":"+fe.Code)
	}
	return out
}

func count(t *testing.T, f *fixture, table, where string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.Owner.Raw("SELECT count(*) FROM "+table+" WHERE "+where, args...).Scan(&n).Error)
	return n
}

func TestCreateAndReplace(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)

	// Who may not: a citizen (403), a forum member (403); a missing process is not found.
	for _, who := range []auth.Principal{f.citizen, f.gov, f.wg} {
		_, err := f.Commitments.Create(f.ctx, who, f.slug, f.input(t, "Refused"))
		require.ErrorIs(t, err, commitment.ErrForbidden)
	}
	_, err := f.Commitments.Create(f.ctx, f.owner, "no-such-process", f.input(t, "Refused"))
	require.ErrorIs(t, err, process.ErrNotFound)

	// Bad input: every problem named, nothing stored.
	bad := f.input(t, "  ")
	bad.EndsOn = "2026-12-31"
	bad.Values = []string{"transparency"}
	bad.Members[1].Seat = "press"
	bad.Milestones = []commitment.MilestoneInput{{Title: "Too late", DueOn: "2028-02-01"}, {Title: "Done tomorrow", DueOn: "2027-05-01", CompletedOn: "2027-03-16"},
		{Title: "Two evidences", DueOn: "2027-05-01", EvidenceURL: "https://example.org/x", EvidenceItemID: 4}, {Title: "A bad link", DueOn: "2027-05-01", EvidenceURL: "javascript:alert(1)"}}
	_, err = f.Commitments.Create(f.ctx, f.owner, f.slug, bad)
	require.ErrorIs(t, err, apperr.Invalid(commitment.CodeInvalid))
	require.ElementsMatch(t, []string{"title:required", "ends_on:order", "values[0]:enum", "members[1].seat:enum",
		"milestones[1].completed_on:future", "milestones[2].evidence_item_id:one_evidence", "milestones[3].evidence_url:url"}, fields(t, err))
	inside := f.input(t, "Outside")
	inside.Milestones[0].DueOn = "2028-02-01"
	inside.Members[0].AccountEmail = "nobody@example.org"
	inside.Sources = []commitment.SourceInput{{Kind: "idea", ID: 999}}
	_, err = f.Commitments.Create(f.ctx, f.owner, f.slug, inside)
	require.ElementsMatch(t, []string{"milestones[0].due_on:outside"}, fields(t, err), "checks without the database come first")
	inside.Milestones[0].DueOn = "2027-04-30"
	_, err = f.Commitments.Create(f.ctx, f.owner, f.slug, inside)
	require.ElementsMatch(t, []string{"members[0].account_email:no_account", "sources[0]:unknown"}, fields(t, err))
	none := f.input(t, "No milestones")
	none.Milestones = nil
	_, err = f.Commitments.Create(f.ctx, f.owner, f.slug, none)
	require.Equal(t, []string{"milestones:required"}, fields(t, err))
	require.Equal(t, 0, count(t, f, "commitments", "true"))

	// The owner creates it: its rows, its status.
	d := f.create(t, "Open contracting register")
	require.Equal(t, "<p>Publish <strong>every</strong> contract.</p>\n", d.DescriptionHTML)
	require.Len(t, d.Milestones, 2)
	require.Len(t, d.Members, 2)
	require.NotNil(t, d.Members[0].UserID)
	require.NotNil(t, d.Members[0].AccountEmail, "the owner sees the linked address")
	require.Equal(t, commitment.Verdict{Status: commitment.StatusNotStarted, Why: commitment.WhyNoProgress}, d.Verdict)
	require.Equal(t, "2027-07-04", d.NextUpdateDue.String())
	require.Equal(t, 2, count(t, f, "milestones", "commitment_id = ?", d.ID))
	require.Equal(t, 1, count(t, f, "commitment_members", "commitment_id = ? AND user_id = ?", d.ID, f.wg.UserID))
	pub, err := f.Commitments.Get(f.ctx, auth.Anonymous, d.ID)
	require.NoError(t, err)
	require.Nil(t, pub.Members[0].AccountEmail, "the public does not")
	require.False(t, pub.Viewer.Write)
	wg, err := f.Commitments.Get(f.ctx, f.wg, d.ID)
	require.NoError(t, err)
	require.True(t, wg.Viewer.Write && wg.Viewer.PublishGovernment && wg.Viewer.Answer)
	require.Equal(t, "lead_institution", wg.Viewer.AnswerAs)

	// Replace: on the revision read; a milestone kept by id, one removed, one added.
	in := f.input(t, "Open contracting register, city-wide")
	in.Revision = d.Revision
	in.Milestones = []commitment.MilestoneInput{{ID: d.Milestones[0].ID, Title: "Register online", DueOn: "2027-04-30", CompletedOn: "2027-03-10",
		EvidenceURL: "https://larkhaven.example/register"}, {Title: "Training for staff", DueOn: "2027-06-30"}}
	d2, err := f.Commitments.Replace(f.ctx, f.owner, d.ID, in)
	require.NoError(t, err)
	require.Equal(t, d.Revision+1, d2.Revision)
	require.Equal(t, d.Milestones[0].ID, d2.Milestones[0].ID)
	require.Equal(t, "2027-03-10", d2.Milestones[0].CompletedOn.String())
	require.Equal(t, 2, count(t, f, "milestones", "commitment_id = ?", d.ID))
	require.Equal(t, 0, count(t, f, "milestones", "id = ?", d.Milestones[1].ID))
	_, err = f.Commitments.Replace(f.ctx, f.owner, d.ID, in)
	require.ErrorIs(t, err, commitment.ErrStale, "the revision read is gone")
	in.Revision = d2.Revision
	_, err = f.Commitments.Replace(f.ctx, f.wg, d.ID, in)
	require.ErrorIs(t, err, commitment.ErrForbidden, "a working-group member does not edit the commitment")

	// Withdraw with a reason; then nothing changes it.
	_, err = f.Commitments.Withdraw(f.ctx, f.owner, d.ID, d2.Revision, " ")
	require.Equal(t, []string{"reason:length"}, fields(t, err))
	w, err := f.Commitments.Withdraw(f.ctx, f.owner, d.ID, d2.Revision, "Merged into the national register.")
	require.NoError(t, err)
	require.Equal(t, commitment.StatusWithdrawn, w.Verdict.Status)
	_, err = f.Commitments.Replace(f.ctx, f.owner, d.ID, in)
	require.ErrorIs(t, err, commitment.ErrWithdrawn)
	_, err = f.Commitments.CreateUpdate(f.ctx, f.wg, d.ID, commitment.UpdateInput{Kind: "government", Progress: "x", NextSteps: "y", Milestones: states(w, "in_progress")})
	require.ErrorIs(t, err, commitment.ErrWithdrawn)
}

func TestUnpublishedProcessIsNotFound(t *testing.T) {
	f := newFixture(t, forum.RuleSingle)
	d := f.create(t, "Hidden for now")
	require.NoError(t, f.Owner.Exec("UPDATE processes SET published_at = NULL WHERE slug = ?", f.slug).Error)
	_, err := f.Commitments.Get(f.ctx, f.citizen, d.ID)
	require.ErrorIs(t, err, commitment.ErrNotFound)
	_, err = f.Commitments.Dashboard(f.ctx, auth.Anonymous, f.slug)
	require.ErrorIs(t, err, process.ErrNotFound)
	_, err = f.Commitments.Ask(f.ctx, f.citizen, d.ID, "Why?")
	require.ErrorIs(t, err, commitment.ErrNotFound)
	_, err = f.Commitments.Create(f.ctx, f.citizen, f.slug, f.input(t, "Refused"))
	require.ErrorIs(t, err, process.ErrNotFound, "its existence does not show")
	_, err = f.Commitments.Dashboard(f.ctx, f.owner, f.slug)
	require.NoError(t, err, "its owner sees it")
}

// TestGovernmentUpdate: who may write and publish, reasons for delay, the
// completions it records, the status it gives, its ledger entry, and that a
// published update never changes (corrections are new updates).
func TestGovernmentUpdate(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)
	d := f.create(t, "Open contracting register")
	in := commitment.UpdateInput{Kind: "government", Progress: "The register's design is done.", NextSteps: "Go live in April.", Milestones: states(d, "in_progress")}

	_, err := f.Commitments.CreateUpdate(f.ctx, f.citizen, d.ID, in)
	require.ErrorIs(t, err, commitment.ErrNotWriter)
	_, err = f.Commitments.CreateUpdate(f.ctx, f.wg2, d.ID, in)
	require.ErrorIs(t, err, commitment.ErrNotWriter, "another commitment's working group is not this one's")

	bad := in
	bad.Milestones = []commitment.StateInput{in.Milestones[0], {MilestoneID: 99999, State: "done"}}
	bad.Progress = ""
	bad.Evidence = []commitment.EvidenceInput{{URL: "ftp://x"}, {ItemID: 424242}}
	_, err = f.Commitments.CreateUpdate(f.ctx, f.wg, d.ID, bad)
	require.ElementsMatch(t, []string{"progress:required", "milestones[1].milestone_id:unknown", "milestones:every_milestone",
		"evidence[0].url:url", "evidence[1].item_id:not_in_repository"}, fields(t, err))
	require.Equal(t, 0, count(t, f, "progress_updates", "true"))

	// A civil-society writer drafts; only a government writer or an owner publishes.
	u, err := f.Commitments.CreateUpdate(f.ctx, f.civil, d.ID, in)
	require.NoError(t, err)
	require.Equal(t, "draft", u.State)
	_, err = f.Commitments.Publish(f.ctx, f.civil, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrCannotPublish)
	_, err = f.Commitments.GetUpdate(f.ctx, f.citizen, u.ID)
	require.ErrorIs(t, err, commitment.ErrUpdateNotFound, "a draft is its writers'")
	_, err = f.Commitments.Sign(f.ctx, f.gov, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrWrongKind, "a government update is not signed")

	// Time passes: the first milestone is late, so the update must say why.
	f.Clock.Advance(50 * 24 * time.Hour) // 4 May 2027
	_, err = f.Commitments.Publish(f.ctx, f.wg, u.ID, u.Revision)
	require.Equal(t, []string{"delay_reasons:required_late"}, fields(t, err))
	_, err = f.Commitments.CreateUpdate(f.ctx, f.wg, d.ID, commitment.UpdateInput{Kind: "government", Progress: "x", NextSteps: "y", Milestones: states(d, "in_progress")})
	require.Equal(t, []string{"delay_reasons:required_late"}, fields(t, err), "a new draft says why too")
	in.Revision = u.Revision
	in.DelayReasons = "The supplier delivered late."
	in.Milestones[0] = commitment.StateInput{MilestoneID: d.Milestones[0].ID, State: "completed", CompletedOn: "2027-05-05"}
	_, err = f.Commitments.EditUpdate(f.ctx, f.wg, u.ID, in)
	require.Equal(t, []string{"milestones[0].completed_on:future"}, fields(t, err))
	in.Milestones[0].CompletedOn = "2027-05-02"
	u, err = f.Commitments.EditUpdate(f.ctx, f.wg, u.ID, in)
	require.NoError(t, err)
	u, err = f.Commitments.Publish(f.ctx, f.wg, u.ID, u.Revision)
	require.NoError(t, err)
	require.Equal(t, "published", u.State)
	require.NotNil(t, u.LedgerSeq)

	// The completion it reported is the milestone's; the status follows.
	got, err := f.Commitments.Get(f.ctx, auth.Anonymous, d.ID)
	require.NoError(t, err)
	require.Equal(t, "2027-05-02", got.Milestones[0].CompletedOn.String())
	require.Equal(t, commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}, got.Verdict)
	require.Equal(t, "2027-11-04", got.NextUpdateDue.String())

	// Its ledger entry.
	var raw string
	require.NoError(t, f.Owner.Raw("SELECT fields FROM ledger_entries WHERE seq = ?", *u.LedgerSeq).Scan(&raw).Error)
	var entry ledger.ProgressUpdate
	require.NoError(t, json.Unmarshal([]byte(raw), &entry))
	require.Equal(t, ledger.KindProgressUpdate, entry.Kind)
	require.Equal(t, u.ID, entry.Update)
	require.Equal(t, "government", entry.UpdateKind)
	require.Equal(t, "completed", entry.Milestones[0].State)
	require.Equal(t, "2027-05-02", *entry.Milestones[0].CompletedOn)
	require.Empty(t, entry.Signers)

	// Published: frozen, in the service and in the database.
	_, err = f.Commitments.EditUpdate(f.ctx, f.wg, u.ID, in)
	require.ErrorIs(t, err, commitment.ErrPublished)
	require.ErrorIs(t, f.Commitments.DiscardUpdate(f.ctx, f.wg, u.ID), commitment.ErrPublished)
	for _, stmt := range []string{"UPDATE progress_updates SET progress = 'rewritten' WHERE id = ?", "DELETE FROM progress_updates WHERE id = ?",
		"UPDATE progress_milestones SET state = 'at_risk' WHERE update_id = ?", "DELETE FROM progress_milestones WHERE update_id = ?"} {
		require.ErrorContains(t, f.Owner.Exec(stmt, u.ID).Error, "is published", stmt)
	}
	// A milestone a published update reports cannot be removed.
	rin := f.input(t, "Open contracting register")
	rin.Revision = got.Revision
	rin.Milestones = rin.Milestones[1:]
	_, err = f.Commitments.Replace(f.ctx, f.owner, d.ID, rin)
	require.ErrorIs(t, err, commitment.ErrMilestoneReported)

	// A correction is a new update that says what it corrects, once.
	corr := in
	corr.Revision = 0
	corr.Supersedes = &u.ID
	_, err = f.Commitments.CreateUpdate(f.ctx, f.owner, d.ID, corr)
	require.Equal(t, []string{"correction_reason:required"}, fields(t, err))
	reason := "The register went live on 2 May, not 3 May."
	corr.CorrectionReason = &reason
	c1, err := f.Commitments.CreateUpdate(f.ctx, f.owner, d.ID, corr)
	require.NoError(t, err)
	c2, err := f.Commitments.CreateUpdate(f.ctx, f.owner, d.ID, corr)
	require.NoError(t, err)
	c1, err = f.Commitments.Publish(f.ctx, f.owner, c1.ID, c1.Revision)
	require.NoError(t, err)
	_, err = f.Commitments.Publish(f.ctx, f.owner, c2.ID, c2.Revision)
	require.ErrorIs(t, err, commitment.ErrSuperseded)
	old, err := f.Commitments.GetUpdate(f.ctx, auth.Anonymous, u.ID)
	require.NoError(t, err)
	require.Equal(t, c1.ID, *old.SupersededBy)
	require.NoError(t, f.Owner.Raw("SELECT fields FROM ledger_entries WHERE seq = ?", *c1.LedgerSeq).Scan(&raw).Error)
	require.NoError(t, json.Unmarshal([]byte(raw), &entry))
	require.Equal(t, *u.LedgerSeq, *entry.Supersedes)
	require.Equal(t, reason, *entry.CorrectionReason)

	rep, err := f.Ledger.Verify(f.ctx, d.ProcessID)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
}

// TestJointUpdate: signed by forum members under the forum's joint rule,
// with a dissent; published once the rule is met, with signers and
// dissents (member ids, seats, organisations) in its ledger entry, beside
// the forum's responses in the same chain.
func TestJointUpdate(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)
	d := f.create(t, "Open contracting register")
	in := commitment.UpdateInput{Kind: "joint", Progress: "Jointly reviewed.", NextSteps: "Publish the data.", Milestones: states(d, "in_progress")}
	in.Milestones[1].State = "at_risk"
	u, err := f.Commitments.CreateUpdate(f.ctx, f.wg, d.ID, in)
	require.NoError(t, err)
	require.ElementsMatch(t, []process.Seat{process.SeatGovernment, process.SeatCivilSociety}, u.MissingSeats)

	_, err = f.Commitments.Publish(f.ctx, f.wg, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrWrongKind, "a joint update is published by signatures")
	_, err = f.Commitments.Sign(f.ctx, f.wg, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrNotForumMember)
	_, err = f.Commitments.Sign(f.ctx, f.owner, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrNotForumMember, "owners do not sign for the forum")

	u, err = f.Commitments.Sign(f.ctx, f.gov, u.ID, u.Revision)
	require.NoError(t, err)
	require.Equal(t, "draft", u.State)
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, u.MissingSeats)
	_, err = f.Commitments.Sign(f.ctx, f.gov, u.ID, u.Revision)
	require.ErrorIs(t, err, commitment.ErrAlreadySigned)

	// An edit clears the signatures given to the old text.
	in.Revision = u.Revision
	in.Progress = "Jointly reviewed, with the coalition."
	u, err = f.Commitments.EditUpdate(f.ctx, f.wg, u.ID, in)
	require.NoError(t, err)
	require.Empty(t, u.Signatures)
	_, err = f.Commitments.Sign(f.ctx, f.gov, u.ID, u.Revision-1)
	require.ErrorIs(t, err, commitment.ErrStale, "nobody signs text they did not read")

	u, err = f.Commitments.Sign(f.ctx, f.gov, u.ID, u.Revision)
	require.NoError(t, err)
	_, err = f.Commitments.Dissent(f.ctx, f.civil, u.ID, u.Revision, " ")
	require.Equal(t, []string{"note:length"}, fields(t, err))
	u, err = f.Commitments.Dissent(f.ctx, f.civil, u.ID, u.Revision, "The second milestone is further behind than this says.")
	require.NoError(t, err)
	require.Equal(t, "draft", u.State, "a dissent is not a signature")
	u, err = f.Commitments.Sign(f.ctx, f.civil2, u.ID, u.Revision)
	require.NoError(t, err)
	require.Equal(t, "published", u.State)
	for _, g := range u.Signatures {
		require.Nil(t, g.Name, "the public record names members by id")
	}

	var raw string
	require.NoError(t, f.Owner.Raw("SELECT fields FROM ledger_entries WHERE seq = ?", *u.LedgerSeq).Scan(&raw).Error)
	var entry ledger.ProgressUpdate
	require.NoError(t, json.Unmarshal([]byte(raw), &entry))
	require.Equal(t, "joint", entry.UpdateKind)
	require.Len(t, entry.Signers, 2)
	require.Len(t, entry.Dissents, 1)
	require.Equal(t, "civil_society", entry.Dissents[0].Seat)
	require.NotEmpty(t, entry.Dissents[0].Note)
	require.Regexp(t, `^m-[0-9a-f]{16}$`, entry.Signers[0].Member)

	got, err := f.Commitments.Get(f.ctx, auth.Anonymous, d.ID)
	require.NoError(t, err)
	require.Equal(t, commitment.Verdict{Status: commitment.StatusAtRisk, Why: commitment.WhyFlagged}, got.Verdict, "the update flagged a milestone at risk")

	// The single rule publishes on one signature, of any seat.
	_, err = f.Forum.SetSettings(f.ctx, f.owner, f.slug, forum.Settings{SigningRule: forum.RuleSingle, TargetDays: 20})
	require.NoError(t, err)
	in.Revision = 0
	in.Milestones[1].State = "in_progress"
	u2, err := f.Commitments.CreateUpdate(f.ctx, f.civil, d.ID, in)
	require.NoError(t, err)
	u2, err = f.Commitments.Sign(f.ctx, f.civil, u2.ID, u2.Revision)
	require.NoError(t, err)
	require.Equal(t, "published", u2.State)
	got, err = f.Commitments.Get(f.ctx, auth.Anonymous, d.ID)
	require.NoError(t, err)
	require.Equal(t, commitment.StatusOnTrack, got.Verdict.Status, "the latest update no longer flags it")

	// Whatever rule the forum decides by decides joint updates too: under a
	// majority of each side, one signature per side is not enough.
	_, err = f.Forum.SetSettings(f.ctx, f.owner, f.slug, forum.Settings{SigningRule: forum.RuleMajorityEach, TargetDays: 20})
	require.NoError(t, err)
	u3, err := f.Commitments.CreateUpdate(f.ctx, f.civil, d.ID, in)
	require.NoError(t, err)
	require.ElementsMatch(t, []process.Seat{process.SeatGovernment, process.SeatCivilSociety}, u3.MissingSeats)
	for _, who := range []auth.Principal{f.gov, f.civil, f.gov2} {
		u3, err = f.Commitments.Sign(f.ctx, who, u3.ID, u3.Revision)
		require.NoError(t, err)
		require.Equal(t, "draft", u3.State)
	}
	require.Equal(t, []process.Seat{process.SeatCivilSociety}, u3.MissingSeats, "both government members signed, one of two civil-society members")
	u3, err = f.Commitments.Sign(f.ctx, f.civil2, u3.ID, u3.Revision)
	require.NoError(t, err)
	require.Equal(t, "published", u3.State)

	rep, err := f.Ledger.Verify(f.ctx, d.ProcessID)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	var kinds []string
	require.NoError(t, f.Owner.Raw("SELECT kind FROM ledger_entries WHERE process_id = ? ORDER BY seq", d.ProcessID).Scan(&kinds).Error)
	require.Equal(t, []string{"progress_update", "rule_change", "progress_update", "rule_change", "progress_update"}, kinds,
		"the updates and the changes of rule between them, in one chain")
	require.Equal(t, int64(5), rep.Entries)
}

// TestConcurrentUpdates: writers publish updates of one commitment at once,
// and forum members sign one joint draft at once. Every publication is
// kept, numbered without gaps in the ledger; the draft is published once.
func TestConcurrentUpdates(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)
	d := f.create(t, "Open contracting register")
	const n = 12
	writers := []auth.Principal{f.owner, f.wg, f.gov, f.gov2}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := writers[i%len(writers)]
			u, err := f.Commitments.CreateUpdate(f.ctx, who, d.ID, commitment.UpdateInput{Kind: "government", Progress: "Progress report",
				NextSteps: "More", Milestones: states(d, "in_progress")})
			if err == nil {
				_, err = f.Commitments.Publish(f.ctx, who, u.ID, u.Revision)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, n, count(t, f, "progress_updates", "commitment_id = ? AND state = 'published'", d.ID))
	var seqs []int64
	require.NoError(t, f.Owner.Raw("SELECT ledger_seq FROM progress_updates WHERE commitment_id = ? ORDER BY ledger_seq", d.ID).Scan(&seqs).Error)
	for i, s := range seqs {
		require.Equal(t, int64(i+1), s)
	}

	// Four forum members sign one joint draft at once: one publication.
	u, err := f.Commitments.CreateUpdate(f.ctx, f.wg, d.ID, commitment.UpdateInput{Kind: "joint", Progress: "Joint", NextSteps: "More", Milestones: states(d, "in_progress")})
	require.NoError(t, err)
	signers := []auth.Principal{f.gov, f.gov2, f.civil, f.civil2}
	errs = make(chan error, len(signers))
	for _, who := range signers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Commitments.Sign(f.ctx, who, u.ID, u.Revision)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	published := 0
	for err := range errs {
		if err == nil {
			published++
			continue
		}
		require.ErrorIs(t, err, commitment.ErrPublished, "a signature after the publication is refused")
	}
	require.GreaterOrEqual(t, published, 2)
	require.Equal(t, 1, count(t, f, "ledger_entries", "fields LIKE ?", `%"update":`+jsonInt(u.ID)+`,%`))
	rep, err := f.Ledger.Verify(f.ctx, d.ProcessID)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.Equal(t, int64(n+1), rep.Entries)
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
