package moderation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/contribution"
	"cocreate/internal/ratelimit"
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
// it (limits is unused).
func NewScreen(db *gorm.DB, _ *ratelimit.Limiter, opt Options) *Screen {
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
func (s *Screen) Check(ctx context.Context, d contribution.Draft) (contribution.Screening, error) {
	st, err := s.settingsOf(ctx, d.ProcessID)
	if err != nil {
		return contribution.Screening{}, err
	}
	sc := contribution.Screening{Fingerprint: Fingerprint(d.Title + "\n" + d.Body)}
	now := s.opt.Now().UTC()
	if st.Rules.Rate && !d.OnBehalf {
		if err := s.checkRate(ctx, d.AuthorID, now); err != nil {
			return sc, err
		}
	}
	var verdicts []Verdict
	campaign := false
	if st.Rules.Duplicate || st.Rules.Campaign != nil {
		dup, others, err := s.sameText(ctx, d.AuthorID, sc.Fingerprint, now)
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
	case st.Mode == ModePre:
		cause = CauseMode
		verdicts = append(verdicts, Verdict{"mode", "hold", "pre-moderation holds every contribution"})
	case st.Mode == ModeRisk && len(verdicts) > 0:
		cause = CauseScreen
	}
	if cause == "" && st.HoldFirst > 0 && !d.OnBehalf {
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
		slog.DebugContext(ctx, "screen", "process", d.ProcessID, "kind", d.Kind, "held", cause != "", "verdicts", verdicts)
	}
	if cause == "" {
		return sc, nil
	}
	sc.Held = true
	screenJSON, _ := json.Marshal(verdicts)
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

// sameText reports whether the account posted a text with this fingerprint
// within the duplicate window, and how many other accounts did within the
// campaign window.
func (s *Screen) sameText(ctx context.Context, author, fp int64, now time.Time) (dup bool, others int, err error) {
	return s.store.SameText(ctx, author, fp, now.Add(-duplicateWindow), now.Add(-campaignWindow))
}
