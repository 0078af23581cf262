package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/database"
	"cocreate/internal/mail"
)

// pendingEvent is an event waiting for its fan-out, as a batch reads it.
type pendingEvent struct {
	ID      int64  `gorm:"column:id"`
	Kind    Kind   `gorm:"column:kind"`
	Payload string `gorm:"column:payload"`
	Cursor  int64  `gorm:"column:cursor"`
}

// TableName maps pendingEvent to its table.
func (pendingEvent) TableName() string { return "notification_events" }

// batchSQL writes the next batch of an event's notifications. The candidates
// are the event's direct recipients and its audience's followers past the
// cursor, in account order, at most @n; each side is read in index order and
// cut at @n, so a batch costs @n rows whatever the audience's size. The actor
// and erased accounts are skipped (but passed: the cursor moves over them).
// Each candidate comes back with the notification written for it (NULL when
// it was skipped or already had one) and, for the written ones, the address
// and choice its e-mail needs.
const batchSQL = `
WITH e AS (SELECT * FROM notification_events WHERE id = @event),
cand AS (
  SELECT DISTINCT x.account_id FROM (
    (SELECT r AS account_id FROM e, unnest(e.recipients) r WHERE r > @cursor ORDER BY r LIMIT @n)
    UNION ALL
    (SELECT f.account_id FROM follows f, e
     WHERE f.target_kind = e.audience_kind AND f.target_id = e.audience_id AND f.account_id > @cursor
     ORDER BY f.account_id LIMIT @n)
  ) x ORDER BY x.account_id LIMIT @n
),
ins AS (
  INSERT INTO notifications (event_id, account_id, created_at)
  SELECT @event, c.account_id, @now FROM cand c JOIN users u ON u.id = c.account_id AND u.deleted_at IS NULL
  WHERE c.account_id IS DISTINCT FROM (SELECT actor_id FROM e)
  ON CONFLICT (event_id, account_id) DO NOTHING
  RETURNING id, account_id
)
SELECT c.account_id, i.id AS notification_id,
       CASE WHEN u.email_verified_at IS NOT NULL THEN u.email END AS email,
       coalesce(p.frequency, @default) AS frequency
FROM cand c
LEFT JOIN ins i ON i.account_id = c.account_id
LEFT JOIN users u ON u.id = i.account_id
LEFT JOIN notification_prefs p ON p.account_id = i.account_id AND p.kind = @kind
ORDER BY c.account_id`

// batchRow is one candidate of a batch.
type batchRow struct {
	AccountID      int64     `gorm:"column:account_id"`
	NotificationID *int64    `gorm:"column:notification_id"`
	Email          *string   `gorm:"column:email"`
	Frequency      Frequency `gorm:"column:frequency"`
}

// FanOutBatch claims the oldest event waiting for its fan-out that no other
// worker holds (FOR UPDATE SKIP LOCKED), writes the next batch of its
// notifications and immediate e-mails, and moves its cursor, all in one
// transaction: a crash loses the batch and the next run writes it again, and
// the unique key (event, account) keeps anyone from a message twice. It
// returns how many notifications it wrote, and false when no event waited.
func (s *Service) FanOutBatch(ctx context.Context) (int, bool, error) {
	var written int
	var worked bool
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		conn := database.Conn(ctx, s.db)
		var ev pendingEvent
		err := conn.Select("id", "kind", "payload", "cursor").
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("fanned_out_at IS NULL").Order("id").Take(&ev).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("notify: claim an event: %w", err)
		}
		worked = true
		now := s.now()
		var rows []batchRow
		err = conn.Raw(batchSQL, map[string]any{"event": ev.ID, "cursor": ev.Cursor, "n": s.opt.Batch, "now": now,
			"kind": ev.Kind, "default": string(Defaults[ev.Kind])}).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("notify: fan out event %d: %w", ev.ID, err)
		}
		if written, err = s.mailNow(ctx, ev, rows); err != nil {
			return err
		}
		cursor, done := ev.Cursor, len(rows) < s.opt.Batch
		if len(rows) > 0 {
			cursor = rows[len(rows)-1].AccountID
		}
		upd := map[string]any{"cursor": cursor}
		if done {
			upd["fanned_out_at"] = now
		}
		if err := conn.Table("notification_events").Where("id = ?", ev.ID).Updates(upd).Error; err != nil {
			return fmt.Errorf("notify: event %d cursor: %w", ev.ID, err)
		}
		return nil
	})
	return written, worked, err
}

// mailNow writes the immediate e-mails of a batch to the outbox and marks
// their notifications mailed; it returns how many notifications the batch wrote.
func (s *Service) mailNow(ctx context.Context, ev pendingEvent, rows []batchRow) (int, error) {
	var f Facts
	if err := json.Unmarshal([]byte(ev.Payload), &f); err != nil {
		return 0, fmt.Errorf("notify: event %d payload: %w", ev.ID, err)
	}
	written := 0
	var msgs []mail.Message
	var mailed []int64
	for _, r := range rows {
		if r.NotificationID == nil {
			continue
		}
		written++
		if r.Email == nil || r.Frequency != Immediately {
			continue
		}
		token, err := s.UnsubscribeToken(ctx, r.AccountID, ev.Kind)
		if err != nil {
			return 0, err
		}
		subject, body := s.message(ev.Kind, f, token)
		account := r.AccountID
		msgs = append(msgs, mail.Message{UserID: &account, Kind: "notification_" + string(ev.Kind), To: *r.Email,
			Subject: subject, Body: body, UnsubscribeURL: s.unsubscribeURL(token)})
		mailed = append(mailed, *r.NotificationID)
	}
	if len(msgs) == 0 {
		return written, nil
	}
	if err := mail.EnqueueAll(ctx, s.db, msgs); err != nil {
		return 0, err
	}
	err := database.Conn(ctx, s.db).Exec("UPDATE notifications SET mailed_at = ? WHERE id = ANY(?::bigint[])",
		s.now(), database.Array{Type: "_int8", Values: mailed}).Error
	if err != nil {
		return 0, fmt.Errorf("notify: mark mailed: %w", err)
	}
	return written, nil
}

// FanOut runs batches until no event waits or budget has passed, and returns
// how many notifications it wrote: the worker serve runs every few seconds.
func (s *Service) FanOut(ctx context.Context, budget time.Duration) (int, error) {
	deadline := time.Now().Add(budget)
	total := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		n, worked, err := s.FanOutBatch(ctx)
		total += n
		if err != nil || !worked {
			return total, err
		}
	}
	return total, nil
}
