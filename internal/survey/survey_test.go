package survey_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/idea"
	"cocreate/internal/moderation"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
	"cocreate/internal/survey"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// start is the fixtures' clock: the idea-collection phase runs from ten days
// before it to an hour after it.
var start = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

const slug = "survey-test"
const phase = "idea_collection"

type fixture struct {
	*apptest.Env
	owner        auth.Principal
	participants []auth.Principal
	outsider     auth.Principal
	theme        int64
}

// newFixture makes a process whose idea-collection phase closes an hour after
// start, n participants who each proposed an idea in it, an owner and an
// outsider (who took part in nothing), then moves the clock past the close:
// the survey is open.
func newFixture(t *testing.T, n int) fixture {
	t.Helper()
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Start: start})
	sys.ProcessWith(t, slug, nil, process.PhaseInput{Kind: process.PhaseIdeaCollection, OpensAt: start.Add(-240 * time.Hour), ClosesAt: start.Add(time.Hour)},
		process.PhaseInput{Kind: process.PhaseDrafting, OpensAt: start.Add(2 * time.Hour), ClosesAt: start.Add(60 * 24 * time.Hour)})
	set, err := sys.Ideas.PutSettings(ctx, auth.System, slug, idea.SettingsInput{Themes: []idea.ThemeInput{{Name: "Any"}}})
	require.NoError(t, err)
	f := fixture{Env: sys, theme: set.Themes[0].ID}
	people := sys.People(t, n+2)
	f.owner, f.outsider, f.participants = people[0], people[1], people[2:]
	sys.Grant(t, slug, f.owner, process.RoleOwner)
	for i, p := range f.participants {
		_, err := sys.Ideas.Create(ctx, p, slug, idea.CreateInput{Title: fmt.Sprintf("Idea number %d", i),
			Body: fmt.Sprintf("A proposal for the plan, number %d", i), ThemeID: f.theme})
		require.NoError(t, err)
	}
	sys.Clock.Advance(2 * time.Hour)
	return f
}

func scale(q string, v int) survey.Value { return survey.Value{Question: q, Scale: &v} }
func yes(q string, v bool) survey.Value  { return survey.Value{Question: q, Yes: &v} }
func freeText(q, v string) survey.Value  { return survey.Value{Question: q, Text: &v} }
func choice(q, v string) survey.Value    { return survey.Value{Question: q, Choice: &v} }
func fullAnswer(n int) []survey.Value {
	return []survey.Value{scale("q1", n%5+1), yes("q2", n%2 == 0), scale("q3", 4), freeText("q4", fmt.Sprintf("Thoughts number %d on the process", n))}
}

func (f fixture) count(t *testing.T, table, where string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.Owner.Raw("SELECT count(*) FROM "+table+" WHERE "+where, args...).Scan(&n).Error)
	return n
}

func codeOf(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

// TestSurveyOpensWhenThePhaseClosesAndClosesAfterTheWindow: answers before
// the phase closes and after the window are refused (survey.not_open) and
// store nothing; inside it a participant's answer is stored once.
func TestSurveyOpensWhenThePhaseClosesAndClosesAfterTheWindow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	p := f.participants[0]
	sv, err := f.Surveys.Get(ctx, auth.Anonymous, slug, phase)
	require.NoError(t, err)
	require.Equal(t, survey.StateOpen, sv.State)
	require.Equal(t, start.Add(time.Hour), sv.OpensAt.UTC())
	require.Equal(t, start.Add(time.Hour).Add(survey.Window), sv.ClosesAt.UTC())

	// The drafting phase has not closed: its survey is upcoming.
	err = f.Surveys.Answer(ctx, p, slug, "drafting", fullAnswer(1))
	require.ErrorIs(t, err, survey.ErrNotOpen)

	f.Clock.Advance(survey.Window)
	err = f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(1))
	require.ErrorIs(t, err, survey.ErrNotOpen)
	require.Equal(t, "survey.not_open", codeOf(err))
	require.Zero(t, f.count(t, "survey_answers", "true"))
}

// TestOnlyParticipantsAnswerAndOnlyOnce: someone who took part in nothing is
// refused (403 code), a participant answers once; the second answer is
// survey.already_answered and stores nothing more.
func TestOnlyParticipantsAnswerAndOnlyOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	p := f.participants[0]

	err := f.Surveys.Answer(ctx, f.outsider, slug, phase, fullAnswer(1))
	require.ErrorIs(t, err, survey.ErrNotParticipant)
	// An owner who did not take part may not answer either.
	require.ErrorIs(t, f.Surveys.Answer(ctx, f.owner, slug, phase, fullAnswer(1)), survey.ErrNotParticipant)

	mine, err := f.Surveys.Invited(ctx, p, slug)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	require.Equal(t, process.PhaseIdeaCollection, mine[0].Phase)
	others, err := f.Surveys.Invited(ctx, f.outsider, slug)
	require.NoError(t, err)
	require.Empty(t, others)

	require.NoError(t, f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(1)))
	err = f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(2))
	require.ErrorIs(t, err, survey.ErrAlreadyDone)
	require.Equal(t, 1, f.count(t, "survey_answers", "user_id = ?", p.UserID))
	require.Equal(t, 1, f.count(t, "survey_texts", "true"))

	mine, err = f.Surveys.Invited(ctx, p, slug)
	require.NoError(t, err)
	require.Empty(t, mine)
}

// TestConcurrentAnswersOfOnePersonStoreOne: ten answers of one participant at
// once: exactly one is stored, the others are survey.already_answered.
func TestConcurrentAnswersOfOnePersonStoreOne(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	p := f.participants[0]
	var ok, dup atomic.Int32
	var wg sync.WaitGroup
	for n := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(n))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, survey.ErrAlreadyDone):
				dup.Add(1)
			default:
				t.Errorf("answer: %v", err)
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, 1, ok.Load())
	require.EqualValues(t, 9, dup.Load())
	require.Equal(t, 1, f.count(t, "survey_answers", "true"))
	require.Equal(t, 1, f.count(t, "survey_texts", "true"), "the refused answers' free text is rolled back with them")
}

// TestBadAnswersStoreNothing: an unknown question, a value out of range, a
// value of the wrong kind, a text too long and an empty answer are
// survey.invalid naming the field, and store nothing.
func TestBadAnswersStoreNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	p := f.participants[0]
	for _, tt := range []struct {
		name   string
		values []survey.Value
		field  string
	}{
		{"unknown question", []survey.Value{scale("q9", 3)}, "answers[0].question"},
		{"scale below 1", []survey.Value{scale("q1", 0)}, "answers[0].scale"},
		{"scale above 5", []survey.Value{scale("q1", 6)}, "answers[0].scale"},
		{"wrong kind", []survey.Value{yes("q1", true)}, "answers[0]"},
		{"two values", []survey.Value{{Question: "q1", Scale: ptr(3), Yes: ptr(true)}}, "answers[0]"},
		{"same question twice", []survey.Value{scale("q1", 3), scale("q1", 4)}, "answers[1].question"},
		{"text too long", []survey.Value{scale("q1", 3), freeText("q4", strings.Repeat("é", survey.MaxText+1))}, "answers[1].text"},
		{"nothing answered", nil, "answers"},
		{"only blank text", []survey.Value{freeText("q4", "   ")}, "answers"},
		{"choice on a scale", []survey.Value{choice("q1", "3")}, "answers[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := f.Surveys.Answer(ctx, p, slug, phase, tt.values)
			e, ok := apperr.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, "survey.invalid", e.Code)
			require.Equal(t, tt.field, e.Fields[0].Field)
		})
	}
	require.Zero(t, f.count(t, "survey_answers", "true"))
	require.Zero(t, f.count(t, "survey_texts", "true"))
	require.Zero(t, f.count(t, "moderation_items", "true"))
}

func ptr[T any](v T) *T { return &v }

// TestOwnersEditQuestionsUntilTheFirstAnswer: only an owner edits (a
// participant, a moderator and the anonymous may not), bad questions are
// refused, answers follow the new questions, and after the first answer an
// edit is survey.answered and changes nothing.
func TestOwnersEditQuestionsUntilTheFirstAnswer(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	p := f.participants[0]
	mod := f.Person(t)
	f.Grant(t, slug, mod, process.RoleModerator)
	qs := []survey.QuestionInput{{Kind: survey.KindChoice, Prompt: "How did you hear of it?", Options: []string{"Radio", "A friend", "Online"}},
		{Kind: survey.KindScale, Prompt: "  How fair was it?  "}}

	for _, who := range []auth.Principal{p, mod} {
		_, err := f.Surveys.PutQuestions(ctx, who, slug, phase, qs)
		require.ErrorIs(t, err, survey.ErrForbidden)
	}
	_, err := f.Surveys.PutQuestions(ctx, auth.Anonymous, slug, phase, qs)
	require.ErrorIs(t, err, survey.ErrForbidden)

	for _, bad := range [][]survey.QuestionInput{
		nil,
		make([]survey.QuestionInput, survey.MaxQuestions+1),
		{{Kind: "stars", Prompt: "Rate us"}},
		{{Kind: survey.KindScale, Prompt: ""}},
		{{Kind: survey.KindScale, Prompt: strings.Repeat("x", survey.MaxPrompt+1)}},
		{{Kind: survey.KindChoice, Prompt: "Pick", Options: []string{"Only one"}}},
		{{Kind: survey.KindChoice, Prompt: "Pick", Options: []string{"Same", "Same"}}},
		{{Kind: survey.KindYesNo, Prompt: "Yes?", Options: []string{"a", "b"}}},
	} {
		_, err := f.Surveys.PutQuestions(ctx, f.owner, slug, phase, bad)
		require.Equal(t, "survey.invalid", codeOf(err), "%v", bad)
	}
	require.Zero(t, f.count(t, "surveys", "edited_at IS NOT NULL"))

	sv, err := f.Surveys.PutQuestions(ctx, f.owner, slug, phase, qs)
	require.NoError(t, err)
	require.True(t, sv.Edited)
	require.Equal(t, []survey.Question{{ID: "q1", Kind: survey.KindChoice, Prompt: "How did you hear of it?", Options: []string{"Radio", "A friend", "Online"}},
		{ID: "q2", Kind: survey.KindScale, Prompt: "How fair was it?"}}, sv.Questions)

	require.Equal(t, "survey.invalid", codeOf(f.Surveys.Answer(ctx, p, slug, phase, []survey.Value{choice("q1", "Television")})))
	require.NoError(t, f.Surveys.Answer(ctx, p, slug, phase, []survey.Value{choice("q1", "A friend"), scale("q2", 2)}))

	_, err = f.Surveys.PutQuestions(ctx, f.owner, slug, phase, qs[:1])
	require.ErrorIs(t, err, survey.ErrAnswered)
	got, err := f.Surveys.Get(ctx, auth.Anonymous, slug, phase)
	require.NoError(t, err)
	require.Len(t, got.Questions, 2)
}

// TestSweepDropsTheAccountLinkWhenTheSurveyCloses: while the survey is open
// the answers keep their account (the one-answer rule); the sweep after the
// close clears every link and leaves the answers and their counts.
func TestSweepDropsTheAccountLinkWhenTheSurveyCloses(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3)
	for n, p := range f.participants {
		require.NoError(t, f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(n)))
	}
	n, err := f.Surveys.Sweep(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "an open survey keeps its links")
	require.Equal(t, 3, f.count(t, "survey_answers", "user_id IS NOT NULL"))

	f.Clock.Advance(survey.Window)
	_, swept, err := f.Surveys.Work(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 3, swept)
	require.Zero(t, f.count(t, "survey_answers", "user_id IS NOT NULL"))
	require.Equal(t, 3, f.count(t, "survey_answers", "true"))
	require.Zero(t, f.count(t, "moderation_items", "author_id IS NOT NULL AND survey_text_id IS NOT NULL"))
}

// TestFreeTextIsModeratedBeforeItIsPublished: every free text waits in the
// moderation queue without an author; results show only the approved one,
// never the rejected or the waiting.
func TestFreeTextIsModeratedBeforeItIsPublished(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 5)
	mod := f.Person(t)
	f.Grant(t, slug, mod, process.RoleModerator)
	for n, p := range f.participants {
		require.NoError(t, f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(n)))
	}
	require.Equal(t, 5, f.count(t, "survey_texts", "status = 'pending'"))
	require.Equal(t, 5, f.count(t, "moderation_items", "survey_text_id IS NOT NULL AND author_id IS NULL AND state = 'open'"))

	res, err := f.Surveys.PublicResults(ctx, auth.Anonymous, slug, phase)
	require.NoError(t, err)
	require.Empty(t, res.Questions[3].Texts)

	decide := func(out moderation.Outcome) string {
		it, err := f.Moderation.Claim(ctx, mod, slug, moderation.QueueFilter{Target: "survey_text"})
		require.NoError(t, err)
		require.NotNil(t, it.SurveyTextID)
		require.Zero(t, it.AuthorID)
		in := moderation.DecisionInput{Outcome: out, Version: it.Version}
		if out == moderation.OutcomeReject {
			in.Reason, in.Explanation = moderation.Reason("abuse"), "Insults"
		}
		_, err = f.Moderation.Decide(ctx, mod, it.ID, in)
		require.NoError(t, err)
		return it.Body
	}
	approved := decide(moderation.OutcomeApprove)
	rejected := decide(moderation.OutcomeReject)
	require.NotEqual(t, approved, rejected)

	pid, err := f.Processes.IDOf(ctx, slug)
	require.NoError(t, err)
	res, err = f.Surveys.Results(ctx, pid, process.PhaseIdeaCollection)
	require.NoError(t, err)
	texts := res.Questions[3].Texts
	require.Len(t, texts, 1)
	require.Equal(t, approved, texts[0].Body)
	require.Equal(t, 1, f.count(t, "survey_texts", "status = 'rejected'"))
	require.Equal(t, 3, f.count(t, "survey_texts", "status = 'pending'"))
}

// TestResultsNeedFiveAnswers: with four answers nothing is counted ("fewer
// than 5"); with five each closed question has its counts and a scale its mean.
func TestResultsNeedFiveAnswers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 5)
	for n, p := range f.participants[:4] {
		require.NoError(t, f.Surveys.Answer(ctx, p, slug, phase, fullAnswer(n)))
	}
	res, err := f.Surveys.PublicResults(ctx, auth.Anonymous, slug, phase)
	require.NoError(t, err)
	require.True(t, res.FewerThanMin)
	require.Zero(t, res.Answers)
	for _, q := range res.Questions {
		require.True(t, q.FewerThanMin)
		require.Nil(t, q.Counts)
		require.Nil(t, q.Mean)
	}

	// The fifth answers only q1 and q4: q2 and q3 stay below five.
	require.NoError(t, f.Surveys.Answer(ctx, f.participants[4], slug, phase, []survey.Value{scale("q1", 5)}))
	res, err = f.Surveys.PublicResults(ctx, auth.Anonymous, slug, phase)
	require.NoError(t, err)
	require.False(t, res.FewerThanMin)
	require.Equal(t, 5, res.Answers)
	q1 := res.Questions[0]
	require.False(t, q1.FewerThanMin)
	require.Equal(t, 5, q1.Answered)
	// fullAnswer gives q1 = n%5+1 for n = 0..3 (1, 2, 3, 4), then 5.
	require.Equal(t, []survey.Count{{"1", 1}, {"2", 1}, {"3", 1}, {"4", 1}, {"5", 1}}, q1.Counts)
	require.InDelta(t, 3.0, *q1.Mean, 1e-9)
	require.True(t, res.Questions[1].FewerThanMin)
	require.Nil(t, res.Questions[1].Counts)
	require.True(t, res.Questions[2].FewerThanMin)
}

// TestParticipantsAreInvitedOnceWhenThePhaseCloses: no invitation while the
// phase runs; once it has closed, one e-mail per participant (not the
// outsider, not the owner) with the survey's link; the next rounds send none.
func TestParticipantsAreInvitedOnceWhenThePhaseCloses(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Start: start, Env: map[string]string{"PUBLIC_URL": "https://cocreate.example"}})
	sys.ProcessWith(t, slug, nil, process.PhaseInput{Kind: process.PhaseIdeaCollection, OpensAt: start.Add(-240 * time.Hour), ClosesAt: start.Add(time.Hour)})
	set, err := sys.Ideas.PutSettings(ctx, auth.System, slug, idea.SettingsInput{Themes: []idea.ThemeInput{{Name: "Any"}}})
	require.NoError(t, err)
	people := sys.People(t, 4)
	author, supporter, outsider := people[0], people[1], people[2]
	gone := people[3]
	i, err := sys.Ideas.Create(ctx, author, slug, idea.CreateInput{Title: "Open the budget", Body: "Publish the budget as open data", ThemeID: set.Themes[0].ID})
	require.NoError(t, err)
	_, err = sys.Ideas.Support(ctx, supporter, i.ID)
	require.NoError(t, err)
	_, err = sys.Ideas.Support(ctx, gone, i.ID)
	require.NoError(t, err)
	require.NoError(t, sys.Owner.Exec("UPDATE users SET suspended_at = now() WHERE id = ?", gone.UserID).Error)
	_ = outsider

	n, err := sys.Surveys.Invite(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "the phase is still open")

	sys.Clock.Advance(2 * time.Hour)
	n, err = sys.Surveys.Invite(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	var mails []struct {
		UserID int64
		Body   string
	}
	require.NoError(t, sys.Owner.Raw("SELECT user_id, body FROM outbox WHERE kind = 'survey_invitation' ORDER BY user_id").Scan(&mails).Error)
	require.Len(t, mails, 2)
	require.Equal(t, []int64{author.UserID, supporter.UserID}, []int64{mails[0].UserID, mails[1].UserID})
	require.Contains(t, mails[0].Body, "https://cocreate.example/processes/"+slug+"/surveys/idea_collection")

	n, err = sys.Surveys.Invite(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	var total int
	require.NoError(t, sys.Owner.Raw("SELECT count(*) FROM outbox WHERE kind = 'survey_invitation'").Scan(&total).Error)
	require.Equal(t, 2, total)
}

// TestTimeBoxNeverPublishesSurveyText: a process whose time-box publishes
// held comments after an hour leaves survey free text waiting for a
// moderator, while a held idea of the same process is published.
func TestTimeBoxNeverPublishesSurveyText(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	st, err := f.Moderation.Settings(ctx, auth.System, slug)
	require.NoError(t, err)
	one := 1
	st.TimeboxHours = &one
	_, err = f.Moderation.PutSettings(ctx, auth.System, slug, st)
	require.NoError(t, err)
	require.NoError(t, f.Surveys.Answer(ctx, f.participants[0], slug, phase, fullAnswer(0)))
	// A comparison: a held idea of the same process, queued at the same time.
	require.NoError(t, f.Owner.Exec(`INSERT INTO moderation_items (process_id, idea_id, author_id, cause, created_at, queued_at)
		SELECT process_id, id, author_id, 'mode', ?, ? FROM ideas LIMIT 1`, f.Now(), f.Now()).Error)

	f.Clock.Advance(2 * time.Hour)
	n, err := f.Moderation.PublishOverdue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the idea's item is past the time-box")
	require.Equal(t, 1, f.count(t, "survey_texts", "status = 'pending'"))
	require.Equal(t, 1, f.count(t, "moderation_items", "survey_text_id IS NOT NULL AND state = 'open'"))
}

// TestAnAnswerAndAnEditAtOnce: an owner's edit racing the first answer
// either lands first (the answer then follows the new questions) or is
// refused with survey.answered; never an answer to questions that changed.
func TestAnAnswerAndAnEditAtOnce(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		f := newFixture(t, 1)
		newQs := []survey.QuestionInput{{Kind: survey.KindYesNo, Prompt: fmt.Sprintf("Round %d: was it fair?", round)}}
		var editErr, answerErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); _, editErr = f.Surveys.PutQuestions(ctx, f.owner, slug, phase, newQs) }()
		go func() {
			defer wg.Done()
			answerErr = f.Surveys.Answer(ctx, f.participants[0], slug, phase, []survey.Value{scale("q1", 3)})
		}()
		wg.Wait()
		if editErr == nil {
			// The edit came first: q1 is now yes/no, so a scale answer is refused and nothing is stored.
			require.Equal(t, "survey.invalid", codeOf(answerErr))
			require.Zero(t, f.count(t, "survey_answers", "true"))
		} else {
			require.ErrorIs(t, editErr, survey.ErrAnswered)
			require.NoError(t, answerErr)
			require.Equal(t, 1, f.count(t, "survey_answers", "true"))
			require.Equal(t, 1, f.count(t, "surveys", "edited_at IS NULL"))
		}
	}
}
