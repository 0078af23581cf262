// Package commitment is the implementation phase: the commitments of the
// adopted plan with their working groups and dated milestones, each
// commitment's status computed by one rule (status.go), progress updates
// (government-only, or joint and signed under the forum's signing rule)
// recorded in the process's ledger, questions with a working-day answer
// clock, the public dashboard and its open data, and the reminders and
// overdue notices sent through the outbox.
package commitment

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/forum"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// Value is one of the OGP values a commitment serves.
type Value string

// The OGP values.
const (
	ValueAccessToInformation  Value = "access_to_information"
	ValueCivicParticipation   Value = "civic_participation"
	ValuePublicAccountability Value = "public_accountability"
	ValueTechnologyInnovation Value = "technology_innovation"
)

// Values lists the OGP values in the order forms offer them.
var Values = []Value{ValueAccessToInformation, ValueCivicParticipation, ValuePublicAccountability, ValueTechnologyInnovation}

// Commitment is one row of commitments.
type Commitment struct {
	ID               int64              `gorm:"column:id"`
	ProcessID        int64              `gorm:"column:process_id"`
	Title            string             `gorm:"column:title"`
	Description      string             `gorm:"column:description"`
	DescriptionHTML  string             `gorm:"column:description_html"`
	LeadInstitution  string             `gorm:"column:lead_institution"`
	OtherActors      database.TextArray `gorm:"column:other_actors"`
	Theme            string             `gorm:"column:theme"`
	StartsOn         workdays.Date      `gorm:"column:starts_on"`
	EndsOn           workdays.Date      `gorm:"column:ends_on"`
	Values           database.TextArray `gorm:"column:ogp_values"`
	WithdrawnAt      *time.Time         `gorm:"column:withdrawn_at"`
	WithdrawalReason *string            `gorm:"column:withdrawal_reason"`
	Revision         int                `gorm:"column:revision"`
	CreatedAt        time.Time          `gorm:"column:created_at"`
	UpdatedAt        time.Time          `gorm:"column:updated_at"`
}

// Withdrawn reports whether an owner withdrew the commitment.
func (c Commitment) Withdrawn() bool { return c.WithdrawnAt != nil }

// Member is one person or organisation of a commitment's working group.
type Member struct {
	ID           int64        `gorm:"column:id"`
	Name         string       `gorm:"column:name"`
	Organisation string       `gorm:"column:organisation"`
	Seat         process.Seat `gorm:"column:seat"`
	UserID       *int64       `gorm:"column:user_id"`
	// AccountEmail is the linked account's address, read for the process's
	// owners only.
	AccountEmail *string `gorm:"column:account_email"`
}

// Milestone is one dated milestone of a commitment.
type Milestone struct {
	ID             int64          `gorm:"column:id"`
	CommitmentID   int64          `gorm:"column:commitment_id"`
	Title          string         `gorm:"column:title"`
	DueOn          workdays.Date  `gorm:"column:due_on"`
	CompletedOn    *workdays.Date `gorm:"column:completed_on"`
	EvidenceURL    *string        `gorm:"column:evidence_url"`
	EvidenceItemID *int64         `gorm:"column:evidence_item_id"`
	// EvidenceTitle is the repository item's title, when the evidence is one.
	EvidenceTitle *string `gorm:"column:evidence_title"`
}

// Source is one thing that led to a commitment: a paragraph of a draft, an
// idea or a published response.
type Source struct {
	Kind         string  // paragraph, idea or response
	DocumentID   *int64  `gorm:"column:document_id"`
	ParagraphKey *string `gorm:"column:paragraph_key"`
	IdeaID       *int64  `gorm:"column:idea_id"`
	ResponseID   *int64  `gorm:"column:response_id"`
	Label        string  `gorm:"column:label"` // the paragraph's text, the idea's title or the response's disposition
}

// Options configure the service.
type Options struct {
	Now       func() time.Time
	PublicURL string // links in e-mail
	Log       *slog.Logger
}

// Service holds the rules of the implementation phase.
type Service struct {
	db     *gorm.DB
	store  *Store
	procs  *process.Service
	forum  *forum.Service
	ledger *ledger.Service
	events *event.Bus
	opt    Options
}

// NewService returns the service. Writes that change what the dashboard
// shows emit event.ImplementationChanged, publications event.ProgressPublished.
func NewService(db *gorm.DB, procs *process.Service, f *forum.Service, l *ledger.Service, events *event.Bus, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, store: NewStore(db), procs: procs, forum: f, ledger: l, events: events, opt: opt}
}

// today is the service clock's calendar day (UTC).
func (s *Service) today() workdays.Date { return workdays.DateOf(s.opt.Now()) }

// changed tells the subscribers (the dashboard's read cache) that the process's implementation changed.
func (s *Service) changed(ctx context.Context, processID, commitmentID int64) error {
	return s.events.Emit(ctx, event.ImplementationChanged{ProcessID: processID, CommitmentID: commitmentID})
}
