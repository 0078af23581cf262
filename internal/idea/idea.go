// Package idea holds ideas for commitments: themes and support rules per
// process, proposing, editing and withdrawing ideas, supports under the
// process's rules, finding ideas (filters, sorts, full-text search, similar
// ideas), merging duplicates, the status transition that reasoned responses
// use, and the open-data export. Discussion of an idea goes through the
// comment engine, which asks this package whether an idea takes comments.
package idea

import (
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
)

// Status is where an idea stands.
type Status string

// The statuses. Authors set only withdrawn; a merge sets merged; the others are
// set by a published reasoned response through Service.SetStatus.
const (
	StatusSubmitted   Status = "submitted"
	StatusUnderReview Status = "under_review"
	StatusAccepted    Status = "accepted"
	StatusAmended     Status = "amended"
	StatusMerged      Status = "merged"
	StatusRejected    Status = "rejected"
	StatusOutOfScope  Status = "out_of_scope"
	StatusWithdrawn   Status = "withdrawn"
)

// Valid reports whether s is a status.
func (s Status) Valid() bool {
	switch s {
	case StatusSubmitted, StatusUnderReview, StatusAccepted, StatusAmended, StatusMerged, StatusRejected,
		StatusOutOfScope, StatusWithdrawn:
		return true
	}
	return false
}

// open reports whether an idea in status s still takes supports and comments.
func (s Status) open() bool {
	return s == StatusSubmitted || s == StatusUnderReview || s == StatusAccepted || s == StatusAmended
}

// Moderation is an idea's moderation state (the same states as comments').
type Moderation string

// The moderation states; the moderation feature moves ideas between them.
const (
	ModerationPublished Moderation = "published"
	ModerationPending   Moderation = "pending"
	ModerationHidden    Moderation = "hidden"
	ModerationRejected  Moderation = "rejected"
)

// Channel is how a contribution reached the process (contribution.Channel).
type Channel = contribution.Channel

// The channels; all but online are entered by a process owner on someone's behalf.
const (
	ChannelOnline   = contribution.ChannelOnline
	ChannelPaper    = contribution.ChannelPaper
	ChannelPhone    = contribution.ChannelPhone
	ChannelEmail    = contribution.ChannelEmail
	ChannelWorkshop = contribution.ChannelWorkshop
)

// Limits of an idea's fields.
const (
	MaxTitleChars = 150
	MaxBodyChars  = 10000
	MaxThemes     = 50
	MaxSimilar    = 5
)

// shards is how many rows each idea's counters are spread over.
const shards = 16

// Theme is one category of ideas in a process.
type Theme struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	ProcessID   int64  `gorm:"column:process_id"`
	Name        string `gorm:"column:name"`
	Description string `gorm:"column:description"`
	Position    int    `gorm:"column:position"`
}

// TableName maps Theme to its table.
func (Theme) TableName() string { return "idea_themes" }

// Rules are a process's support rules.
type Rules struct {
	SupportLimit int  // supports per person in the process; 0 for no limit
	OnePerTheme  bool // at most one support per person per theme
}

// Idea is one idea with its counts and what reads join to it.
type Idea struct {
	ID               int64
	ProcessID        int64
	ThemeID          int64
	ThemeName        string
	ThemeDescription string
	ThemePosition    int
	AuthorID         int64
	AuthorName       string
	AuthorPseudonym  string
	Channel          Channel
	Contributor      *string
	ReceivedOn       *time.Time // the date a contribution received offline reached the process
	Title            string
	Body             string
	BodyHTML         string
	DocumentID       *int64
	ParagraphKey     *string
	Status           Status
	MergedInto       *int64
	StatusChangedAt  *time.Time
	StatusResponseID *int64
	Moderation       Moderation
	Revision         int
	CreatedAt        time.Time
	EditedAt         *time.Time
	// EditPending says an edit of the published idea waits for a moderator;
	// PendingTitle and PendingBody are that edit, read by its author only
	// (nil for every other reader).
	EditPending  bool
	PendingTitle *string
	PendingBody  *string
	Supports     int
	Comments     int
	Supported    *bool // the reader's support; nil for an anonymous reader
	// CanMerge says whether the reader may merge this idea into another now;
	// nil where it was not asked (lists).
	CanMerge *bool
}

// Editable reports whether the author may still edit the idea: it is
// submitted and has neither supports nor comments.
func (i Idea) Editable() bool {
	return i.Status == StatusSubmitted && i.Supports == 0 && i.Comments == 0
}

// Error codes of ideas.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "idea.invalid")

// Errors of ideas.
var (
	ErrNotFound        = apperr.NotFound("idea.not_found", "no such idea")
	ErrForbidden       = apperr.Forbidden("idea.forbidden", "you may not do this to this idea")
	ErrPhaseClosed     = apperr.Conflict("idea.phase_closed", "the idea-collection phase of this process is not open now")
	ErrSupportLimit    = apperr.Conflict("idea.support_limit", "you have used every support this process allows; withdraw one to support another idea")
	ErrThemeLimit      = apperr.Conflict("idea.theme_limit", "this process allows one support per theme, and you already support an idea in this theme")
	ErrNotSupportable  = apperr.Conflict("idea.not_supportable", "this idea no longer takes supports or comments")
	ErrLocked          = apperr.Conflict("idea.locked", "the idea has supports or comments, so it can no longer be edited")
	ErrStale           = apperr.Conflict("idea.stale_revision", "the idea changed since you loaded it; reload and edit again")
	ErrModerated       = apperr.Conflict("idea.moderated", "a moderator rejected, hid or redacted this idea, so it can no longer be edited")
	ErrThemeInUse      = apperr.Conflict("idea.theme_in_use", "a theme that ideas use cannot be removed")
	ErrNotWithdrawable = apperr.Conflict("idea.not_withdrawable", "the forum has already answered this idea, so it can no longer be withdrawn")
	ErrMergeInvalid    = apperr.Conflict("idea.merge_invalid", "these ideas cannot be merged")
	ErrBadTransition   = apperr.Conflict("idea.bad_transition", "a response cannot set this status")
	ErrBadCursor       = apperr.Malformed("request.bad_cursor", "the cursor is not one this server gave")
)
