package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Options are the service's clock, the web app's address (for the links in
// invitations) and the moderation screen free text passes (nil publishes it
// unscreened: demo data only).
type Options struct {
	Now       func() time.Time
	PublicURL string
	Screen    contribution.Screen
}

// Service holds the rules of surveys.
type Service struct {
	db    *gorm.DB
	store *Store
	procs *process.Service
	opt   Options
}

// NewService returns the service on db.
func NewService(db *gorm.DB, procs *process.Service, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: db, store: NewStore(db), procs: procs, opt: opt}
}

// phaseOf returns the process's phase of kind, or ErrNotFound.
func phaseOf(p process.Process, kind string) (process.Phase, error) {
	for _, ph := range p.Phases {
		if string(ph.Kind) == kind {
			return ph, nil
		}
	}
	return process.Phase{}, ErrNotFound
}

// build returns the survey of a phase at now.
func (s *Service) build(ctx context.Context, p process.Process, ph process.Phase, counts map[string]int) (Survey, error) {
	qs, edited, err := s.store.Questions(ctx, p.ID, string(ph.Kind))
	if err != nil {
		return Survey{}, err
	}
	opens, closes, st := window(ph, s.opt.Now())
	return Survey{ProcessID: p.ID, Slug: p.Slug, Phase: ph.Kind, OpensAt: opens, ClosesAt: closes, State: st,
		Edited: edited, Questions: qs, Answers: counts[string(ph.Kind)]}, nil
}

// List returns the survey of every phase of a process actor may read, in
// phase order.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string) ([]Survey, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.AnswerCounts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Survey, 0, len(p.Phases))
	for _, ph := range p.Phases {
		sv, err := s.build(ctx, p, ph, counts)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}

// Get returns the survey of a phase of a process actor may read.
func (s *Service) Get(ctx context.Context, actor auth.Principal, slug, phase string) (Survey, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Survey{}, err
	}
	ph, err := phaseOf(p, phase)
	if err != nil {
		return Survey{}, err
	}
	counts, err := s.store.AnswerCounts(ctx, p.ID)
	if err != nil {
		return Survey{}, err
	}
	return s.build(ctx, p, ph, counts)
}

// Invited returns the open surveys of a process that actor took part in and
// has not answered: what the process page offers them.
func (s *Service) Invited(ctx context.Context, actor auth.Principal, slug string) ([]Survey, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	out := []Survey{}
	if actor.UserID <= 0 {
		return out, nil
	}
	answered, err := s.store.Answered(ctx, p.ID, actor.UserID)
	if err != nil {
		return nil, err
	}
	for _, ph := range p.Phases {
		if _, _, st := window(ph, s.opt.Now()); st != StateOpen || answered[string(ph.Kind)] {
			continue
		}
		ok, err := s.store.TookPart(ctx, p.ID, actor.UserID, ph.OpensAt, ph.ClosesAt)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		sv, err := s.build(ctx, p, ph, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}

// PutQuestions replaces the questions of a phase's survey: owners only
// (ErrForbidden), and only while it has no answer (ErrAnswered).
func (s *Service) PutQuestions(ctx context.Context, actor auth.Principal, slug, phase string, in []QuestionInput) (Survey, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Survey{}, err
	}
	if err := s.procs.RequireManage(ctx, actor, p, ErrForbidden); err != nil {
		return Survey{}, err
	}
	ph, err := phaseOf(p, phase)
	if err != nil {
		return Survey{}, err
	}
	qs, err := checkQuestions(in)
	if err != nil {
		return Survey{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if _, err := s.store.Lock(ctx, p.ID, phase, true); err != nil {
			return err
		}
		counts, err := s.store.AnswerCounts(ctx, p.ID)
		if err != nil {
			return err
		}
		if counts[phase] > 0 {
			return ErrAnswered
		}
		return s.store.PutQuestions(ctx, p.ID, phase, qs, s.opt.Now().UTC())
	})
	if err != nil {
		return Survey{}, err
	}
	return s.build(ctx, p, ph, nil)
}

// Answer records actor's answer to the survey of a phase: once per person
// (ErrAlreadyDone), while the survey is open (ErrNotOpen), by the people who
// took part in the phase (ErrNotParticipant). Free texts go to moderation.
func (s *Service) Answer(ctx context.Context, actor auth.Principal, slug, phase string, values []Value) error {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return err
	}
	ph, err := phaseOf(p, phase)
	if err != nil {
		return err
	}
	if _, _, st := window(ph, s.opt.Now()); st != StateOpen {
		return ErrNotOpen
	}
	ok, err := s.store.TookPart(ctx, p.ID, actor.UserID, ph.OpensAt, ph.ClosesAt)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotParticipant
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		qs, err := s.store.Lock(ctx, p.ID, phase, false)
		if err != nil {
			return err
		}
		c, err := checkAnswer(qs, values)
		if err != nil {
			return err
		}
		if _, err := s.store.InsertAnswer(ctx, p.ID, phase, actor.UserID, c.values); err != nil {
			return err
		}
		for _, t := range c.texts {
			if err := s.storeText(ctx, p.ID, phase, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// storeText stores a free-text answer: held for a moderator when the screen
// says so (it always does for survey text), published otherwise.
func (s *Service) storeText(ctx context.Context, processID int64, phase string, t text) error {
	html, err := markdown.Render(t.body)
	if err != nil {
		return fmt.Errorf("survey: render: %w", err)
	}
	status := "published"
	var sc contribution.Screening
	if s.opt.Screen != nil {
		sc, err = s.opt.Screen(ctx, contribution.Draft{Kind: contribution.KindSurveyText, ProcessID: processID, Body: t.body})
		if err != nil {
			return err
		}
		if sc.Held {
			status = "pending"
		}
	}
	id, err := s.store.InsertText(ctx, processID, phase, t.question, t.body, html, status)
	if err != nil {
		return err
	}
	if sc.Record != nil {
		return sc.Record(ctx, id)
	}
	return nil
}

// Sweep clears the account link of the answers of every survey that has
// closed, and returns how many answers it cleared.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	return s.store.Sweep(ctx, s.opt.Now().UTC())
}

// link is an address in the web app.
func (s *Service) link(format string, args ...any) string {
	return strings.TrimRight(s.opt.PublicURL, "/") + fmt.Sprintf(format, args...)
}
