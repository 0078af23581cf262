package report

import (
	"context"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
	"cocreate/internal/survey"
)

// Options are the report service's settings.
type Options struct {
	Now       func() time.Time
	PublicURL string // links in e-mails
	// JobStale and JobHeartbeat, when set, replace JobStale and the 20 s
	// between a running job's heartbeats (tests shorten them).
	JobStale, JobHeartbeat time.Duration
}

// Service previews, publishes and reads close-out reports.
type Service struct {
	db      *gorm.DB
	procs   *process.Service
	ledger  *ledger.Service
	surveys *survey.Service
	figures figures
	store   *Store
	opt     Options
}

// NewService returns the report service; the feedback section reads the
// surveys' results.
func NewService(db *gorm.DB, procs *process.Service, l *ledger.Service, surveys *survey.Service, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: db, procs: procs, ledger: l, surveys: surveys, figures: figures{db: db}, store: &Store{db: db}, opt: opt}
}

func (s *Service) now() time.Time { return s.opt.Now() }

// Preview generates the report of the process with slug as it would be
// published now; its owners (and administrators) only: others get
// ErrNotOwner, or process.ErrNotFound while the process is not public.
func (s *Service) Preview(ctx context.Context, actor auth.Principal, slug string, in Input) (Report, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Report{}, err
	}
	if err := s.procs.RequireManage(ctx, actor, p, ErrNotOwner); err != nil {
		return Report{}, err
	}
	return s.generate(ctx, p, in)
}
