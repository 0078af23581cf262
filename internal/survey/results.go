package survey

import (
	"context"
	"strconv"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// Results are the aggregated answers of one survey. With fewer than MinGroup
// answers in all, FewerThanMin is set and nothing else is counted or shown.
type Results struct {
	Survey
	FewerThanMin bool
	Questions    []QuestionResult
}

// QuestionResult is one question's results: how many answered it and, when
// that is at least MinGroup, the count of each value (in the question's
// order), the mean of a scale, and a free-text question's published texts.
type QuestionResult struct {
	Question
	FewerThanMin bool
	Answered     int
	Counts       []Count
	Mean         *float64
	Texts        []PublishedText
}

// Count is how many answers gave one value ("1".."5", "yes"/"no", an option).
type Count struct {
	Value string
	Count int
}

// PublishedText is a free-text answer a moderator approved.
type PublishedText struct {
	ID       int64
	Body     string
	BodyHTML string
}

// PublicResults returns the results of a phase's survey of a process actor may read.
func (s *Service) PublicResults(ctx context.Context, actor auth.Principal, slug, phase string) (Results, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Results{}, err
	}
	return s.Results(ctx, p.ID, process.PhaseKind(phase))
}

// Results returns the results of the survey of a process's phase, read in one
// snapshot; the close-out report calls it. ErrNotFound when the process has
// no such phase.
func (s *Service) Results(ctx context.Context, processID int64, phase process.PhaseKind) (Results, error) {
	p, err := s.procs.GetByID(ctx, processID)
	if err != nil {
		return Results{}, err
	}
	ph, err := phaseOf(p, string(phase))
	if err != nil {
		return Results{}, err
	}
	var out Results
	read := func(ctx context.Context) error {
		counts, err := s.store.AnswerCounts(ctx, p.ID)
		if err != nil {
			return err
		}
		sv, err := s.build(ctx, p, ph, counts)
		if err != nil {
			return err
		}
		out = Results{Survey: sv}
		if sv.Answers < MinGroup {
			out.FewerThanMin, out.Answers = true, 0
			for _, q := range sv.Questions {
				out.Questions = append(out.Questions, QuestionResult{Question: q, FewerThanMin: true})
			}
			return nil
		}
		return s.fill(ctx, &out)
	}
	if database.InTransaction(ctx) {
		err = read(ctx) // the close-out report's own snapshot
	} else {
		err = database.InSnapshot(ctx, s.db, read)
	}
	return out, err
}

// fill counts the values and lists the published texts of a survey with
// enough answers.
func (s *Service) fill(ctx context.Context, out *Results) error {
	rows, err := s.store.ValueCounts(ctx, out.ProcessID, string(out.Phase))
	if err != nil {
		return err
	}
	texts, err := s.store.PublishedTexts(ctx, out.ProcessID, string(out.Phase))
	if err != nil {
		return err
	}
	by := map[string]map[string]int{}
	for _, r := range rows {
		if by[r.Question] == nil {
			by[r.Question] = map[string]int{}
		}
		by[r.Question][r.Value] = r.N
	}
	for _, q := range out.Survey.Questions {
		r := QuestionResult{Question: q}
		if q.Kind == KindText {
			for _, t := range texts {
				if t.QuestionID == q.ID {
					r.Texts = append(r.Texts, PublishedText{ID: t.ID, Body: t.Body, BodyHTML: t.BodyHTML})
				}
			}
			r.Answered = len(r.Texts)
			out.Questions = append(out.Questions, r)
			continue
		}
		got := by[q.ID]
		sum := 0
		for _, v := range valuesOf(q) {
			n := got[v.json]
			r.Answered += n
			r.Counts = append(r.Counts, Count{Value: v.label, Count: n})
			if q.Kind == KindScale {
				k, _ := strconv.Atoi(v.json)
				sum += k * n
			}
		}
		if r.Answered < MinGroup {
			r.FewerThanMin, r.Answered, r.Counts = true, 0, nil
		} else if q.Kind == KindScale {
			m := float64(sum) / float64(r.Answered)
			r.Mean = &m
		}
		out.Questions = append(out.Questions, r)
	}
	return nil
}

// value is one value of a closed question: as valueCountsSQL reads it and
// as results name it.
type value struct{ json, label string }

// valuesOf lists a closed question's values in order.
func valuesOf(q Question) []value {
	switch q.Kind {
	case KindScale:
		return []value{{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5"}}
	case KindYesNo:
		return []value{{"true", "yes"}, {"false", "no"}}
	}
	out := make([]value, len(q.Options))
	for n, o := range q.Options {
		out[n] = value{o, o}
	}
	return out
}
