package commitment_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/forum"
)

// TestQuestions: a citizen asks; the clock counts working days (a holiday
// skipped); the lead institution pauses it once with a reason; the forum or
// the lead institution answers, once; overdue questions are listed on the
// dashboard; a moderator hides one.
func TestQuestions(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)
	d := f.create(t, "Open contracting register")
	_, err := f.Commitments.SetSettings(f.ctx, f.owner, f.slug, commitment.SettingsInput{AtRiskDays: 30,
		Holidays: []commitment.HolidayInput{{Day: "2027-03-26", Name: "Spring holiday"}}})
	require.NoError(t, err)

	_, err = f.Commitments.Ask(f.ctx, auth.Anonymous, d.ID, "Why?")
	require.ErrorIs(t, err, commitment.ErrForbidden)
	_, err = f.Commitments.Ask(f.ctx, f.citizen, d.ID, "   ")
	require.Equal(t, []string{"body:required"}, fields(t, err))
	q, err := f.Commitments.Ask(f.ctx, f.citizen, d.ID, "When will the register go live?")
	require.NoError(t, err)
	require.Equal(t, "2027-04-13", q.DueOn.String(), "20 working days from Monday 15 March, the 26th a holiday")
	require.Equal(t, 0, q.Elapsed)

	// Who may answer: the lead institution or the forum, not a citizen or a moderator.
	for _, who := range []auth.Principal{f.citizen, f.mod, f.wg2} {
		_, err = f.Commitments.AnswerQuestion(f.ctx, who, q.ID, "Soon.")
		require.ErrorIs(t, err, commitment.ErrNotAnswerer)
	}
	// The pause: a reason, a resume date after today and within 60 days, once.
	_, err = f.Commitments.Pause(f.ctx, f.wg, q.ID, "", "2027-03-15")
	require.ElementsMatch(t, []string{"reason:length", "resumes_on:future"}, fields(t, err))
	_, err = f.Commitments.Pause(f.ctx, f.wg, q.ID, "Waiting for the ministry's figures", "2027-06-01")
	require.Equal(t, []string{"resumes_on:too_far"}, fields(t, err))
	q, err = f.Commitments.Pause(f.ctx, f.wg, q.ID, "Waiting for the ministry's figures", "2027-03-22")
	require.NoError(t, err)
	require.Equal(t, "2027-03-15", q.PausedOn.String())
	require.Equal(t, "2027-04-19", q.DueOn.String(), "the pause stops Tuesday 16 to Friday 19 March: four working days more")
	_, err = f.Commitments.Pause(f.ctx, f.owner, q.ID, "Again", "2027-03-29")
	require.ErrorIs(t, err, commitment.ErrAlreadyPaused)

	// Past its due day it is overdue, and the dashboard lists it.
	f.Clock.Advance(35 * 24 * time.Hour) // Monday 19 April, its due day
	dash, err := f.Commitments.Dashboard(f.ctx, auth.Anonymous, f.slug)
	require.NoError(t, err)
	require.Empty(t, dash.Overdue, "not late on its due day")
	f.Clock.Advance(24 * time.Hour) // Tuesday 20 April
	dash, err = f.Commitments.Dashboard(f.ctx, auth.Anonymous, f.slug)
	require.NoError(t, err)
	require.Len(t, dash.Overdue, 1)
	require.Equal(t, q.ID, dash.Overdue[0].ID)
	require.Equal(t, 1, dash.Items[0].OverdueQuestions)

	// The forum answers (as the forum); it is answered once, late by a day.
	a, err := f.Commitments.AnswerQuestion(f.ctx, f.civil, q.ID, "The register goes live on **30 April**.")
	require.NoError(t, err)
	require.Equal(t, "forum", *a.AnsweredAs)
	require.Equal(t, 1, a.Late)
	require.False(t, a.Overdue)
	_, err = f.Commitments.AnswerQuestion(f.ctx, f.owner, q.ID, "Again")
	require.ErrorIs(t, err, commitment.ErrAnswered)
	dash, err = f.Commitments.Dashboard(f.ctx, auth.Anonymous, f.slug)
	require.NoError(t, err)
	require.Empty(t, dash.Overdue)

	// A moderator hides a question that breaks the house rules; its text goes from the public list.
	q2, err := f.Commitments.Ask(f.ctx, f.citizen, d.ID, "Rude words")
	require.NoError(t, err)
	_, err = f.Commitments.Hide(f.ctx, f.wg, q2.ID, "Insults")
	require.ErrorIs(t, err, commitment.ErrNotModerator)
	_, err = f.Commitments.Hide(f.ctx, f.mod, q2.ID, "Insults")
	require.NoError(t, err)
	_, err = f.Commitments.AnswerQuestion(f.ctx, f.owner, q2.ID, "No")
	require.ErrorIs(t, err, commitment.ErrHidden)
	qs, err := f.Commitments.Questions(f.ctx, auth.Anonymous, d.ID)
	require.NoError(t, err)
	require.Len(t, qs, 2)
	require.Empty(t, qs[0].Body)
	require.Equal(t, "Insults", *qs[0].HiddenReason)
	require.Equal(t, "The register goes live on **30 April**.", *qs[1].Answer)
}

// TestNotices: the update reminder goes a fortnight before the update falls
// due, once per due day, to every owner; an overdue question's notice once.
func TestNotices(t *testing.T) {
	f := newFixture(t, forum.RuleJoint)
	owner2 := f.Person(t)
	f.Grant(t, f.slug, owner2, "owner")
	d := f.create(t, "Open contracting register") // starts 4 January: an update is due on 4 July
	mails := func(kind string) int { return count(t, f, "outbox", "kind = ?", kind) }

	n, err := f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "in March nothing is due")

	f.Clock.Advance(time.Duration(int(time.Date(2027, 6, 19, 9, 0, 0, 0, time.UTC).Sub(start).Hours())) * time.Hour) // 19 June: 15 days before
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n)
	f.Clock.Advance(24 * time.Hour) // 20 June: a fortnight before
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 2, mails("update_reminder"), "one per owner")
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "once per due day")
	require.Equal(t, 2, mails("update_reminder"))
	var subject string
	require.NoError(t, f.Owner.Raw("SELECT subject FROM outbox WHERE kind = 'update_reminder' LIMIT 1").Scan(&subject).Error)
	require.Equal(t, "Progress update due on 2027-07-04: Open contracting register", subject)

	// An update moves the due day: a new reminder when the next one nears.
	u, err := f.Commitments.CreateUpdate(f.ctx, f.owner, d.ID, commitment.UpdateInput{Kind: "government", Progress: "Live", NextSteps: "More",
		DelayReasons: "The supplier was late.", Milestones: states(d, "in_progress")})
	require.NoError(t, err)
	_, err = f.Commitments.Publish(f.ctx, f.owner, u.ID, u.Revision)
	require.NoError(t, err)
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n)

	// An overdue question: its owners hear once.
	q, err := f.Commitments.Ask(f.ctx, f.citizen, d.ID, "Where is the data?")
	require.NoError(t, err)
	f.Clock.Advance(time.Duration(int(q.DueOn.Time().Sub(f.Now()).Hours())+1) * time.Hour) // the due day itself
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "on its due day it is not late")
	f.Clock.Advance(24 * time.Hour)
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 2, mails("question_overdue"))
	n, err = f.Commitments.SendNotices(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n)
	require.Equal(t, 2, mails("question_overdue"))
	require.Equal(t, 1, count(t, f, "implementation_notices", "kind = 'question_overdue' AND subject_id = ?", q.ID))
}
