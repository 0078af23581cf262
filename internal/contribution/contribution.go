// Package contribution is what the comment engine, ideas and meetings'
// agenda input share with moderation: a contribution about to be stored, as
// the automatic screen sees it, and the screen's answer. Moderation
// implements the screen; comments, ideas and meetings call it, so none
// depends on moderation.
package contribution

import (
	"context"

	"cocreate/internal/database"
	"cocreate/internal/neardup"
)

// Kind is what sort of contribution a draft is.
type Kind string

// The kinds.
const (
	KindComment     Kind = "comment" // a comment or reply, on a paragraph or an idea
	KindIdea        Kind = "idea"
	KindAgendaInput Kind = "agenda_input" // written input to a meeting's agenda
	KindSurveyText  Kind = "survey_text"  // a free-text answer to a phase's survey (no author)
)

// Draft is a contribution about to be stored.
type Draft struct {
	Kind       Kind
	ProcessID  int64
	AuthorID   int64
	DocumentID int64  // a comment on a draft's paragraph; 0 otherwise
	IdeaID     *int64 // a comment on an idea
	ParentID   *int64 // a reply
	Title      string // an idea's title
	Body       string
	// OnBehalf marks a contribution a process owner enters for someone who
	// sent it offline: the rules about the entering account's own posting
	// (its pace, its repeats, its first contributions) do not apply to it.
	OnBehalf  bool
	MeetingID int64 // agenda input: the meeting
	// Edit, when not 0, is the stored contribution (of Kind) whose author is
	// editing it to Title and Body: the screen locks its moderation item,
	// refuses it when a moderator redacted it, and holds the edit when the
	// process pre-moderates, a rule fires or a decision on it is still open.
	Edit int64
}

// Screening is the screen's answer: hold the contribution (or the edit) for a
// moderator or publish it, with the fingerprint of its text (for duplicate and
// campaign checks of later contributions).
type Screening struct {
	Held        bool
	Fingerprint int64
	// Record, when set, runs in the transaction that stores the contribution,
	// with its id: it puts a held contribution (or edit) in the moderation queue.
	Record func(ctx context.Context, id int64) error
}

// Screen is the hook comments and ideas call before storing a contribution or
// an edit of one; an error refuses it (a duplicate, a rate limit, a
// moderator's redaction). For an edit it must run in the transaction that
// stores it, before the contribution's own row is locked: it takes the lock on
// the contribution's moderation item first, the order decisions take them in.
type Screen func(ctx context.Context, d Draft) (Screening, error)

// NearDup is the value of a contribution's near_dup column: the MinHash
// signature of its text (neardup.Signature), or NULL when it has no words.
func NearDup(text string) any {
	sig := neardup.Signature(text)
	if sig == nil {
		return nil
	}
	return database.Array{Type: "_int4", Values: sig}
}
