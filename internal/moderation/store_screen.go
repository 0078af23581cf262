package moderation

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// queueHeldSQL queues a contribution the screen held; it returns nothing.
const queueHeldSQL = `INSERT INTO moderation_items (process_id, comment_id, idea_id, meeting_input_id, survey_text_id, document_id, author_id,
			cause, campaign, screen, created_at, queued_at) VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?, ?)`

// accountCreatedSQL returns when an account was created.
const accountCreatedSQL = "SELECT created_at FROM users WHERE id = ?"

// sameTextSQL returns whether the account posted a text with this fingerprint
// since @dup (dup), other than the comment @xc or the idea @xi it is editing,
// and how many other accounts did since @camp (others).
const sameTextSQL = `SELECT
		EXISTS (SELECT 1 FROM comments WHERE fingerprint = @f AND author_id = @a AND created_at > @dup AND deleted_at IS NULL AND id <> @xc)
		OR EXISTS (SELECT 1 FROM ideas WHERE fingerprint = @f AND author_id = @a AND created_at > @dup AND id <> @xi)
		OR EXISTS (SELECT 1 FROM meeting_inputs WHERE fingerprint = @f AND author_id = @a AND created_at > @dup) AS dup,
		(SELECT count(DISTINCT author_id) FROM (
			SELECT author_id FROM comments WHERE fingerprint = @f AND created_at > @camp
			UNION ALL SELECT author_id FROM ideas WHERE fingerprint = @f AND created_at > @camp
			UNION ALL SELECT author_id FROM meeting_inputs WHERE fingerprint = @f AND created_at > @camp) x
		WHERE author_id <> @a) AS others`

// contributionsOfSQL returns how many ideas, comments and agenda inputs an
// account has in a process.
const contributionsOfSQL = `SELECT (SELECT count(*) FROM ideas WHERE process_id = @p AND author_id = @a)
		+ (SELECT count(*) FROM comments c LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
			LEFT JOIN progress_updates u ON u.id = c.progress_update_id
			WHERE c.author_id = @a AND coalesce(d.process_id, i.process_id, u.process_id) = @p)
		+ (SELECT count(*) FROM meeting_inputs x JOIN meetings mt ON mt.id = x.meeting_id WHERE x.author_id = @a AND mt.process_id = @p)`

// The posting gap: the time of an account's last accepted post, kept as the
// one row of its key in the rate limiter's table (window_start is that time;
// the limiter's pruning drops it after a day). An advisory lock on the key
// serialises the account's posts, so reading the last time and writing the
// new one cannot interleave.
const (
	lockPostingSQL = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"
	lastPostSQL    = "SELECT max(window_start) FROM rate_limit_hits WHERE key = ?"
	// notePostSQL replaces the account's last post time with @at.
	notePostSQL = `WITH gone AS (DELETE FROM rate_limit_hits WHERE key = @k AND window_start <> @at)
		INSERT INTO rate_limit_hits (key, window_start, hits) VALUES (@k, @at, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1`
)

// postingKey names an account's posting gap without storing its id, as the
// rate limiter's keys do.
func postingKey(userID int64) string {
	sum := sha256.Sum256([]byte("post-gap\x00" + strconv.FormatInt(userID, 10)))
	return "post-gap:" + hex.EncodeToString(sum[:12])
}

// TakePostingGap returns how long the account must still wait when its last
// accepted post was less than interval before now; otherwise it notes now as
// its last post and returns 0. In the transaction of ctx, when there is one,
// the note goes with the contribution (a rolled-back post leaves the previous
// time) and the account's next post waits for it to end.
func (s *Store) TakePostingGap(ctx context.Context, userID int64, now time.Time, interval time.Duration) (time.Duration, error) {
	key := postingKey(userID)
	var wait time.Duration
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		db := database.Conn(ctx, s.db)
		if err := db.Exec(lockPostingSQL, database.LockPostingPrefix+key).Error; err != nil {
			return err
		}
		var last sql.NullTime
		if err := db.Raw(lastPostSQL, key).Row().Scan(&last); err != nil {
			return err
		}
		if last.Valid && now.Sub(last.Time) < interval {
			wait = interval - now.Sub(last.Time)
			return nil
		}
		return db.Exec(notePostSQL, map[string]any{"k": key, "at": now}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("moderation store: posting gap: %w", err)
	}
	return wait, nil
}

// settingsSQL returns a process's moderation settings row, if it set one.
const settingsSQL = "SELECT * FROM moderation_settings WHERE process_id = ?"

// saveSettingsSQL inserts or replaces a process's moderation settings; it returns nothing.
const saveSettingsSQL = `INSERT INTO moderation_settings (process_id, mode, hold_first, timebox_hours, flag_threshold,
		rule_banned_terms, rule_links, rule_duplicate, rule_campaign, rule_rate, rule_shouting, banned_terms, house_rules)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET mode = EXCLUDED.mode, hold_first = EXCLUDED.hold_first,
		timebox_hours = EXCLUDED.timebox_hours, flag_threshold = EXCLUDED.flag_threshold,
		rule_banned_terms = EXCLUDED.rule_banned_terms, rule_links = EXCLUDED.rule_links, rule_duplicate = EXCLUDED.rule_duplicate,
		rule_campaign = EXCLUDED.rule_campaign, rule_rate = EXCLUDED.rule_rate, rule_shouting = EXCLUDED.rule_shouting,
		banned_terms = EXCLUDED.banned_terms, house_rules = EXCLUDED.house_rules`

// lockEditedSQL locks the moderation item of the contribution an author is
// editing and returns its state and whether a moderator ever redacted it; the
// column is named with %[1]s (flagColumn).
const lockEditedSQL = `SELECT m.state, EXISTS (SELECT 1 FROM moderation_redactions r WHERE r.item_id = m.id) AS redacted
			FROM moderation_items m WHERE m.%[1]s = ? FOR UPDATE OF m`

// queueEditSQL queues a held edit: it inserts the contribution's item under
// the edit cause or, when it has one, reopens a decided one under that cause
// (an undecided one keeps its cause and place) with the edit's verdicts and a
// new version, so a decision made on the text before the edit is stale. The
// column is named with %[1]s (flagColumn); it returns nothing.
const queueEditSQL = `INSERT INTO moderation_items (process_id, %[1]s, document_id, author_id, cause, campaign, screen, created_at, queued_at)
			VALUES (?, ?, ?, ?, 'edit', ?, ?, ?, ?)
			ON CONFLICT (%[1]s) DO UPDATE SET version = moderation_items.version + 1, screen = EXCLUDED.screen,
				campaign = EXCLUDED.campaign,
				cause = CASE WHEN moderation_items.state = 'decided' THEN 'edit' ELSE moderation_items.cause END,
				queued_at = CASE WHEN moderation_items.state = 'decided' THEN EXCLUDED.queued_at ELSE moderation_items.queued_at END,
				state = CASE WHEN moderation_items.state = 'decided' THEN 'open' ELSE moderation_items.state END`

// heldItem is a contribution the screen held, as its queue item records it.
type heldItem struct {
	ProcessID      int64
	CommentID      *int64
	IdeaID         *int64
	MeetingInputID *int64
	SurveyTextID   *int64
	DocumentID     *int64
	AuthorID       int64 // 0: none (survey text)
	Cause          Cause
	Campaign       bool
	ScreenJSON     string
	At             time.Time
}

// QueueHeld queues a contribution the screen held.
func (s *Store) QueueHeld(ctx context.Context, h heldItem) error {
	err := database.Conn(ctx, s.db).Exec(queueHeldSQL, h.ProcessID, h.CommentID, h.IdeaID, h.MeetingInputID, h.SurveyTextID, h.DocumentID, h.AuthorID, h.Cause,
		h.Campaign, h.ScreenJSON, h.At, h.At).Error
	if err != nil {
		return fmt.Errorf("moderation store: queue: %w", err)
	}
	return nil
}

// edited is the moderation item of a contribution being edited.
type edited struct {
	Found    bool
	State    string
	Redacted bool
}

// LockEdited locks the moderation item of a comment or idea until the
// transaction in ctx ends and returns its state; Found is false when it has none.
func (s *Store) LockEdited(ctx context.Context, kind contribution.Kind, id int64) (edited, error) {
	var rows []edited
	if err := database.Conn(ctx, s.db).Raw(fmt.Sprintf(lockEditedSQL, flagColumn(kind)), id).Scan(&rows).Error; err != nil {
		return edited{}, fmt.Errorf("moderation store: lock item of %s %d: %w", kind, id, err)
	}
	if len(rows) == 0 {
		return edited{}, nil
	}
	rows[0].Found = true
	return rows[0], nil
}

// QueueEdit brings a held edit of the comment or idea id to the queue.
func (s *Store) QueueEdit(ctx context.Context, kind contribution.Kind, id int64, h heldItem) error {
	err := database.Conn(ctx, s.db).Exec(fmt.Sprintf(queueEditSQL, flagColumn(kind)), h.ProcessID, id, h.DocumentID, h.AuthorID,
		h.Campaign, h.ScreenJSON, h.At, h.At).Error
	if err != nil {
		return fmt.Errorf("moderation store: queue edit of %s %d: %w", kind, id, err)
	}
	return nil
}

// AccountCreated returns when an account was created (zero when there is none).
func (s *Store) AccountCreated(ctx context.Context, userID int64) (time.Time, error) {
	var created time.Time
	if err := database.Conn(ctx, s.db).Raw(accountCreatedSQL, userID).Scan(&created).Error; err != nil {
		return time.Time{}, fmt.Errorf("moderation store: account age: %w", err)
	}
	return created, nil
}

// sameTextQuery asks whether Author posted a text with Fingerprint since
// DupSince, and how many other accounts did since CampSince; Except, when not
// 0, is the contribution of Kind being edited, which does not count.
type sameTextQuery struct {
	Author, Fingerprint int64
	DupSince, CampSince time.Time
	Kind                contribution.Kind
	Except              int64
}

// SameText answers a sameTextQuery.
func (s *Store) SameText(ctx context.Context, q sameTextQuery) (dup bool, others int, err error) {
	var row struct {
		Dup    bool
		Others int
	}
	var exceptComment, exceptIdea int64
	switch q.Kind {
	case contribution.KindComment:
		exceptComment = q.Except
	case contribution.KindIdea:
		exceptIdea = q.Except
	}
	err = database.Conn(ctx, s.db).Raw(sameTextSQL, map[string]any{"f": q.Fingerprint, "a": q.Author, "dup": q.DupSince,
		"camp": q.CampSince, "xc": exceptComment, "xi": exceptIdea}).Scan(&row).Error
	if err != nil {
		return false, 0, fmt.Errorf("moderation store: same text: %w", err)
	}
	return row.Dup, row.Others, nil
}

// ContributionsOf counts an account's ideas, comments and agenda inputs in a process.
func (s *Store) ContributionsOf(ctx context.Context, author, processID int64) (int, error) {
	var n int
	err := database.Conn(ctx, s.db).Raw(contributionsOfSQL, map[string]any{"p": processID, "a": author}).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("moderation store: contributions of %d: %w", author, err)
	}
	return n, nil
}

// SettingsRow returns a process's stored settings; false when it never set any.
func (s *Store) SettingsRow(ctx context.Context, processID int64) (settingsRow, bool, error) {
	var rows []settingsRow
	if err := database.Conn(ctx, s.db).Raw(settingsSQL, processID).Scan(&rows).Error; err != nil {
		return settingsRow{}, false, fmt.Errorf("moderation store: settings: %w", err)
	}
	if len(rows) != 1 {
		return settingsRow{}, false, nil
	}
	return rows[0], true, nil
}

// SaveSettings inserts or replaces a process's settings; the banned terms and
// house rules come as JSON.
func (s *Store) SaveSettings(ctx context.Context, processID int64, in Settings, termsJSON, rulesJSON string) error {
	err := database.Conn(ctx, s.db).Exec(saveSettingsSQL, processID, in.Mode, in.HoldFirst, in.TimeboxHours, in.FlagThreshold,
		in.Rules.BannedTerms, in.Rules.Links, in.Rules.Duplicate, in.Rules.Campaign, in.Rules.Rate, in.Rules.Shouting,
		termsJSON, rulesJSON).Error
	if err != nil {
		return fmt.Errorf("moderation store: save settings: %w", err)
	}
	return nil
}
