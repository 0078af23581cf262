// Package moderation holds the rules every contribution (comment, reply,
// idea) passes through: the per-process mode and automatic screen at write
// time, flags, the queue moderators claim items from with a lease, append-only
// decisions with a house-rule reason, redaction, escalation, appeals to a
// different moderator, the time-box, and the public statistics.
package moderation

import (
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/comment"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/process"
)

// Reason is a house rule that flags and decisions cite.
type Reason string

// The house rules every process has.
const (
	ReasonSpam         Reason = "spam"
	ReasonAbuse        Reason = "abuse"
	ReasonPersonalData Reason = "personal_data"
	ReasonOffTopic     Reason = "off_topic"
	ReasonIllegal      Reason = "illegal"
	ReasonDuplicate    Reason = "duplicate"
	ReasonOther        Reason = "other"
)

// Reasons lists the house rules in the order they are shown.
var Reasons = []Reason{ReasonSpam, ReasonAbuse, ReasonPersonalData, ReasonOffTopic, ReasonIllegal, ReasonDuplicate, ReasonOther}

// Valid reports whether r is a house rule.
func (r Reason) Valid() bool {
	for _, x := range Reasons {
		if r == x {
			return true
		}
	}
	return false
}

// defaultHouseRules are the public descriptions a process starts with.
var defaultHouseRules = map[Reason]string{
	ReasonSpam:         "Advertising, links or text posted in bulk that do not take part in the consultation.",
	ReasonAbuse:        "Insults, threats, harassment or hate against a person or a group.",
	ReasonPersonalData: "Someone's private information: an address, a phone number, health or family details, or anything that identifies a private person.",
	ReasonOffTopic:     "Not about this process, its draft or its ideas.",
	ReasonIllegal:      "Content that breaks the law, such as incitement to violence or defamation.",
	ReasonDuplicate:    "The same contribution posted again.",
	ReasonOther:        "Another breach of the house rules, explained by the moderator.",
}

// Mode is how a process moderates contributions.
type Mode string

// The modes.
const (
	ModePost Mode = "post" // published at once; flags bring it to the queue
	ModePre  Mode = "pre"  // held until a moderator approves
	ModeRisk Mode = "risk" // published unless the screen holds it
)

// Cause is why an item is in the queue.
type Cause string

// The causes; appeal and escalated are states an item reaches, shown as causes.
// Edit is an author's edit of a published contribution that the mode or the
// screen held: it waits beside the published text until a decision.
const (
	CauseMode       Cause = "mode"
	CauseNewAccount Cause = "new_account"
	CauseScreen     Cause = "screen"
	CauseFlags      Cause = "flags"
	CauseEdit       Cause = "edit"
	CauseAppeal     Cause = "appeal"
	CauseEscalated  Cause = "escalated"
)

// Outcome is what a decision does.
type Outcome string

// The outcomes.
const (
	OutcomeApprove     Outcome = "approve"
	OutcomeReject      Outcome = "reject"
	OutcomeRedact      Outcome = "redact"
	OutcomeEscalate    Outcome = "escalate"
	OutcomeAutoPublish Outcome = "auto_publish" // the time-box published it
)

// Item states.
const (
	stateOpen      = "open"
	stateEscalated = "escalated"
	stateAppealed  = "appealed"
	stateDecided   = "decided"
)

// statusRejected is the moderation status of a rejected contribution (of
// every kind).
const statusRejected = string(comment.StatusRejected)

// AppealWindow is how long after a rejection its author may appeal.
const AppealWindow = 14 * 24 * time.Hour

// Options configure the service.
type Options struct {
	Now   func() time.Time
	Lease time.Duration // how long a claim lasts; 5 minutes when 0
	// PostingInterval is the shortest time between two contributions of one
	// account (S11); PostingIntervalNew applies in the account's first day.
	// Zero switches the limit off (test harnesses).
	PostingInterval    time.Duration
	PostingIntervalNew time.Duration
	PublicURL          string
}

// Service holds the rules of moderation.
type Service struct {
	db       *gorm.DB // for the transactions it opens and the mail it queues
	store    *Store
	procs    *process.Service
	screen   *Screen
	comments *comment.Service
	ideas    *idea.Service
	events   *event.Bus
	opt      Options
}

func (o *Options) defaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lease == 0 {
		o.Lease = 5 * time.Minute
	}
}

// NewService returns the moderation service: the queue and its decisions on
// the contributions of comments and ideas, with the screen that holds them.
func NewService(db *gorm.DB, procs *process.Service, screen *Screen, comments *comment.Service, ideas *idea.Service,
	events *event.Bus, opt Options) *Service {
	opt.defaults()
	return &Service{db: db, store: NewStore(db), procs: procs, screen: screen, comments: comments, ideas: ideas, events: events, opt: opt}
}

// CodeInvalid is the code of bad moderation input.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "moderation.invalid")

// Errors of moderation.
var (
	ErrForbidden       = apperr.Forbidden("moderation.forbidden", "only the process's moderators and owners may do this")
	ErrNotFound        = apperr.NotFound("moderation.not_found", "no such moderation item")
	ErrStale           = apperr.Conflict("moderation.stale", "the item changed, or another moderator holds it, since you loaded it; reload it")
	ErrAlreadyFlagged  = apperr.Conflict("moderation.already_flagged", "you have already reported this")
	ErrOwnContribution = apperr.Conflict("moderation.own_contribution", "you cannot report your own contribution")
	ErrNotAppealable   = apperr.Conflict("moderation.not_appealable", "only a rejected contribution can be appealed")
	ErrAppealUsed      = apperr.Conflict("moderation.appeal_used", "a decision can be appealed once")
	ErrAppealClosed    = apperr.Conflict("moderation.appeal_window_closed", "the 14 days to appeal this decision have passed")
	ErrSameModerator   = apperr.Conflict("moderation.same_moderator", "an appeal goes to a different moderator than the one who decided")
	ErrDuplicate       = apperr.Conflict("moderation.duplicate", "you posted the same text a few minutes ago")
	ErrNothingToFlag   = apperr.NotFound("moderation.not_found", "no such published contribution")
	ErrBadCursor       = apperr.Malformed("request.bad_cursor", "the cursor is not one this server gave")
)

// errTooFast refuses a contribution that comes too soon after the account's last
// one (QUALITY.md S11); errPostingTooFast says when to send it again.
var errTooFast = apperr.RateLimited("moderation.rate_limited", "you are posting too fast; wait a few seconds and send it again")

func errPostingTooFast(retryAfter time.Duration) error {
	return errTooFast.WithRetryAfter(retryAfter)
}
