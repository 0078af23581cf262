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
	"fmt"
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

// CodeInvalid is the code of the forum's validation errors.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "forum.invalid")

// Errors of the forum.
var (
	ErrNotMember        = apperr.Forbidden("forum.not_member", "only the process's forum members may do this")
	ErrResponseNotFound = apperr.NotFound("forum.response_not_found", "no such response")
	ErrClusterNotFound  = apperr.NotFound("forum.cluster_not_found", "no such cluster")
	ErrStale            = apperr.Conflict("forum.stale", "the draft changed since you read it: reload it")
	ErrPublished        = apperr.Conflict("forum.published", "the response is published: it cannot change; publish a correction instead")
	ErrAlreadySigned    = apperr.Conflict("forum.already_signed", "you have already signed or dissented on this revision")
	ErrAlreadyClustered = apperr.Conflict("forum.already_clustered", "a contribution is already in a cluster")
	ErrSuperseded       = apperr.Conflict("forum.superseded", "that response has already been corrected")
	ErrNotOwner         = apperr.Forbidden("forum.not_owner", "only the process's owners may change its forum")
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
	return &Service{db: db, procs: procs, ideas: ideas, ledger: l, events: events, opt: opt}
}

// Settings are a forum's signing rule and response target.
type Settings struct {
	SigningRule Rule `gorm:"column:signing_rule"`
	TargetDays  int  `gorm:"column:target_days"`
}

// DefaultSettings apply until the owner changes them.
var DefaultSettings = Settings{SigningRule: RuleSingle, TargetDays: 20}

func (s *Service) settings(ctx context.Context, processID int64) (Settings, error) {
	var rows []Settings
	err := database.Conn(ctx, s.db).Raw("SELECT signing_rule, target_days FROM forum_settings WHERE process_id = ?", processID).Scan(&rows).Error
	if err != nil {
		return Settings{}, fmt.Errorf("forum: settings: %w", err)
	}
	if len(rows) == 0 {
		return DefaultSettings, nil
	}
	return rows[0], nil
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
	err = database.Conn(ctx, s.db).Exec(`INSERT INTO forum_settings (process_id, signing_rule, target_days) VALUES (?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET signing_rule = EXCLUDED.signing_rule, target_days = EXCLUDED.target_days`,
		p.ID, in.SigningRule, in.TargetDays).Error
	if err != nil {
		return Forum{}, fmt.Errorf("forum: settings: %w", err)
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
	p, err := s.procs.Get(ctx, slug)
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
	var ms []Member
	err = database.Conn(ctx, s.db).Raw(`SELECT r.user_id, f.member_ref, coalesce(u.display_name, u.pseudonym) AS name, r.seat,
			coalesce(r.organisation, '') AS organisation
		FROM process_roles r JOIN users u ON u.id = r.user_id
		JOIN forum_pseudonyms f ON f.process_id = r.process_id AND f.user_id = r.user_id
		WHERE r.process_id = ? AND r.role = 'forum_member' AND u.deleted_at IS NULL
		ORDER BY r.seat, r.organisation, name`, p.ID).Scan(&ms).Error
	if err != nil {
		return Forum{}, fmt.Errorf("forum: members: %w", err)
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
	var missing []int64
	err := database.Conn(ctx, s.db).Raw(`SELECT r.user_id FROM process_roles r
		WHERE r.process_id = ? AND r.role = 'forum_member'
		AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.deleted_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM forum_pseudonyms f WHERE f.process_id = r.process_id AND f.user_id = r.user_id)`, processID).Scan(&missing).Error
	if err != nil {
		return fmt.Errorf("forum: members: %w", err)
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
	var ref string
	err := database.Conn(ctx, s.db).Raw(`WITH ins AS (
			INSERT INTO forum_pseudonyms (process_id, user_id, member_ref) VALUES (?, ?, ?)
			ON CONFLICT (process_id, user_id) DO NOTHING RETURNING member_ref)
		SELECT member_ref FROM ins UNION ALL
		SELECT member_ref FROM forum_pseudonyms WHERE process_id = ? AND user_id = ? LIMIT 1`,
		processID, userID, "m-"+hex.EncodeToString(b[:]), processID, userID).Scan(&ref).Error
	if err != nil {
		return "", fmt.Errorf("forum: member id: %w", err)
	}
	return ref, nil
}
