// Package notify keeps people informed: what each account follows, the
// events worth telling (written in the transaction of the change that caused
// them), their fan-out to recipients and followers by a worker, the in-app
// list, and e-mail at once with a one-click unsubscribe.
//
// An event names its direct recipients (the author of the comment replied
// to) and a followed subject (a process, a draft, an idea) whose followers
// are told too; the actor is never told of their own action. The fan-out
// writes one notification per event and recipient (a unique key), a batch
// per transaction, and keeps its place in the event row, so several
// instances share the work and a crash resumes without a message twice.
package notify

import (
	"time"

	"cocreate/internal/apperr"
)

// Kind is a kind of notification; a person chooses per kind how to hear of it.
type Kind string

// The kinds of notification. One more is a value here, in the migration's
// checks, and a line in Defaults, subjects and reasons.
const (
	KindCommentReply      Kind = "comment_reply"      // a reply to your comment
	KindResponsePublished Kind = "response_published" // the forum answered your contribution
	KindVersionPublished  Kind = "version_published"  // a new version of a draft you follow
	KindUpdatePublished   Kind = "update_published"   // an update on a process you follow
	KindPhaseOpened       Kind = "phase_opened"       // a phase of a process you follow opened
)

// Kinds lists every kind, in the order settings show them.
var Kinds = []Kind{KindCommentReply, KindResponsePublished, KindVersionPublished, KindUpdatePublished, KindPhaseOpened}

// Frequency is how a person hears of a kind by e-mail; every notification is
// in the in-app list whatever the choice.
type Frequency string

// The choices of frequency.
const (
	Immediately Frequency = "immediately"
	Daily       Frequency = "daily"
	Weekly      Frequency = "weekly"
	Never       Frequency = "never"
)

// Defaults are the choices of an account that has made none: what is about
// you (a reply, an answer to your contribution) comes at once; news of what
// you follow comes in a digest so that following many things does not flood
// the inbox.
var Defaults = map[Kind]Frequency{
	KindCommentReply:      Immediately,
	KindResponsePublished: Immediately,
	KindVersionPublished:  Daily,
	KindUpdatePublished:   Weekly,
	KindPhaseOpened:       Daily,
}

// TargetKind is a kind of subject that can be followed. A commitment or a
// thread is one more value here and in the migration's check.
type TargetKind string

// The kinds of subject.
const (
	TargetProcess  TargetKind = "process"
	TargetDocument TargetKind = "document"
	TargetIdea     TargetKind = "idea"
)

// TargetKinds lists the kinds of subject.
var TargetKinds = []TargetKind{TargetProcess, TargetDocument, TargetIdea}

// Follow is one subject an account follows, with what a list shows of it.
type Follow struct {
	TargetKind   TargetKind `gorm:"column:target_kind"`
	TargetID     int64      `gorm:"column:target_id"`
	Auto         bool       `gorm:"column:auto"` // followed by commenting or proposing
	CreatedAt    time.Time  `gorm:"column:created_at"`
	Title        string     `gorm:"column:title"`
	ProcessSlug  string     `gorm:"column:process_slug"`
	ProcessTitle string     `gorm:"column:process_title"`
}

// Facts are what a notification says, plain text taken from the stored rows
// when the event was written (titles, a version number, a disposition);
// never a contribution's body and never HTML.
type Facts struct {
	ProcessSlug  string `json:"process_slug"`
	ProcessTitle string `json:"process_title"`
	Title        string `json:"title,omitempty"` // the draft's, idea's or update's title
	DocumentID   int64  `json:"document_id,omitempty"`
	IdeaID       int64  `json:"idea_id,omitempty"`
	ProgressID   int64  `json:"progress_update_id,omitempty"`
	CommentID    int64  `json:"comment_id,omitempty"`
	UpdateID     int64  `json:"update_id,omitempty"`
	ResponseID   int64  `json:"response_id,omitempty"`
	Number       int    `json:"number,omitempty"`      // a version's
	Disposition  string `json:"disposition,omitempty"` // a response's
	Phase        string `json:"phase,omitempty"`
}

// Notification is one message in an account's list.
type Notification struct {
	ID        int64
	Kind      Kind
	CreatedAt time.Time
	ReadAt    *time.Time
	Facts     Facts
}

// Path is where in the web app the notification leads.
func (n Notification) Path() string { return pathOf(n.Kind, n.Facts) }

// Page is a page of notifications, newest first, and the cursor of the next
// (0 on the last).
type Page struct {
	Items      []Notification
	NextBefore int64
}

// MaxPageSize bounds every page of notifications.
const MaxPageSize = 100

// CodeInvalid is the code of validation errors; the field list says what is wrong.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "notification.invalid")

// Errors of following and notifications; their codes are part of the API contract.
var (
	ErrNotFound       = apperr.NotFound("notification.not_found", "no such notification")
	ErrTargetNotFound = apperr.NotFound("follow.target_not_found", "nothing to follow here")
	ErrBadToken       = apperr.Malformed("unsubscribe.bad_token", "this unsubscribe link is not valid")
)
