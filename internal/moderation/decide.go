package moderation

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// DecisionInput is a moderator's decision on an item, made on Version.
type DecisionInput struct {
	Outcome       Outcome
	Reason        Reason // required to reject; defaults to personal_data for redact
	Explanation   string // what the author is told; required to reject
	RedactedBody  string // for redact
	RedactedTitle string // for redact of an idea; "" keeps the title
	Version       int
}

func (in *DecisionInput) validate() error {
	var f apperr.Fields
	in.Explanation = strings.TrimSpace(in.Explanation)
	switch in.Outcome {
	case OutcomeApprove, OutcomeEscalate:
	case OutcomeReject:
		if in.Reason == "" {
			f.Add("reason", "required", "a rejection cites a house rule")
		}
		if in.Explanation == "" {
			f.Add("explanation", "required", "tell the author why")
		}
	case OutcomeRedact:
		if in.Reason == "" {
			in.Reason = ReasonPersonalData
		}
		if strings.TrimSpace(in.RedactedBody) == "" {
			f.Add("redacted_body", "required", "the text with the personal data replaced")
		}
	default:
		f.Add("outcome", "enum", "approve, reject, redact or escalate")
	}
	if in.Reason != "" && !in.Reason.Valid() {
		f.Add("reason", "enum", "one of the house rules")
	}
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		f.Add("explanation", "length", "at most 2000 characters")
	}
	return f.Err(CodeInvalid)
}

// Decide records a moderator's decision on an item and applies it: approve
// publishes the contribution, reject hides it with the reason and explanation
// the author sees, redact replaces its text (the original stays visible to
// moderators only) and publishes it, escalate hands it to the process's
// owners. The decision must name the item's current version and the item must
// not be leased to another moderator, or it is refused with ErrStale. The
// author is told the outcome by e-mail.
func (s *Service) Decide(ctx context.Context, actor auth.Principal, id int64, in DecisionInput) (Item, error) {
	if err := in.validate(); err != nil {
		return Item{}, err
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		return s.decide(ctx, actor, id, in)
	})
	if err != nil {
		return Item{}, err
	}
	return s.store.Item(ctx, id)
}

func (s *Service) decide(ctx context.Context, actor auth.Principal, id int64, in DecisionInput) error {
	it, err := s.store.LockItem(ctx, id)
	if err != nil {
		return err
	}
	a, err := s.procs.Require(ctx, actor, it.ProcessID, process.Moderate, ErrForbidden)
	if err != nil {
		return err
	}
	own := a.Can(process.DecideEscalated)
	now := s.opt.Now().UTC()
	switch {
	case it.State == stateDecided:
		// Decided meanwhile (by another moderator or the time-box, after this
		// one claimed it): a claim's version is read after the claim, so the
		// version alone does not tell.
		return ErrStale.WithMessage("this item has been decided already; reload the queue")
	case it.State == stateEscalated && !own:
		return ErrForbidden.WithMessage("an escalated item is decided by the process's owners")
	case it.State == stateAppealed && it.ExcludedModerator != nil && *it.ExcludedModerator == actor.UserID:
		return ErrSameModerator
	case it.Version != in.Version:
		return ErrStale
	case it.ClaimedBy != nil && *it.ClaimedBy != actor.UserID && it.LeaseUntil != nil && it.LeaseUntil.After(now):
		return ErrStale.WithMessage("another moderator holds this item")
	}
	return s.apply(ctx, it, &actor.UserID, in, now)
}

// apply records a decision on a locked item and carries it out. On an edit
// waiting beside a published text, approve puts the edit in its place and
// reject discards it: when the item is in the queue for that edit (cause
// edit) and the contribution is still published, the rejection is of the edit
// alone and the published text stays; otherwise it rejects the contribution
// too, as it always did.
func (s *Service) apply(ctx context.Context, it Item, moderator *int64, in DecisionInput, now time.Time) error {
	decisionID, err := s.store.InsertDecision(ctx, it, moderator, in, now)
	if err != nil {
		return err
	}
	target, err := s.store.TargetOf(ctx, it)
	if err != nil {
		return err
	}
	state := stateDecided
	switch in.Outcome {
	case OutcomeApprove, OutcomeAutoPublish:
		err = s.applyEdit(ctx, it)
		if err == nil {
			err = s.setStatus(ctx, it, comment.StatusPublished, "rejected")
		}
	case OutcomeReject:
		err = s.discardEdit(ctx, it)
		editOnly := it.Cause == CauseEdit && target.Status == string(comment.StatusPublished)
		if err == nil && !editOnly {
			err = s.setStatus(ctx, it, comment.StatusRejected, "upheld")
		}
	case OutcomeRedact:
		err = s.redact(ctx, it, decisionID, in.RedactedTitle, in.RedactedBody)
		if err == nil {
			err = s.setStatus(ctx, it, comment.StatusPublished, "upheld")
		}
	case OutcomeEscalate:
		state = stateEscalated
	}
	if err != nil {
		return err
	}
	if err := s.store.SettleItem(ctx, it.ID, state, moderator, now); err != nil {
		return err
	}
	ev := event.ContributionDecided{ProcessID: it.ProcessID, ItemID: it.ID, Kind: string(it.Kind()), ID: it.TargetID(),
		DocumentID: it.DocumentID, AuthorID: it.AuthorID, Outcome: string(in.Outcome), Reason: string(in.Reason), Explanation: in.Explanation,
		Edit: target.EditPending && target.Status == string(comment.StatusPublished)}
	return s.events.Emit(ctx, ev)
}

// setStatus moves the contribution to status and settles its open flags.
func (s *Service) setStatus(ctx context.Context, it Item, status comment.Status, flags string) error {
	var err error
	switch it.Kind() {
	case contribution.KindComment:
		err = s.comments.SetStatus(ctx, *it.CommentID, status)
	case contribution.KindAgendaInput:
		err = s.store.SetInputStatus(ctx, *it.MeetingInputID, string(status))
	case contribution.KindSurveyText:
		err = s.store.SetSurveyTextStatus(ctx, *it.SurveyTextID, string(status))
	default:
		err = s.ideas.SetModeration(ctx, *it.IdeaID, idea.Moderation(status))
	}
	if err != nil {
		return err
	}
	return s.store.SettleFlags(ctx, it, flags)
}

// applyEdit puts the waiting edit of an item's contribution (if one waits) in
// place of its published text.
func (s *Service) applyEdit(ctx context.Context, it Item) error {
	switch it.Kind() {
	case contribution.KindComment:
		return s.comments.ApplyEdit(ctx, *it.CommentID)
	case contribution.KindIdea:
		return s.ideas.ApplyEdit(ctx, *it.IdeaID)
	}
	return nil
}

// discardEdit drops the waiting edit of an item's contribution, if one waits.
func (s *Service) discardEdit(ctx context.Context, it Item) error {
	switch it.Kind() {
	case contribution.KindComment:
		return s.comments.DiscardEdit(ctx, *it.CommentID)
	case contribution.KindIdea:
		return s.ideas.DiscardEdit(ctx, *it.IdeaID)
	}
	return nil
}

// redact keeps the original text for moderators and replaces it.
func (s *Service) redact(ctx context.Context, it Item, decisionID int64, title, body string) error {
	if err := s.store.KeepOriginal(ctx, it, decisionID); err != nil {
		return err
	}
	switch it.Kind() {
	case contribution.KindComment:
		return s.comments.Redact(ctx, *it.CommentID, body)
	case contribution.KindAgendaInput:
		return s.redactInput(ctx, *it.MeetingInputID, body)
	case contribution.KindSurveyText:
		return s.redactSurveyText(ctx, *it.SurveyTextID, body)
	}
	return s.ideas.Redact(ctx, *it.IdeaID, title, body)
}

// BulkItem is one item of a bulk decision, with the version it was seen at.
type BulkItem struct {
	ID      int64
	Version int
}

// BulkResult says what happened to one item of a bulk decision.
type BulkResult struct {
	ID     int64
	Result string // decided, stale or not_found
}

// Bulk applies one decision (approve or reject, one reason) to several items
// of a process, each on its own version; an item that changed is left alone.
func (s *Service) Bulk(ctx context.Context, actor auth.Principal, slug string, items []BulkItem, in DecisionInput) ([]BulkResult, error) {
	p, _, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if in.Outcome != OutcomeApprove && in.Outcome != OutcomeReject {
		return nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "outcome", Code: "enum", Message: "approve or reject"})
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	out := make([]BulkResult, len(items))
	for n, b := range items {
		out[n].ID = b.ID
		one := in
		one.Version = b.Version
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			pid, err := s.store.ProcessOfItem(ctx, b.ID)
			if err != nil {
				return err
			}
			if pid != p.ID {
				return ErrNotFound
			}
			return s.decide(ctx, actor, b.ID, one)
		})
		switch {
		case err == nil:
			out[n].Result = "decided"
		case errors.Is(err, ErrNotFound):
			out[n].Result = "not_found"
		case errors.Is(err, ErrStale), errors.Is(err, ErrSameModerator), errors.Is(err, ErrForbidden):
			out[n].Result = "stale"
		default:
			return nil, err
		}
	}
	return out, nil
}

// redactInput replaces agenda input's text with the moderator's version.
func (s *Service) redactInput(ctx context.Context, id int64, body string) error {
	body = strings.TrimSpace(body)
	if utf8.RuneCountInString(body) > 5000 {
		return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "redacted_body", Code: "length", Message: "at most 5000 characters"})
	}
	html, err := markdown.Render(body)
	if err != nil {
		return err
	}
	return s.store.RedactInput(ctx, id, body, html)
}

// redactSurveyText replaces survey text with the moderator's version.
func (s *Service) redactSurveyText(ctx context.Context, id int64, body string) error {
	body = strings.TrimSpace(body)
	if n := utf8.RuneCountInString(body); n == 0 || n > 2000 {
		return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "redacted_body", Code: "length", Message: "between 1 and 2000 characters"})
	}
	html, err := markdown.Render(body)
	if err != nil {
		return err
	}
	return s.store.RedactSurveyText(ctx, id, body, html)
}
