package report

import (
	"context"
	"math"

	"cocreate/internal/process"
	"cocreate/internal/survey"
)

// feedback reads the results of the feedback survey of each phase in scope
// whose survey has opened (every such phase for the whole process, the one
// phase otherwise), through the snapshot ctx carries: survey.Results joins it.
func (s *Service) feedback(ctx context.Context, p process.Process, phase string, out *[]FeedbackSurvey) error {
	*out = []FeedbackSurvey{}
	now := s.now()
	for _, ph := range p.Phases {
		if phase != "" && string(ph.Kind) != phase {
			continue
		}
		if now.Before(ph.ClosesAt) { // its survey opens when the phase closes
			continue
		}
		res, err := s.surveys.Results(ctx, p.ID, ph.Kind)
		if err != nil {
			return err
		}
		*out = append(*out, feedbackOf(res))
	}
	return nil
}

// feedbackOf is a survey's results as the report holds them.
func feedbackOf(res survey.Results) FeedbackSurvey {
	f := FeedbackSurvey{Phase: string(res.Phase), OpensAt: res.OpensAt.UTC(), ClosesAt: res.ClosesAt.UTC(), Edited: res.Edited,
		FewerThanMin: res.FewerThanMin, Questions: []FeedbackQuestion{}}
	if !res.FewerThanMin {
		n := res.Answers
		f.Answers = &n
	}
	for _, q := range res.Questions {
		fq := FeedbackQuestion{ID: q.ID, Kind: string(q.Kind), Prompt: q.Prompt, Options: nonNil(q.Options), FewerThanMin: q.FewerThanMin,
			Counts: []FeedbackCount{}, Texts: []FeedbackText{}}
		if !q.FewerThanMin {
			n := q.Answered
			fq.Answered = &n
		}
		for _, c := range q.Counts {
			fq.Counts = append(fq.Counts, FeedbackCount{Value: c.Value, Count: c.Count})
		}
		if q.Mean != nil {
			m := math.Round(*q.Mean*100) / 100
			fq.Mean = &m
		}
		for _, t := range q.Texts {
			fq.Texts = append(fq.Texts, FeedbackText{ID: t.ID, Body: t.Body, BodyHTML: t.BodyHTML})
		}
		f.Questions = append(f.Questions, fq)
	}
	return f
}
