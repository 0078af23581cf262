package moderation

import "time"

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
	Status             string    // the contribution's moderation status
	LastDecision       *Decision `gorm:"-"`
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
