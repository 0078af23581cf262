// Package forum is the multi-stakeholder forum's work on a process: its
// members and decision rule, its terms of reference, memberships and
// declarations of interests, clusters of contributions that say the same
// thing (by hand and by near-duplicate suggestion), reasoned responses
// drafted, signed (or dissented from, or recused from) and published into the
// process's ledger when the rule holds, and coverage - how many contributions
// have an answer.
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
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
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

// Settings are a forum's decision rule, with its parameters, and its
// response target.
type Settings struct {
	SigningRule    Rule `gorm:"column:signing_rule"`
	TargetDays     int  `gorm:"column:target_days"`
	QualifiedNum   int  `gorm:"column:qualified_num"`
	QualifiedDen   int  `gorm:"column:qualified_den"`
	ConsensusHours int  `gorm:"column:consensus_hours"`
}

// Rule is the decision rule the settings name, with the parameters it uses.
func (st Settings) Rule() DecisionRule {
	r := DecisionRule{Name: st.SigningRule}
	switch st.SigningRule {
	case RuleQualified:
		r.Num, r.Den = st.QualifiedNum, st.QualifiedDen
	case RuleConsensus:
		r.ConsensusHours = st.ConsensusHours
	}
	return r
}

// DefaultSettings apply until the owner changes them.
var DefaultSettings = Settings{SigningRule: RuleSingle, TargetDays: 20, QualifiedNum: 2, QualifiedDen: 3, ConsensusHours: 72}

// settings returns the process's forum settings, the defaults until the
// owner changes them.
func (s *Service) settings(ctx context.Context, processID int64) (Settings, error) {
	st, found, err := s.store.Settings(ctx, processID, false)
	switch {
	case err != nil:
		return Settings{}, err
	case !found:
		return DefaultSettings, nil
	}
	return st, nil
}

// SetSettings changes the forum's settings; owners and administrators only.
// A parameter left at zero keeps its value. A change of decision rule applies
// to the responses drafted after it; once the process's ledger has begun, the
// change is recorded in it, in the same transaction.
func (s *Service) SetSettings(ctx context.Context, actor auth.Principal, slug string, in Settings) (Forum, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Forum{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrNotOwner); err != nil {
		return Forum{}, err
	}
	var f apperr.Fields
	if !validRule(in.SigningRule) {
		f.Add("signing_rule", "oneof", "single, joint, majority_each, qualified, consensus or equal_veto")
	}
	if in.TargetDays < 1 || in.TargetDays > 365 {
		f.Add("target_days", "range", "between 1 and 365 days")
	}
	if in.QualifiedNum != 0 || in.QualifiedDen != 0 {
		if in.QualifiedDen < 2 || in.QualifiedDen > 100 || in.QualifiedNum > in.QualifiedDen || 2*in.QualifiedNum <= in.QualifiedDen {
			f.Add("qualified_fraction", "range", "a fraction of the members above one half, such as 2/3 (denominator up to 100)")
		}
	}
	if in.ConsensusHours != 0 && (in.ConsensusHours < 1 || in.ConsensusHours > 720) {
		f.Add("consensus_hours", "range", "between 1 and 720 hours")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Forum{}, err
	}
	var changed *ledger.RuleChange
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		cur, err := s.store.LockSettings(ctx, p.ID)
		if err != nil {
			return err
		}
		if in.QualifiedNum == 0 && in.QualifiedDen == 0 {
			in.QualifiedNum, in.QualifiedDen = cur.QualifiedNum, cur.QualifiedDen
		}
		if in.ConsensusHours == 0 {
			in.ConsensusHours = cur.ConsensusHours
		}
		if err := s.store.SaveSettings(ctx, p.ID, in); err != nil {
			return err
		}
		if cur.Rule().Ledger() == in.Rule().Ledger() {
			return nil
		}
		// Before the ledger's first entry, setting the rule is setting the
		// forum up: every response entry names the rule it was decided under.
		seq, _, err := s.ledger.Head(ctx, p.ID)
		if err != nil || seq == 0 {
			return err
		}
		changed = &ledger.RuleChange{Header: ledger.Header{Process: p.Slug, RecordedAt: ledger.Timestamp(s.opt.Now())},
			Rule: in.Rule().Ledger(), Previous: cur.Rule().Ledger()}
		e, err := s.ledger.AppendRecord(ctx, p.ID, changed)
		if err == nil {
			database.AfterCommit(ctx, func(ctx context.Context) {
				s.opt.Log.InfoContext(ctx, "ledger append", "process", p.Slug, "seq", e.Seq, "hash", e.Hash, "kind", ledger.KindRuleChange,
					"rule", in.SigningRule, "by", actor.UserID)
			})
		}
		return err
	})
	if err != nil {
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
