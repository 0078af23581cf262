package moderation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/idea"
)

// Verdict is what one screen rule said about a contribution.
type Verdict struct {
	Rule    string `json:"rule"`
	Verdict string `json:"verdict"`
	Detail  string `json:"detail"`
}

// The windows of the text rules.
const (
	duplicateWindow = 6 * time.Minute
	campaignWindow  = 10 * time.Minute
)

// Screen is the automatic screen every contribution passes at write time, and
// the per-process moderation settings it reads (kept in memory for a few
// seconds). It is built before the comment and idea services, which call
// Check; the moderation service changes its settings.
type Screen struct {
	store *Store
	opt   Options

	mu       sync.Mutex
	settings map[int64]cachedSettings
}

type cachedSettings struct {
	s  Settings
	at time.Time
}

// NewScreen returns the screen; opt gives its clock and posting intervals.
// The posting gap is kept beside the rate limiter's counters, not counted by
// it.
func NewScreen(db *gorm.DB, opt Options) *Screen {
	opt.defaults()
	return &Screen{store: NewStore(db), opt: opt, settings: map[int64]cachedSettings{}}
}

// forget drops a process's settings from memory after a change.
func (s *Screen) forget(processID int64) {
	s.mu.Lock()
	delete(s.settings, processID)
	s.mu.Unlock()
}

// Check is the screen of a contribution about to be stored (the comment,
// idea and meeting services' hook). In every mode it refuses posting faster
// than the account's posting interval (429) and the same body from the same
// account within 6 minutes (409). Its hold rules (banned terms, too many
// links, a campaign of the same text from many accounts, shouting) hold the
// contribution in risk-based mode; pre-moderation holds everything; the first
// contributions of an account in the process are held in every mode when the
// process says so. A held contribution's verdicts go on its queue item. A
// contribution entered on someone's behalf (received offline) passes the hold
// rules but not the entering account's own limits: an owner typing in a pile
// of form letters is not one person posting the same text again and again.
//
// An edit (d.Edit) passes the same interval and rules, with three
// differences: a moderator's redaction refuses it; a hold rule holds it in
// every mode, since it changes text readers (and perhaps a moderator) have
// already judged; and an edit of a contribution with an undecided item waits
// for that decision too. The first-contributions rule does not apply: an
// edit is not a new contribution.
func (s *Screen) Check(ctx context.Context, d contribution.Draft) (contribution.Screening, error) {
	st, err := s.settingsOf(ctx, d.ProcessID)
	if err != nil {
		return contribution.Screening{}, err
	}
	sc := contribution.Screening{Fingerprint: Fingerprint(d.Title + "\n" + d.Body)}
	undecided := false
	if d.Edit != 0 {
		if undecided, err = s.lockEdited(ctx, d); err != nil {
			return sc, err
		}
	}
	now := s.opt.Now().UTC()
	if d.Kind == contribution.KindSurveyText {
		return s.holdSurveyText(st, d, sc, now), nil
	}
	if st.Rules.Rate && !d.OnBehalf {
		if err := s.checkRate(ctx, d.AuthorID, now); err != nil {
			return sc, err
		}
	}
	var verdicts []Verdict
	campaign := false
	if st.Rules.Duplicate || st.Rules.Campaign != nil {
		dup, others, err := s.store.SameText(ctx, sameTextQuery{Author: d.AuthorID, Fingerprint: sc.Fingerprint,
			DupSince: now.Add(-duplicateWindow), CampSince: now.Add(-campaignWindow), Kind: d.Kind, Except: d.Edit})
		if err != nil {
			return sc, err
		}
		if st.Rules.Duplicate && dup && !d.OnBehalf {
			return sc, ErrDuplicate
		}
		if c := st.Rules.Campaign; c != nil && others+1 >= *c {
			campaign = true
			verdicts = append(verdicts, Verdict{"campaign", "hold", fmt.Sprintf("the same text from %d accounts within 10 minutes", others+1)})
		}
	}
	verdicts = append(verdicts, st.textVerdicts(d.Title, d.Body)...)

	cause := Cause("")
	switch {
	case d.Edit != 0:
		cause, verdicts = editCause(st, verdicts, undecided)
	case st.Mode == ModePre:
		cause = CauseMode
		verdicts = append(verdicts, Verdict{"mode", "hold", "pre-moderation holds every contribution"})
	case st.Mode == ModeRisk && len(verdicts) > 0:
		cause = CauseScreen
	}
	if cause == "" && d.Edit == 0 && st.HoldFirst > 0 && !d.OnBehalf {
		n, err := s.store.ContributionsOf(ctx, d.AuthorID, d.ProcessID)
		if err != nil {
			return sc, err
		}
		if n < st.HoldFirst {
			cause = CauseNewAccount
			verdicts = append(verdicts, Verdict{"new_account", "hold", fmt.Sprintf("contribution %d of the first %d of this account", n+1, st.HoldFirst)})
		}
	}
	if len(verdicts) > 0 {
		slog.DebugContext(ctx, "screen", "process", d.ProcessID, "kind", d.Kind, "edit", d.Edit, "held", cause != "", "verdicts", verdicts)
	}
	if cause == "" {
		return sc, nil
	}
	sc.Held = true
	screenJSON, _ := json.Marshal(verdicts)
	if d.Edit != 0 {
		sc.Record = func(ctx context.Context, id int64) error {
			var docID *int64
			if d.Kind == contribution.KindComment && d.DocumentID != 0 {
				docID = &d.DocumentID
			}
			return s.store.QueueEdit(ctx, d.Kind, id, heldItem{ProcessID: d.ProcessID, DocumentID: docID, AuthorID: d.AuthorID,
				Cause: cause, Campaign: campaign, ScreenJSON: string(screenJSON), At: now})
		}
		return sc, nil
	}
	sc.Record = func(ctx context.Context, id int64) error {
		var commentID, ideaID, inputID, docID *int64
		switch d.Kind {
		case contribution.KindIdea:
			ideaID = &id
		case contribution.KindAgendaInput:
			inputID = &id
		default:
			commentID = &id
			if d.DocumentID != 0 {
				docID = &d.DocumentID
			}
		}
		return s.store.QueueHeld(ctx, heldItem{ProcessID: d.ProcessID, CommentID: commentID, IdeaID: ideaID, MeetingInputID: inputID,
			DocumentID: docID, AuthorID: d.AuthorID, Cause: cause, Campaign: campaign, ScreenJSON: string(screenJSON), At: now})
	}
	return sc, nil
}

// editCause says whether an edit waits for a moderator, and why: the
// process pre-moderates, a hold rule fired (in any mode), or the
// contribution's item is still undecided (a held contribution, an earlier
// edit, flags). It returns the verdicts with the reason added.
func editCause(st Settings, verdicts []Verdict, undecided bool) (Cause, []Verdict) {
	switch {
	case st.Mode == ModePre:
		return CauseEdit, append(verdicts, Verdict{"mode", "hold", "pre-moderation holds every edit"})
	case len(verdicts) > 0:
		return CauseEdit, verdicts
	case undecided:
		return CauseEdit, append(verdicts, Verdict{"undecided", "hold", "a moderator has yet to decide on this contribution"})
	}
	return "", verdicts
}

// lockEdited takes, for an edit, the lock on the contribution's flags and on
// its moderation item (the order flags take them, before the contribution's
// own row). It refuses the edit of a contribution a moderator redacted, and
// reports whether its item awaits a decision.
func (s *Screen) lockEdited(ctx context.Context, d contribution.Draft) (bool, error) {
	var refused error
	switch d.Kind {
	case contribution.KindComment:
		refused = comment.ErrModerated
	case contribution.KindIdea:
		refused = idea.ErrModerated
	default:
		return false, fmt.Errorf("moderation screen: %s cannot be edited", d.Kind)
	}
	if err := s.store.LockFlags(ctx, d.Kind, d.Edit); err != nil {
		return false, err
	}
	ed, err := s.store.LockEdited(ctx, d.Kind, d.Edit)
	switch {
	case err != nil:
		return false, err
	case ed.Redacted:
		return false, refused
	}
	return ed.Found && ed.State != stateDecided, nil
}

// textVerdicts runs the rules that read only the text.
func (st Settings) textVerdicts(title, body string) []Verdict {
	var out []Verdict
	if st.Rules.BannedTerms {
		if t := st.matcher.find(words(title + "\n" + body)); t != "" {
			out = append(out, Verdict{"banned_terms", "hold", fmt.Sprintf("contains the banned term %q", t)})
		}
	}
	if l := st.Rules.Links; l != nil {
		if n := countLinks(title + "\n" + body); n > *l {
			out = append(out, Verdict{"links", "hold", fmt.Sprintf("%d links (more than %d)", n, *l)})
		}
	}
	if st.Rules.Shouting {
		if loud, why := shouting(title + "\n" + body); loud {
			out = append(out, Verdict{"shouting", "hold", why})
		}
	}
	return out
}

// checkRate refuses a contribution that comes sooner than the posting
// interval after the account's previous accepted one (longer in its first
// day), saying how long is left; it measures the gap itself, not a count per
// fixed window, which let two posts through a second apart across a window's
// edge.
func (s *Screen) checkRate(ctx context.Context, userID int64, now time.Time) error {
	interval := s.opt.PostingInterval
	if s.opt.PostingIntervalNew > 0 {
		created, err := s.store.AccountCreated(ctx, userID)
		if err != nil {
			return err
		}
		if now.Sub(created) < 24*time.Hour {
			interval = s.opt.PostingIntervalNew
		}
	}
	if interval <= 0 {
		return nil
	}
	wait, err := s.store.TakePostingGap(ctx, userID, now, interval)
	if err != nil {
		return err
	}
	if wait > 0 {
		return errPostingTooFast(wait)
	}
	return nil
}

// holdSurveyText holds every free-text answer to a survey for a moderator:
// it is published only once approved. It has no author (the survey keeps
// who answered apart from what they wrote), so the rules about an account's
// own posting do not apply; the text rules' verdicts go on its item.
func (s *Screen) holdSurveyText(st Settings, d contribution.Draft, sc contribution.Screening, now time.Time) contribution.Screening {
	verdicts := append([]Verdict{{"survey", "hold", "survey free text is read by a moderator before it is published"}},
		st.textVerdicts("", d.Body)...)
	screenJSON, _ := json.Marshal(verdicts)
	sc.Held = true
	sc.Record = func(ctx context.Context, id int64) error {
		return s.store.QueueHeld(ctx, heldItem{ProcessID: d.ProcessID, SurveyTextID: &id, Cause: CauseMode,
			ScreenJSON: string(screenJSON), At: now})
	}
	return sc
}
