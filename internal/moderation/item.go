package moderation

import (
	"time"

	"cocreate/internal/contribution"
)

// Item is one contribution in moderation, with the contribution's text.
type Item struct {
	ID                 int64
	ProcessID          int64
	ProcessSlug        string
	CommentID          *int64
	IdeaID             *int64 // the idea held, or (TargetIdeaID) the idea a held comment is on
	TargetIdeaID       *int64
	TargetUpdateID     *int64 // the progress update a held comment is on
	TargetCommitmentID *int64 // and that update's commitment
	MeetingInputID     *int64 // written input to a meeting's agenda, on MeetingID
	MeetingID          *int64
	SurveyTextID       *int64 // a free-text answer to a survey (no author: AuthorID is 0)
	SurveyPhase        *string
	DocumentID         *int64
	ParagraphKey       *string
	AuthorID           int64
	AuthorName         string
	Cause              Cause
	State              string
	Version            int
	Campaign           bool
	Screen             []Verdict `gorm:"-"`
	ScreenJSON         []byte
	FlagWeight         float64
	Flags              int
	ClaimedBy          *int64
	LeaseUntil         *time.Time
	LastModerator      *int64
	ExcludedModerator  *int64
	AppealNote         *string
	AppealedAt         *time.Time
	CreatedAt          time.Time
	QueuedAt           time.Time
	DecidedAt          *time.Time
	Title              *string
	Body               string
	BodyHTML           string
	// The published text a waiting edit would replace (nil when no edit
	// waits); Title, Body and BodyHTML are then the edit's.
	PreviousTitle    *string
	PreviousBody     *string
	PreviousBodyHTML *string
	Status           string    // the contribution's moderation status
	LastDecision     *Decision `gorm:"-"`
}

// Kind is what the item's contribution is: a comment, an idea, agenda input or survey text.
func (i Item) Kind() contribution.Kind {
	switch {
	case i.CommentID != nil:
		return contribution.KindComment
	case i.MeetingInputID != nil:
		return contribution.KindAgendaInput
	case i.SurveyTextID != nil:
		return contribution.KindSurveyText
	}
	return contribution.KindIdea
}

// TargetID is the id of the item's contribution.
func (i Item) TargetID() int64 {
	switch {
	case i.CommentID != nil:
		return *i.CommentID
	case i.MeetingInputID != nil:
		return *i.MeetingInputID
	case i.SurveyTextID != nil:
		return *i.SurveyTextID
	}
	return *i.IdeaID
}

// ShownCause is the cause an item is listed under: its state for appealed and
// escalated items.
func (i Item) ShownCause() Cause {
	switch i.State {
	case stateAppealed:
		return CauseAppeal
	case stateEscalated:
		return CauseEscalated
	}
	return i.Cause
}

// Decision is one row of the append-only decisions.
type Decision struct {
	ID          int64
	ItemID      int64
	ModeratorID *int64
	Outcome     Outcome
	Reason      *Reason
	Explanation string
	Cause       Cause
	OnAppeal    bool
	ItemVersion int
	CreatedAt   time.Time
}
