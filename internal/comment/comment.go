// Package comment is the comment engine: comments on a paragraph or a phrase of
// a draft, on an idea or on a published progress update, replies, edits, tombstones, agree/disagree votes with sharded
// counters, re-anchoring when a version is published, and the open-data export.
package comment

import (
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
)

// Status is a comment's moderation state.
type Status string

// The statuses; moderation (its own package) moves comments between them.
const (
	StatusPublished Status = "published"
	StatusPending   Status = "pending"
	StatusHidden    Status = "hidden"
	StatusRejected  Status = "rejected"
)

// MaxDepth is the deepest reply: a comment is depth 0, replies 1 to MaxDepth.
const MaxDepth = 3

// MaxBodyChars bounds a comment's Markdown source.
const MaxBodyChars = 10000

// shards is how many rows each counter is spread over.
const shards = 16

// Comment is one row of comments with what reads join to it.
type Comment struct {
	ID               int64      `gorm:"column:id;primaryKey"`
	DocumentID       int64      `gorm:"column:document_id"`        // 0 for a comment on an idea
	IdeaID           *int64     `gorm:"column:idea_id"`            // set for a comment on an idea
	ProgressUpdateID *int64     `gorm:"column:progress_update_id"` // set for a comment on a progress update
	VersionID        int64      `gorm:"column:version_id"`
	ParagraphKey     string     `gorm:"column:paragraph_key"`
	ParentID         *int64     `gorm:"column:parent_id"`
	RootID           int64      `gorm:"column:root_id"`
	Depth            int        `gorm:"column:depth"`
	AuthorID         int64      `gorm:"column:author_id"`
	Body             string     `gorm:"column:body"`
	BodyHTML         string     `gorm:"column:body_html"`
	Status           Status     `gorm:"column:status"`
	Revision         int        `gorm:"column:revision"`
	QuoteExact       *string    `gorm:"column:quote_exact"`
	QuotePrefix      *string    `gorm:"column:quote_prefix"`
	QuoteSuffix      *string    `gorm:"column:quote_suffix"`
	QuoteStart       *int       `gorm:"column:quote_start"`
	QuoteEnd         *int       `gorm:"column:quote_end"`
	AnchorVersionID  int64      `gorm:"column:anchor_version_id"`
	AnchorKey        *string    `gorm:"column:anchor_key"`
	AnchorStatus     string     `gorm:"column:anchor_status"`
	AnchorConfidence float64    `gorm:"column:anchor_confidence"`
	AnchorStart      *int       `gorm:"column:anchor_start"`
	AnchorEnd        *int       `gorm:"column:anchor_end"`
	CreatedAt        time.Time  `gorm:"column:created_at"`
	EditedAt         *time.Time `gorm:"column:edited_at"`
	DeletedAt        *time.Time `gorm:"column:deleted_at"`
	Fingerprint      *int64     `gorm:"column:fingerprint"` // of the normalised body, for the moderation screen
	// PendingBody is the author's edit of a published comment that waits for a
	// moderator beside the published Body (nil when none waits); only its
	// author and the moderators read it.
	PendingBody     *string `gorm:"column:pending_body"`
	PendingBodyHTML *string `gorm:"column:pending_body_html"`
	// How the comment reached the process: online, or received offline and
	// entered by a process owner for its contributor (nil: anonymous) on the
	// date it was received.
	Channel     contribution.Channel `gorm:"column:channel"`
	Contributor *string              `gorm:"column:contributor"`
	ReceivedOn  *time.Time           `gorm:"column:received_on"`

	// Joined by reads.
	VersionNumber       int     `gorm:"column:version_number;->"`
	AnchorVersionNumber int     `gorm:"column:anchor_version_number;->"`
	AuthorName          string  `gorm:"column:author_name;->"`
	AuthorPseudonym     string  `gorm:"column:author_pseudonym;->"`
	WrittenOn           *string `gorm:"column:written_on;->"` // only when the thread no longer sits on that text
	Agree               int     `gorm:"column:agree;->"`
	Disagree            int     `gorm:"column:disagree;->"`
	ResponseID          *int64  `gorm:"column:response_id;->"` // the latest published response that answered it

	// Participant is the author's open-data id; set by Published only.
	Participant string `gorm:"-"`
}

// TableName maps Comment to its table.
func (Comment) TableName() string { return "comments" }

// Error codes of comments.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "comment.invalid")

// Errors of the comment engine.
var (
	ErrNotFound     = apperr.NotFound("comment.not_found", "no such comment")
	ErrForbidden    = apperr.Forbidden("comment.forbidden", "only the author may do this")
	ErrClosed       = apperr.Conflict("comment.consultation_closed", "comments on this draft are not open now")
	ErrSuperseded   = apperr.Conflict("comment.version_superseded", "a newer version of this draft has been published; comment on that one")
	ErrStale        = apperr.Conflict("comment.stale_revision", "the comment changed since you loaded it; reload and edit again")
	ErrEditWindow   = apperr.Conflict("comment.edit_window_closed", "the time to edit this comment has passed")
	ErrDepth        = apperr.Conflict("comment.depth_limit", "replies can go at most 3 levels deep; reply higher up the thread")
	ErrDeleted      = apperr.Conflict("comment.deleted", "this comment was deleted")
	ErrNotReplyable = apperr.Conflict("comment.not_replyable", "this comment cannot take replies or votes now")
	// ErrModerated refuses the author's edit of a comment a moderator
	// rejected or redacted, or that flags hid pending review.
	ErrModerated     = apperr.Conflict("comment.moderated", "a moderator rejected, hid or redacted this comment, so it can no longer be edited")
	ErrQuoteMismatch = apperr.Invalid("comment.quote_mismatch", apperr.FieldError{Field: "quote", Code: "mismatch",
		Message: "the quote does not match the paragraph's text at the given offsets (code points)"})
	ErrBadCursor = apperr.Malformed("request.bad_cursor", "the cursor is not one this server gave")
	// ErrUpdateNotFound: comments go on published progress updates of public processes only.
	ErrUpdateNotFound = apperr.NotFound("comment.update_not_found", "no such published progress update")
)
