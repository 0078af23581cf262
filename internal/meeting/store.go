package meeting

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store holds every statement of meetings: meetings here, registrations,
// agenda input and minutes in store_<topic>.go.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// meetingColumns are a Meeting's columns on m (meetings) and p (processes),
// with its registration counts, published input and minutes versions.
const meetingColumns = `m.id, m.process_id, p.slug AS process_slug, m.kind, m.title, m.starts_at, m.ends_at, m.time_zone, m.place,
		m.remote_url, m.agenda, m.agenda_html, m.capacity, m.revision, m.published_at, m.created_at, m.updated_at,
		(SELECT count(*) FROM meeting_registrations r WHERE r.meeting_id = m.id AND r.status = 'confirmed') AS confirmed,
		(SELECT count(*) FROM meeting_registrations r WHERE r.meeting_id = m.id AND r.status = 'waiting') AS waiting,
		(SELECT count(*) FROM meeting_inputs x WHERE x.meeting_id = m.id AND x.status = 'published') AS inputs,
		(SELECT coalesce(max(version), 0) FROM meeting_minutes v WHERE v.meeting_id = m.id) AS versions`

// meetingSQL returns one meeting by id.
const meetingSQL = "SELECT " + meetingColumns + " FROM meetings m JOIN processes p ON p.id = m.process_id WHERE m.id = ?"

// lockMeetingSQL locks a meeting's row until the transaction ends; it returns the id.
const lockMeetingSQL = "SELECT id FROM meetings WHERE id = ? FOR UPDATE"

// Meeting returns the meeting with id, or ErrNotFound. With forUpdate it
// locks the meeting's row first, until the transaction in ctx ends, so the
// counts read are the ones every registration after it sees.
func (s *Store) Meeting(ctx context.Context, id int64, forUpdate bool) (Meeting, error) {
	conn := database.Conn(ctx, s.db)
	if forUpdate {
		var ids []int64
		if err := conn.Raw(lockMeetingSQL, id).Scan(&ids).Error; err != nil {
			return Meeting{}, fmt.Errorf("meeting store: lock %d: %w", id, err)
		}
		if len(ids) == 0 {
			return Meeting{}, ErrNotFound
		}
	}
	var rows []Meeting
	if err := database.Conn(ctx, s.db).Raw(meetingSQL, id).Scan(&rows).Error; err != nil {
		return Meeting{}, fmt.Errorf("meeting store: meeting %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Meeting{}, ErrNotFound
	}
	return rows[0], nil
}

// upcomingSQL returns a page of a process's (@p) meetings that have not
// ended by @now, soonest first, after the cursor (@at, @id); @drafts adds the
// unpublished ones.
const upcomingSQL = "SELECT " + meetingColumns + ` FROM meetings m JOIN processes p ON p.id = m.process_id
		WHERE m.process_id = @p AND m.ends_at > @now AND (@drafts OR m.published_at IS NOT NULL)
		AND (m.starts_at, m.id) > (@at, @id)
		ORDER BY m.starts_at, m.id LIMIT @n`

// pastSQL returns a page of a process's (@p) meetings that ended by @now,
// latest first, before the cursor (@at, @id); @drafts adds the unpublished ones.
const pastSQL = "SELECT " + meetingColumns + ` FROM meetings m JOIN processes p ON p.id = m.process_id
		WHERE m.process_id = @p AND m.ends_at <= @now AND (@drafts OR m.published_at IS NOT NULL)
		AND (m.starts_at, m.id) < (@at, @id)
		ORDER BY m.starts_at DESC, m.id DESC LIMIT @n`

// Page returns up to n meetings of the process, upcoming or past, after the
// cursor; drafts adds the unpublished ones.
func (s *Store) Page(ctx context.Context, processID int64, when When, drafts bool, now time.Time, after *pageCursor, n int) ([]Meeting, error) {
	q := upcomingSQL
	at, id := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), int64(0)
	if when == Past {
		q = pastSQL
		at, id = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), int64(1<<62)
	}
	if after != nil {
		at, id = after.StartsAt, after.ID
	}
	var rows []Meeting
	args := map[string]any{"p": processID, "now": now, "drafts": drafts, "at": at, "id": id, "n": n}
	if err := database.Conn(ctx, s.db).Raw(q, args).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: meetings of %d: %w", processID, err)
	}
	return rows, nil
}

// insertSQL stores a new draft meeting and returns its id.
const insertSQL = `INSERT INTO meetings (process_id, kind, title, starts_at, ends_at, time_zone, place, remote_url, agenda, agenda_html,
			capacity, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// Insert stores a checked meeting of the process as a draft and returns its id.
func (s *Store) Insert(ctx context.Context, processID int64, c checked, by *int64, now time.Time) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertSQL, processID, c.Kind, c.Title, c.StartsAt, c.EndsAt, c.TimeZone, c.Place, c.RemoteURL,
		c.Agenda, c.HTML, c.Capacity, by, now, now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("meeting store: insert in %d: %w", processID, err)
	}
	return id, nil
}

// updateSQL rewrites a meeting and bumps its revision; it returns nothing.
const updateSQL = `UPDATE meetings SET kind = ?, title = ?, starts_at = ?, ends_at = ?, time_zone = ?, place = ?, remote_url = ?,
			agenda = ?, agenda_html = ?, capacity = ?, revision = revision + 1, updated_at = ? WHERE id = ?`

// Update writes a checked edit of meeting id.
func (s *Store) Update(ctx context.Context, id int64, c checked, now time.Time) error {
	err := database.Conn(ctx, s.db).Exec(updateSQL, c.Kind, c.Title, c.StartsAt, c.EndsAt, c.TimeZone, c.Place, c.RemoteURL,
		c.Agenda, c.HTML, c.Capacity, now, id).Error
	if err != nil {
		return fmt.Errorf("meeting store: update %d: %w", id, err)
	}
	return nil
}

// markPublishedSQL shows a meeting to the public; it returns nothing.
const markPublishedSQL = "UPDATE meetings SET published_at = ?, revision = revision + 1 WHERE id = ? AND published_at IS NULL"

// MarkPublished publishes meeting id at now.
func (s *Store) MarkPublished(ctx context.Context, id int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(markPublishedSQL, now, id).Error; err != nil {
		return fmt.Errorf("meeting store: publish %d: %w", id, err)
	}
	return nil
}

// held is a forum meeting that took place, for the frequency.
type held struct {
	StartsAt time.Time `gorm:"column:starts_at"`
	TimeZone string    `gorm:"column:time_zone"`
}

// heldForumMeetingsSQL returns the start and zone of a process's published
// forum meetings that started by a time.
const heldForumMeetingsSQL = `SELECT starts_at, time_zone FROM meetings
		WHERE process_id = ? AND kind = 'forum' AND published_at IS NOT NULL AND starts_at <= ? ORDER BY starts_at`

// HeldForumMeetings returns the process's published forum meetings that had
// started at now.
func (s *Store) HeldForumMeetings(ctx context.Context, processID int64, now time.Time) ([]held, error) {
	var rows []held
	if err := database.Conn(ctx, s.db).Raw(heldForumMeetingsSQL, processID, now).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: forum meetings of %d: %w", processID, err)
	}
	return rows, nil
}
