package moderation

import (
	"context"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
)

// minFlagWeight is the least a flag weighs, however often its giver's flags
// were rejected.
const minFlagWeight = 0.2

// flagWeight is what a person's flag is worth: (upheld + 1) / (upheld +
// rejected + 1) over their decided flags, at least minFlagWeight. A new
// flagger's flag weighs 1; someone whose four flags were all rejected weighs 0.2.
func flagWeight(upheld, rejected int) float64 {
	return max(float64(upheld+1)/float64(upheld+rejected+1), minFlagWeight)
}

// FlagInput is a person's report.
type FlagInput struct {
	Reason Reason
	Note   string
}

// Flag records actor's report of a contribution (once per person) and brings
// it to the queue. When the weight of its open flags from distinct accounts
// reaches the process's threshold, the contribution is hidden pending review;
// Flag reports whether it is.
func (s *Service) Flag(ctx context.Context, actor auth.Principal, kind contribution.Kind, id int64, in FlagInput) (bool, error) {
	if !actor.Can(auth.PermContribute) {
		return false, ErrForbidden
	}
	in.Note = strings.TrimSpace(in.Note)
	var f apperr.Fields
	if !in.Reason.Valid() {
		f.Add("reason", "enum", "one of the house rules")
	}
	if utf8.RuneCountInString(in.Note) > 1000 || strings.ContainsRune(in.Note, 0) {
		f.Add("note", "length", "at most 1000 characters")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return false, err
	}
	hidden := false
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.LockFlags(ctx, kind, id); err != nil {
			return err
		}
		target, found, err := s.store.FlagTarget(ctx, kind, id)
		if err != nil {
			return err
		}
		if !found || target.Status != string(comment.StatusPublished) {
			return ErrNothingToFlag
		}
		if target.AuthorID == actor.UserID {
			return ErrOwnContribution
		}
		record, err := s.store.Flagger(ctx, kind, id, actor.UserID)
		if err != nil {
			return err
		}
		if record.Mine > 0 {
			return ErrAlreadyFlagged
		}
		now := s.opt.Now().UTC()
		if err := s.store.InsertFlag(ctx, kind, id, target.ProcessID, actor.UserID, in, flagWeight(record.Upheld, record.Rejected),
			now); err != nil {
			return err
		}
		open, err := s.store.OpenFlags(ctx, kind, id)
		if err != nil {
			return err
		}
		if err := s.store.QueueFlagged(ctx, kind, id, target, open, now); err != nil {
			return err
		}
		st, err := s.settingsOf(ctx, target.ProcessID)
		if err != nil {
			return err
		}
		if open.Weight+1e-9 < float64(st.FlagThreshold) {
			return nil
		}
		hidden = true
		if kind == contribution.KindIdea {
			err = s.ideas.SetModeration(ctx, id, idea.ModerationHidden)
		} else {
			err = s.comments.SetStatus(ctx, id, comment.StatusHidden)
		}
		if err != nil {
			return err
		}
		return s.events.Emit(ctx, event.ContributionHidden{ProcessID: target.ProcessID, Kind: string(kind), ID: id, DocumentID: target.DocumentID})
	})
	return hidden, err
}
