package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes follows, events, notifications and choices.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// followSQL follows a subject; following by hand what was followed
// automatically makes it a choice.
const followSQL = `INSERT INTO follows (account_id, target_kind, target_id, auto, created_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (account_id, target_kind, target_id) DO UPDATE SET auto = follows.auto AND EXCLUDED.auto`

// Follow records that account follows the subject.
func (s *Store) Follow(ctx context.Context, account int64, kind TargetKind, id int64, auto bool, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(followSQL, account, kind, id, auto, now).Error; err != nil {
		return fmt.Errorf("notify store: follow %s %d: %w", kind, id, err)
	}
	return nil
}

// Unfollow forgets that account follows the subject; false when it did not.
func (s *Store) Unfollow(ctx context.Context, account int64, kind TargetKind, id int64) (bool, error) {
	res := database.Conn(ctx, s.db).Exec("DELETE FROM follows WHERE account_id = ? AND target_kind = ? AND target_id = ?", account, kind, id)
	if res.Error != nil {
		return false, fmt.Errorf("notify store: unfollow %s %d: %w", kind, id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// targetSQL returns a followable subject's title and process: a published
// process, a published version's draft in one, a published idea in one.
var targetSQL = map[TargetKind]string{
	TargetProcess: `SELECT p.id AS process_id, p.title, p.slug AS process_slug, p.title AS process_title
		FROM processes p WHERE p.id = ? AND p.published_at IS NOT NULL`,
	TargetDocument: `SELECT p.id AS process_id, d.title, p.slug AS process_slug, p.title AS process_title
		FROM documents d JOIN processes p ON p.id = d.process_id
		WHERE d.id = ? AND p.published_at IS NOT NULL
		  AND EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.published_at IS NOT NULL)`,
	TargetIdea: `SELECT p.id AS process_id, i.title, p.slug AS process_slug, p.title AS process_title
		FROM ideas i JOIN processes p ON p.id = i.process_id
		WHERE i.id = ? AND p.published_at IS NOT NULL AND i.moderation = 'published'`,
}

// target is what targetSQL returns.
type target struct {
	ProcessID    int64  `gorm:"column:process_id"`
	Title        string `gorm:"column:title"`
	ProcessSlug  string `gorm:"column:process_slug"`
	ProcessTitle string `gorm:"column:process_title"`
}

// Target returns a subject anyone may follow, or ErrTargetNotFound.
func (s *Store) Target(ctx context.Context, kind TargetKind, id int64) (target, error) {
	q, ok := targetSQL[kind]
	if !ok {
		return target{}, ErrTargetNotFound
	}
	var rows []target
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return target{}, fmt.Errorf("notify store: target %s %d: %w", kind, id, err)
	}
	if len(rows) == 0 {
		return target{}, ErrTargetNotFound
	}
	return rows[0], nil
}

// ProcessIDBySlug returns the id of the process with slug, or ErrTargetNotFound.
func (s *Store) ProcessIDBySlug(ctx context.Context, slug string) (int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw("SELECT id FROM processes WHERE slug = ?", slug).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("notify store: process %q: %w", slug, err)
	}
	if len(ids) == 0 {
		return 0, ErrTargetNotFound
	}
	return ids[0], nil
}

// followsSQL lists what an account follows, newest first, with titles.
const followsSQL = `
SELECT f.target_kind, f.target_id, f.auto, f.created_at,
       coalesce(d.title, i.title, p.title, '') AS title, coalesce(p.slug, '') AS process_slug, coalesce(p.title, '') AS process_title
FROM follows f
LEFT JOIN documents d ON f.target_kind = 'document' AND d.id = f.target_id
LEFT JOIN ideas i ON f.target_kind = 'idea' AND i.id = f.target_id
LEFT JOIN processes p ON p.id = CASE f.target_kind WHEN 'process' THEN f.target_id WHEN 'document' THEN d.process_id ELSE i.process_id END
WHERE f.account_id = ?
ORDER BY f.created_at DESC, f.target_kind, f.target_id
LIMIT 500`

// Follows lists what account follows (the newest 500).
func (s *Store) Follows(ctx context.Context, account int64) ([]Follow, error) {
	var out []Follow
	if err := database.Conn(ctx, s.db).Raw(followsSQL, account).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("notify store: follows of %d: %w", account, err)
	}
	return out, nil
}

// newEvent is a notification event to write.
type newEvent struct {
	Kind         Kind
	ProcessID    int64
	TargetKind   string
	TargetID     int64
	ActorID      *int64
	Recipients   []int64
	AudienceKind *TargetKind
	AudienceID   *int64
	Facts        Facts
	DedupKey     *string
}

// insertEventSQL writes an event; a second one with the same dedup key is dropped.
const insertEventSQL = `INSERT INTO notification_events
  (kind, process_id, target_kind, target_id, actor_id, recipients, audience_kind, audience_id, payload, dedup_key, created_at)
VALUES (?, ?, ?, ?, ?, ?::bigint[], ?, ?, ?::jsonb, ?, ?)
ON CONFLICT (dedup_key) DO NOTHING`

// InsertEvent writes e, in the transaction carried by ctx.
func (s *Store) InsertEvent(ctx context.Context, e newEvent, now time.Time) error {
	payload, err := json.Marshal(e.Facts)
	if err != nil {
		return fmt.Errorf("notify store: event %s: %w", e.Kind, err)
	}
	if e.Recipients == nil {
		e.Recipients = []int64{}
	}
	err = database.Conn(ctx, s.db).Exec(insertEventSQL, e.Kind, e.ProcessID, e.TargetKind, e.TargetID, e.ActorID,
		database.Array{Type: "_int8", Values: e.Recipients}, e.AudienceKind, e.AudienceID, string(payload), e.DedupKey, now).Error
	if err != nil {
		return fmt.Errorf("notify store: event %s: %w", e.Kind, err)
	}
	return nil
}

// notificationRow is a notification as its list reads it.
type notificationRow struct {
	ID        int64      `gorm:"column:id"`
	Kind      Kind       `gorm:"column:kind"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	ReadAt    *time.Time `gorm:"column:read_at"`
	Payload   string     `gorm:"column:payload"`
}

func (r notificationRow) notification() (Notification, error) {
	n := Notification{ID: r.ID, Kind: r.Kind, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
	if err := json.Unmarshal([]byte(r.Payload), &n.Facts); err != nil {
		return Notification{}, fmt.Errorf("notify store: notification %d: %w", r.ID, err)
	}
	return n, nil
}

// listSQL returns a page of an account's notifications older than a cursor, newest first.
const listSQL = `SELECT n.id, e.kind, n.created_at, n.read_at, e.payload::text AS payload
FROM notifications n JOIN notification_events e ON e.id = n.event_id
WHERE n.account_id = ? AND n.id < ?
ORDER BY n.id DESC LIMIT ?`

// List returns up to limit notifications of account with ids below before.
func (s *Store) List(ctx context.Context, account, before int64, limit int) ([]Notification, error) {
	var rows []notificationRow
	if err := database.Conn(ctx, s.db).Raw(listSQL, account, before, limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify store: list of %d: %w", account, err)
	}
	out := make([]Notification, 0, len(rows))
	for _, r := range rows {
		n, err := r.notification()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Unread counts account's unread notifications.
func (s *Store) Unread(ctx context.Context, account int64) (int64, error) {
	var n int64
	err := database.Conn(ctx, s.db).Raw("SELECT count(*) FROM notifications WHERE account_id = ? AND read_at IS NULL", account).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("notify store: unread of %d: %w", account, err)
	}
	return n, nil
}

// MarkRead marks one of account's notifications read (again changes
// nothing), or returns ErrNotFound when it is not theirs.
func (s *Store) MarkRead(ctx context.Context, account, id int64, now time.Time) error {
	var ids []int64
	err := database.Conn(ctx, s.db).Raw(`UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND account_id = ? RETURNING id`,
		now, id, account).Scan(&ids).Error
	if err != nil {
		return fmt.Errorf("notify store: mark %d read: %w", id, err)
	}
	if len(ids) == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkAllRead marks every unread notification of account read and says how many.
func (s *Store) MarkAllRead(ctx context.Context, account int64, now time.Time) (int64, error) {
	res := database.Conn(ctx, s.db).Exec("UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL", now, account)
	if res.Error != nil {
		return 0, fmt.Errorf("notify store: mark all read of %d: %w", account, res.Error)
	}
	return res.RowsAffected, nil
}

// prefRow is one stored choice.
type prefRow struct {
	Kind      Kind      `gorm:"column:kind"`
	Frequency Frequency `gorm:"column:frequency"`
}

// Prefs returns account's stored choices (kinds without a row take Defaults).
func (s *Store) Prefs(ctx context.Context, account int64) (map[Kind]Frequency, error) {
	var rows []prefRow
	if err := database.Conn(ctx, s.db).Raw("SELECT kind, frequency FROM notification_prefs WHERE account_id = ?", account).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify store: prefs of %d: %w", account, err)
	}
	out := make(map[Kind]Frequency, len(Kinds))
	for _, k := range Kinds {
		out[k] = Defaults[k]
	}
	for _, r := range rows {
		out[r.Kind] = r.Frequency
	}
	return out, nil
}

// SetPref stores account's choice for kind.
func (s *Store) SetPref(ctx context.Context, account int64, kind Kind, f Frequency) error {
	err := database.Conn(ctx, s.db).Exec(`INSERT INTO notification_prefs (account_id, kind, frequency) VALUES (?, ?, ?)
		ON CONFLICT (account_id, kind) DO UPDATE SET frequency = EXCLUDED.frequency`, account, kind, f).Error
	if err != nil {
		return fmt.Errorf("notify store: pref %s of %d: %w", kind, account, err)
	}
	return nil
}

// LiveAccount reports whether account exists and is not erased.
func (s *Store) LiveAccount(ctx context.Context, account int64) (bool, error) {
	var n int64
	err := database.Conn(ctx, s.db).Raw("SELECT count(*) FROM users WHERE id = ? AND deleted_at IS NULL", account).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("notify store: account %d: %w", account, err)
	}
	return n > 0, nil
}

// instanceSecretSQL reads the key of unsubscribe links (migrations/0021).
const instanceSecretSQL = `SELECT secret FROM instance_secrets WHERE name = 'notification_unsubscribe'`

// UnsubscribeKey returns the installation's key of unsubscribe links.
func (s *Store) UnsubscribeKey(ctx context.Context) ([]byte, error) {
	var key []byte
	if err := database.Conn(ctx, s.db).Raw(instanceSecretSQL).Row().Scan(&key); err != nil {
		return nil, fmt.Errorf("notify store: unsubscribe key: %w", err)
	}
	if len(key) < 32 {
		return nil, errors.New("notify store: unsubscribe key: fewer than 32 bytes")
	}
	return key, nil
}
