package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
	"cocreate/internal/report"
	"cocreate/internal/survey"
)

func scale(q string, v int) survey.Value  { return survey.Value{Question: q, Scale: &v} }
func yesNo(q string, v bool) survey.Value { return survey.Value{Question: q, Yes: &v} }
func free(q, v string) survey.Value       { return survey.Value{Question: q, Text: &v} }

// answerSurvey records who's answer to the phase's survey: q1 = scale, q2
// yes, q3 = 4 and a free text.
func answerSurvey(t *testing.T, f *fixture, who auth.Principal, phase string, s int, yes bool, text string) {
	t.Helper()
	require.NoError(t, f.env.Surveys.Answer(context.Background(), who, f.p.Slug, phase,
		[]survey.Value{scale("q1", s), yesNo("q2", yes), scale("q3", 4), free("q4", text)}))
}

// setTextStatus moves a free text as a moderator's decision would.
func setTextStatus(t *testing.T, f *fixture, body, status string) {
	t.Helper()
	require.EqualValues(t, 1, f.env.Owner.Exec("UPDATE survey_texts SET status = ? WHERE body = ?", status, body).RowsAffected)
}

// TestReportFeedbackSection: the report holds the results of the surveys of
// the phases in scope whose survey has opened: counts and the mean of each
// closed question, only the free texts a moderator approved, and nothing
// counted in a survey with fewer than 5 answers; a published report keeps
// the figures of its moment.
func TestReportFeedbackSection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.people
	// The idea-collection phase closed twenty days ago: its survey is open.
	// Six of its participants answer; two texts wait for a moderator and one
	// was rejected.
	for i, s := range []int{1, 2, 4, 4, 5, 5} {
		answerSurvey(t, f, p[i], "idea_collection", s, i%3 != 0, fmt.Sprintf("Idea phase feedback %d", i))
	}
	setTextStatus(t, f, "Idea phase feedback 1", "pending")
	setTextStatus(t, f, "Idea phase feedback 3", "pending")
	setTextStatus(t, f, "Idea phase feedback 5", "rejected")

	r, err := f.env.Reports.Preview(ctx, f.owner, f.p.Slug, report.Input{})
	require.NoError(t, err)
	require.Len(t, r.Feedback, 1, "the public-comment phase is still running: its survey has not opened")
	fb := r.Feedback[0]
	require.Equal(t, "idea_collection", fb.Phase)
	require.True(t, fb.OpensAt.Equal(start.AddDate(0, 0, -20)))
	require.False(t, fb.FewerThanMin)
	require.Equal(t, 6, *fb.Answers)
	require.Len(t, fb.Questions, 4)
	q1 := fb.Questions[0]
	require.Equal(t, "scale", q1.Kind)
	require.Equal(t, 6, *q1.Answered)
	require.Equal(t, []report.FeedbackCount{{"1", 1}, {"2", 1}, {"3", 0}, {"4", 2}, {"5", 2}}, q1.Counts)
	require.InDelta(t, 3.5, *q1.Mean, 1e-9, "(1+2+4+4+5+5)/6")
	q2 := fb.Questions[1]
	require.Equal(t, []report.FeedbackCount{{"yes", 4}, {"no", 2}}, q2.Counts)
	require.Nil(t, q2.Mean)
	require.Equal(t, []report.FeedbackCount{{"1", 0}, {"2", 0}, {"3", 0}, {"4", 6}, {"5", 0}}, fb.Questions[2].Counts)
	q4 := fb.Questions[3]
	require.Equal(t, "text", q4.Kind)
	require.Empty(t, q4.Counts)
	var bodies []string
	for _, x := range q4.Texts {
		bodies = append(bodies, x.Body)
		require.Equal(t, "<p>"+x.Body+"</p>\n", x.BodyHTML)
	}
	require.Equal(t, []string{"Idea phase feedback 0", "Idea phase feedback 2", "Idea phase feedback 4"}, bodies, "pending and rejected texts are absent")

	var csv bytes.Buffer
	require.NoError(t, report.WriteCSV(&csv, r))
	require.Contains(t, csv.String(), "feedback,answers,idea_collection,6\n")
	require.Contains(t, csv.String(), "feedback,answers_by_value,idea_collection q1 How clear was what you could influence?: 4,2\n")
	require.Contains(t, csv.String(), "feedback,mean,idea_collection q1 How clear was what you could influence?,3.50\n")
	require.Contains(t, csv.String(), "feedback,text,idea_collection q4 Anything else you want to tell the team?,Idea phase feedback 4\n")
	require.NotContains(t, csv.String(), "Idea phase feedback 1")
	require.NotContains(t, csv.String(), "Idea phase feedback 5")

	// Published, the report keeps these figures: a later answer and a later
	// approval change the next preview, not the published report.
	pub, err := f.env.Reports.Publish(ctx, f.owner, f.p.Slug, report.Input{Phase: "idea_collection"})
	require.NoError(t, err)
	answerSurvey(t, f, p[6], "idea_collection", 1, true, "Idea phase feedback 6")
	setTextStatus(t, f, "Idea phase feedback 1", "published")
	got, err := f.env.Reports.Report(ctx, auth.Anonymous, f.p.Slug, pub.Number)
	require.NoError(t, err)
	require.Equal(t, pub.ContentHash, got.ContentHash)
	var frozen report.Report
	require.NoError(t, json.Unmarshal([]byte(got.Content), &frozen))
	require.Len(t, frozen.Feedback, 1)
	require.Equal(t, 6, *frozen.Feedback[0].Answers)
	require.Len(t, frozen.Feedback[0].Questions[3].Texts, 3)
	require.NotContains(t, got.Content, "Idea phase feedback 1")
	later, err := f.env.Reports.Preview(ctx, f.owner, f.p.Slug, report.Input{Phase: "idea_collection"})
	require.NoError(t, err)
	require.Equal(t, 7, *later.Feedback[0].Answers)
	require.Len(t, later.Feedback[0].Questions[3].Texts, 5)

	// Once the public-comment phase has closed, its survey opens; two of its
	// participants answer, with texts that are published: fewer than 5, so
	// nothing of it is counted or shown.
	f.env.Clock.Advance(10*24*time.Hour + time.Hour)
	answerSurvey(t, f, p[0], "public_comment", 5, true, "Comment phase feedback 0")
	answerSurvey(t, f, p[1], "public_comment", 5, true, "Comment phase feedback 1")
	require.EqualValues(t, 2, f.env.Owner.Exec("UPDATE survey_texts SET status = 'published' WHERE phase = 'public_comment'").RowsAffected)
	r, err = f.env.Reports.Preview(ctx, f.owner, f.p.Slug, report.Input{})
	require.NoError(t, err)
	require.Len(t, r.Feedback, 2)
	require.Equal(t, "idea_collection", r.Feedback[0].Phase)
	few := r.Feedback[1]
	require.Equal(t, "public_comment", few.Phase)
	require.True(t, few.FewerThanMin)
	require.Nil(t, few.Answers)
	for _, q := range few.Questions {
		require.True(t, q.FewerThanMin, q.ID)
		require.Nil(t, q.Answered)
		require.Empty(t, q.Counts)
		require.Nil(t, q.Mean)
		require.Empty(t, q.Texts)
	}
	csv.Reset()
	require.NoError(t, report.WriteCSV(&csv, r))
	require.Contains(t, csv.String(), "feedback,answers,public_comment,fewer than 5\n")
	require.NotContains(t, csv.String(), "Comment phase feedback")
	content, err := json.Marshal(r)
	require.NoError(t, err)
	require.False(t, strings.Contains(string(content), "Comment phase feedback"))

	phaseOnly, err := f.env.Reports.Preview(ctx, f.owner, f.p.Slug, report.Input{Phase: "public_comment"})
	require.NoError(t, err)
	require.Len(t, phaseOnly.Feedback, 1)
	require.Equal(t, "public_comment", phaseOnly.Feedback[0].Phase)
}

// TestSurveyResultsReadTheReportSnapshot: survey results read in the
// report's snapshot see the answers committed when it began, not one
// committed while it runs, so the feedback figures are of the same moment as
// the rest of the report.
func TestSurveyResultsReadTheReportSnapshot(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 5 {
		answerSurvey(t, f, f.people[i], "idea_collection", 3, true, fmt.Sprintf("Text %d", i))
	}
	err := database.InSnapshot(ctx, f.env.DB, func(ctx context.Context) error {
		var n int
		require.NoError(t, database.Conn(ctx, f.env.DB).Raw("SELECT count(*) FROM survey_answers").Scan(&n).Error)
		require.Equal(t, 5, n)
		answerSurvey(t, f, f.people[5], "idea_collection", 3, true, "Text 5") // commits on its own
		res, err := f.env.Surveys.Results(ctx, f.p.ID, process.PhaseIdeaCollection)
		require.NoError(t, err)
		require.Equal(t, 5, res.Answers)
		return nil
	})
	require.NoError(t, err)
	res, err := f.env.Surveys.Results(ctx, f.p.ID, process.PhaseIdeaCollection)
	require.NoError(t, err)
	require.Equal(t, 6, res.Answers)
}
