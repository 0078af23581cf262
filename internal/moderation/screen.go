package moderation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/ratelimit"

	"gorm.io/gorm"
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
	db     *gorm.DB
	limits *ratelimit.Limiter
	opt    Options

	mu       sync.Mutex
	settings map[int64]cachedSettings
}

type cachedSettings struct {
	s  Settings
	at time.Time
}

// NewScreen returns the screen; opt gives its clock and posting intervals.
func NewScreen(db *gorm.DB, limits *ratelimit.Limiter, opt Options) *Screen {
	opt.defaults()
	return &Screen{db: db, limits: limits, opt: opt, settings: map[int64]cachedSettings{}}
}

// forget drops a process's settings from memory after a change.
func (s *Screen) forget(processID int64) {
	s.mu.Lock()
	delete(s.settings, processID)
	s.mu.Unlock()
}

// Check is the screen of a contribution about to be stored (the comment and
// idea services' hook). In every mode it refuses posting faster
// than the account's posting interval (429) and the same body from the same
// account within 6 minutes (409). Its hold rules (banned terms, too many
// links, a campaign of the same text from many accounts, shouting) hold the
// contribution in risk-based mode; pre-moderation holds everything; the first
// contributions of an account in the process are held in every mode when the
// process says so. A held contribution's verdicts go on its queue item.
func (s *Screen) Check(ctx context.Context, d contribution.Draft) (contribution.Screening, error) {
	st, err := s.settingsOf(ctx, d.ProcessID)
	if err != nil {
		return contribution.Screening{}, err
	}
	sc := contribution.Screening{Fingerprint: Fingerprint(d.Title + "\n" + d.Body)}
	now := s.opt.Now().UTC()
	if st.Rules.Rate {
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
		if st.Rules.Duplicate && dup {
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
	if cause == "" && st.HoldFirst > 0 {
		n, err := s.contributionsOf(ctx, d.AuthorID, d.ProcessID)
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
		var commentID, ideaID, docID *int64
		if d.Kind == contribution.KindIdea {
			ideaID = &id
		} else {
			commentID = &id
			if d.DocumentID != 0 {
				docID = &d.DocumentID
			}
		}
		err := database.Conn(ctx, s.db).Exec(`INSERT INTO moderation_items (process_id, comment_id, idea_id, document_id, author_id,
			cause, campaign, screen, created_at, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ProcessID, commentID, ideaID, docID, d.AuthorID, cause, campaign, string(screenJSON), now, now).Error
		if err != nil {
			return fmt.Errorf("moderation: queue: %w", err)
		}
		return nil
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
// interval after the account's previous one (longer in its first day).
func (s *Screen) checkRate(ctx context.Context, userID int64, now time.Time) error {
	interval, name := s.opt.PostingInterval, "post"
	if s.opt.PostingIntervalNew > 0 {
		var created time.Time
		if err := database.Conn(ctx, s.db).Raw("SELECT created_at FROM users WHERE id = ?", userID).Scan(&created).Error; err != nil {
			return fmt.Errorf("moderation: account age: %w", err)
		}
		if now.Sub(created) < 24*time.Hour {
			interval, name = s.opt.PostingIntervalNew, "post:first-day"
		}
	}
	if interval <= 0 {
		return nil
	}
	err := s.limits.Hit(ctx, ratelimit.Rule{Name: name, Limit: 1, Window: interval}, strconv.FormatInt(userID, 10))
	if e, ok := apperr.As(err); ok && e.Kind == apperr.KindRateLimited {
		return errPostingTooFast(e.RetryAfter)
	}
	return err
}

// sameText reports whether the account posted a text with this fingerprint
// within the duplicate window, and how many other accounts did within the
// campaign window.
func (s *Screen) sameText(ctx context.Context, author, fp int64, now time.Time) (dup bool, others int, err error) {
	var row struct {
		Dup    bool
		Others int
	}
	err = database.Conn(ctx, s.db).Raw(`SELECT
		EXISTS (SELECT 1 FROM comments WHERE fingerprint = @f AND author_id = @a AND created_at > @dup AND deleted_at IS NULL)
		OR EXISTS (SELECT 1 FROM ideas WHERE fingerprint = @f AND author_id = @a AND created_at > @dup) AS dup,
		(SELECT count(DISTINCT author_id) FROM (
			SELECT author_id FROM comments WHERE fingerprint = @f AND created_at > @camp
			UNION ALL SELECT author_id FROM ideas WHERE fingerprint = @f AND created_at > @camp) x
		WHERE author_id <> @a) AS others`,
		map[string]any{"f": fp, "a": author, "dup": now.Add(-duplicateWindow), "camp": now.Add(-campaignWindow)}).Scan(&row).Error
	if err != nil {
		return false, 0, fmt.Errorf("moderation: same text: %w", err)
	}
	return row.Dup, row.Others, nil
}

// contributionsOf counts an account's contributions in a process.
func (s *Screen) contributionsOf(ctx context.Context, author, processID int64) (int, error) {
	var n int
	err := database.Conn(ctx, s.db).Raw(`SELECT (SELECT count(*) FROM ideas WHERE process_id = @p AND author_id = @a)
		+ (SELECT count(*) FROM comments c LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
			WHERE c.author_id = @a AND coalesce(d.process_id, i.process_id) = @p)`,
		map[string]any{"p": processID, "a": author}).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("moderation: contributions of %d: %w", author, err)
	}
	return n, nil
}
