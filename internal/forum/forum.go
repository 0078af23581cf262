// Package forum is the multi-stakeholder forum's work on a process: its
// members and signing rule, clusters of contributions that say the same thing
// (by hand and by near-duplicate suggestion), reasoned responses drafted,
// signed and published into the process's ledger, and coverage - how many
// contributions have an answer.
package forum

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// Rule is a forum's signing rule.
type Rule string

// The signing rules.
const (
	RuleSingle Rule = "single" // any member's signature publishes
	RuleJoint  Rule = "joint"  // a government and a civil-society signature publish
)

// Options configure the service.
type Options struct {
	Now       func() time.Time
	PublicURL string // links in e-mail
	Log       *slog.Logger
}

// Service is the forum's business logic.
type Service struct {
	db     *gorm.DB
	store  *Store
	procs  *process.Service
	ideas  *idea.Service
	ledger *ledger.Service
	events *event.Bus
	opt    Options
}

// NewService returns the forum service; publications emit
// event.ResponsePublished on events.
func NewService(db *gorm.DB, procs *process.Service, ideas *idea.Service, l *ledger.Service, events *event.Bus, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, store: NewStore(db), procs: procs, ideas: ideas, ledger: l, events: events, opt: opt}
}

// Settings are a forum's signing rule and response target.
type Settings struct {
	SigningRule Rule `gorm:"column:signing_rule"`
	TargetDays  int  `gorm:"column:target_days"`
}

// DefaultSettings apply until the owner changes them.
var DefaultSettings = Settings{SigningRule: RuleSingle, TargetDays: 20}

// settings returns the process's forum settings, the defaults until the
// owner changes them.
func (s *Service) settings(ctx context.Context, processID int64) (Settings, error) {
	st, found, err := s.store.Settings(ctx, processID)
	switch {
	case err != nil:
		return Settings{}, err
	case !found:
		return DefaultSettings, nil
	}
	return st, nil
}

// SetSettings changes the forum's settings; owners and administrators only.
func (s *Service) SetSettings(ctx context.Context, actor auth.Principal, slug string, in Settings) (Forum, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Forum{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrNotOwner); err != nil {
		return Forum{}, err
	}
	var f apperr.Fields
	if in.SigningRule != RuleSingle && in.SigningRule != RuleJoint {
		f.Add("signing_rule", "oneof", "single or joint")
	}
	if in.TargetDays < 1 || in.TargetDays > 365 {
		f.Add("target_days", "range", "between 1 and 365 days")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Forum{}, err
	}
	if err := s.store.SaveSettings(ctx, p.ID, in); err != nil {
		return Forum{}, err
	}
	return s.Get(ctx, actor, slug)
}

// Member is a forum member as the public sees them.
type Member struct {
	UserID       int64        `gorm:"column:user_id"`
	MemberRef    string       `gorm:"column:member_ref"`
	Name         string       `gorm:"column:name"`
	Seat         process.Seat `gorm:"column:seat"`
	Organisation string       `gorm:"column:organisation"`
}

// Forum is a process's forum.
type Forum struct {
	Process  process.Process
	Settings Settings
	Members  []Member
	Viewer   Viewer
}

// Viewer is what the caller is to the forum.
type Viewer struct {
	Member    bool
	MemberRef string
	Seat      process.Seat
	Manage    bool
}

// Get returns the process's forum with its members, each with their
// pseudonymous member id (made on first sight).
func (s *Service) Get(ctx context.Context, actor auth.Principal, slug string) (Forum, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Forum{}, err
	}
	st, err := s.settings(ctx, p.ID)
	if err != nil {
		return Forum{}, err
	}
	if err := s.ensurePseudonyms(ctx, p.ID); err != nil {
		return Forum{}, err
	}
	ms, err := s.store.Members(ctx, p.ID)
	if err != nil {
		return Forum{}, err
	}
	out := Forum{Process: p, Settings: st, Members: ms}
	for _, m := range ms {
		if actor.Authenticated() && m.UserID == actor.UserID {
			out.Viewer = Viewer{Member: true, MemberRef: m.MemberRef, Seat: m.Seat}
		}
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Forum{}, err
	}
	out.Viewer.Manage = a.Can(process.Manage)
	return out, nil
}

// ensurePseudonyms gives every forum member of the process a member id.
func (s *Service) ensurePseudonyms(ctx context.Context, processID int64) error {
	missing, err := s.store.MembersWithoutRef(ctx, processID)
	if err != nil {
		return err
	}
	for _, uid := range missing {
		if _, err := s.pseudonym(ctx, processID, uid); err != nil {
			return err
		}
	}
	return nil
}

// pseudonym returns the member id of an account in a process, making one.
func (s *Service) pseudonym(ctx context.Context, processID, userID int64) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return s.store.MemberRef(ctx, processID, userID, "m-"+hex.EncodeToString(b[:]))
}
