package meeting

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// insertRegistrationSQL registers an account for a meeting with a status,
// unless it is registered already; it returns nothing.
const insertRegistrationSQL = `INSERT INTO meeting_registrations (meeting_id, user_id, status, registered_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (meeting_id, user_id) DO NOTHING`

// InsertRegistration registers userID for the meeting with status; an
// existing registration stays as it is.
func (s *Store) InsertRegistration(ctx context.Context, meetingID, userID int64, status string, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(insertRegistrationSQL, meetingID, userID, status, now).Error; err != nil {
		return fmt.Errorf("meeting store: register %d for %d: %w", userID, meetingID, err)
	}
	return nil
}

// registrationOfSQL returns an account's registration for a meeting, with
// its place on the waiting list (0 with a place).
const registrationOfSQL = `SELECT r.status, CASE WHEN r.status = 'waiting' THEN (SELECT count(*) FROM meeting_registrations w
			WHERE w.meeting_id = r.meeting_id AND w.status = 'waiting' AND w.seq <= r.seq) ELSE 0 END AS position
		FROM meeting_registrations r WHERE r.meeting_id = ? AND r.user_id = ?`

// RegistrationOf returns the account's registration for the meeting; found
// is false when it has none.
func (s *Store) RegistrationOf(ctx context.Context, meetingID, userID int64) (Registration, bool, error) {
	var rows []Registration
	if err := database.Conn(ctx, s.db).Raw(registrationOfSQL, meetingID, userID).Scan(&rows).Error; err != nil {
		return Registration{}, false, fmt.Errorf("meeting store: registration of %d for %d: %w", userID, meetingID, err)
	}
	if len(rows) == 0 {
		return Registration{}, false, nil
	}
	return rows[0], true, nil
}

// deleteRegistrationSQL removes an account's registration and returns its status.
const deleteRegistrationSQL = "DELETE FROM meeting_registrations WHERE meeting_id = ? AND user_id = ? RETURNING status"

// DeleteRegistration removes the account's registration; found is false
// when it had none.
func (s *Store) DeleteRegistration(ctx context.Context, meetingID, userID int64) (status string, found bool, err error) {
	var st []string
	if err := database.Conn(ctx, s.db).Raw(deleteRegistrationSQL, meetingID, userID).Scan(&st).Error; err != nil {
		return "", false, fmt.Errorf("meeting store: unregister %d from %d: %w", userID, meetingID, err)
	}
	if len(st) == 0 {
		return "", false, nil
	}
	return st[0], true, nil
}

// promoted is a person given a place from the waiting list.
type promoted struct {
	UserID int64   `gorm:"column:user_id"`
	Email  *string `gorm:"column:email"`
}

// promoteSQL gives the first @n on a meeting's waiting list a place and
// returns them with their address (NULL for an erased account).
const promoteSQL = `WITH next AS (
			SELECT user_id FROM meeting_registrations WHERE meeting_id = @m AND status = 'waiting' ORDER BY seq LIMIT @n)
		UPDATE meeting_registrations r SET status = 'confirmed' FROM next
		WHERE r.meeting_id = @m AND r.user_id = next.user_id
		RETURNING r.user_id, (SELECT u.email FROM users u WHERE u.id = r.user_id AND u.deleted_at IS NULL) AS email`

// Promote gives the first n on the meeting's waiting list a place.
func (s *Store) Promote(ctx context.Context, meetingID int64, n int) ([]promoted, error) {
	var rows []promoted
	if err := database.Conn(ctx, s.db).Raw(promoteSQL, map[string]any{"m": meetingID, "n": n}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: waiting list of %d: %w", meetingID, err)
	}
	return rows, nil
}

// registrantsSQL returns who registered for a meeting with their public
// name: places first, then the waiting list, each in order of arrival.
const registrantsSQL = `SELECT coalesce(u.display_name, u.pseudonym) AS name, r.status, r.registered_at,
			CASE WHEN r.status = 'waiting' THEN row_number() OVER (PARTITION BY r.status ORDER BY r.seq) ELSE 0 END AS position
		FROM meeting_registrations r JOIN users u ON u.id = r.user_id
		WHERE r.meeting_id = ? ORDER BY r.status, r.seq`

// Registrants lists the meeting's registrations.
func (s *Store) Registrants(ctx context.Context, meetingID int64) ([]Registrant, error) {
	var rows []Registrant
	if err := database.Conn(ctx, s.db).Raw(registrantsSQL, meetingID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: registrants of %d: %w", meetingID, err)
	}
	return rows, nil
}

// inputColumns are an AgendaInput's columns on x (meeting_inputs) and u (users).
const inputColumns = `x.id, x.meeting_id, x.author_id, coalesce(u.display_name, u.pseudonym) AS author_name, x.body, x.body_html,
		x.status, x.created_at`

// insertInputSQL stores written input and returns its id.
const insertInputSQL = `INSERT INTO meeting_inputs (meeting_id, author_id, body, body_html, status, fingerprint, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`

// InsertInput stores in with the screen's fingerprint and returns its id.
func (s *Store) InsertInput(ctx context.Context, in AgendaInput, fingerprint *int64) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertInputSQL, in.MeetingID, in.AuthorID, in.Body, in.BodyHTML, in.Status, fingerprint,
		in.CreatedAt).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("meeting store: input to %d: %w", in.MeetingID, err)
	}
	return id, nil
}

// inputSQL returns one written input.
const inputSQL = "SELECT " + inputColumns + " FROM meeting_inputs x JOIN users u ON u.id = x.author_id WHERE x.id = ?"

// Input returns written input id.
func (s *Store) Input(ctx context.Context, id int64) (AgendaInput, error) {
	var rows []AgendaInput
	if err := database.Conn(ctx, s.db).Raw(inputSQL, id).Scan(&rows).Error; err != nil {
		return AgendaInput{}, fmt.Errorf("meeting store: input %d: %w", id, err)
	}
	if len(rows) == 0 {
		return AgendaInput{}, ErrNotFound
	}
	return rows[0], nil
}

// inputsSQL returns a meeting's published input and an account's own, oldest first.
const inputsSQL = "SELECT " + inputColumns + ` FROM meeting_inputs x JOIN users u ON u.id = x.author_id
		WHERE x.meeting_id = ? AND (x.status = 'published' OR x.author_id = ?) ORDER BY x.id LIMIT 1000`

// Inputs returns the meeting's published input and viewer's own (viewer 0:
// nobody's).
func (s *Store) Inputs(ctx context.Context, meetingID, viewer int64) ([]AgendaInput, error) {
	var rows []AgendaInput
	if err := database.Conn(ctx, s.db).Raw(inputsSQL, meetingID, viewer).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: inputs to %d: %w", meetingID, err)
	}
	return rows, nil
}

// minutesSQL returns every version of a meeting's minutes, newest first,
// with the title of their repository document.
const minutesSQL = `SELECT v.version, v.body, v.body_html, v.repository_item_id, ri.title AS repository_title, v.others_present,
			v.correction_reason, v.published_at
		FROM meeting_minutes v LEFT JOIN repository_items ri ON ri.id = v.repository_item_id
		WHERE v.meeting_id = ? ORDER BY v.version DESC`

// Minutes returns the meeting's minutes, newest version first.
func (s *Store) Minutes(ctx context.Context, meetingID int64) ([]Minutes, error) {
	var rows []Minutes
	if err := database.Conn(ctx, s.db).Raw(minutesSQL, meetingID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: minutes of %d: %w", meetingID, err)
	}
	return rows, nil
}

// attendeeRow is an attendee with the version of the minutes naming them.
type attendeeRow struct {
	Version int `gorm:"column:version"`
	Attendee
}

// attendeesSQL returns the forum members each version of a meeting's
// minutes names, with their public name and member id, by seat and name.
const attendeesSQL = `SELECT a.version, a.membership_id, coalesce(u.display_name, u.pseudonym) AS name, fm.seat, fm.organisation,
			f.member_ref
		FROM meeting_attendees a JOIN forum_memberships fm ON fm.id = a.membership_id JOIN users u ON u.id = fm.user_id
		LEFT JOIN forum_pseudonyms f ON f.process_id = fm.process_id AND f.user_id = fm.user_id
		WHERE a.meeting_id = ? ORDER BY a.version, fm.seat, name`

// Attendees returns the attendees of each version of the meeting's minutes.
func (s *Store) Attendees(ctx context.Context, meetingID int64) (map[int][]Attendee, error) {
	var rows []attendeeRow
	if err := database.Conn(ctx, s.db).Raw(attendeesSQL, meetingID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("meeting store: attendees of %d: %w", meetingID, err)
	}
	out := map[int][]Attendee{}
	for _, r := range rows {
		out[r.Version] = append(out[r.Version], r.Attendee)
	}
	return out, nil
}

// insertMinutesSQL publishes a version of a meeting's minutes; it returns nothing.
const insertMinutesSQL = `INSERT INTO meeting_minutes (meeting_id, version, body, body_html, repository_item_id, others_present,
			correction_reason, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertAttendeesSQL records who of the forum a version of the minutes
// names; it returns nothing.
const insertAttendeesSQL = `INSERT INTO meeting_attendees (meeting_id, version, membership_id)
		SELECT ?, ?, unnest(?::bigint[])`

// InsertMinutes publishes version v of the meeting's minutes with its attendees.
func (s *Store) InsertMinutes(ctx context.Context, meetingID int64, v Minutes, attendees []int64, by *int64) error {
	conn := database.Conn(ctx, s.db)
	err := conn.Exec(insertMinutesSQL, meetingID, v.Version, v.Body, v.BodyHTML, v.RepositoryItemID, v.OthersPresent,
		v.CorrectionReason, v.PublishedAt, by).Error
	if err != nil {
		return fmt.Errorf("meeting store: minutes %d of %d: %w", v.Version, meetingID, err)
	}
	if len(attendees) == 0 {
		return nil
	}
	if err := conn.Exec(insertAttendeesSQL, meetingID, v.Version, database.Array{Type: "_int8", Values: attendees}).Error; err != nil {
		return fmt.Errorf("meeting store: attendees of minutes %d of %d: %w", v.Version, meetingID, err)
	}
	return nil
}

// repositoryItemOfSQL counts a process's repository documents with an id.
const repositoryItemOfSQL = "SELECT count(*) FROM repository_items WHERE id = ? AND process_id = ?"

// RepositoryItemOf reports whether the process's repository holds document id.
func (s *Store) RepositoryItemOf(ctx context.Context, processID, id int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(repositoryItemOfSQL, id, processID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("meeting store: repository document %d: %w", id, err)
	}
	return n > 0, nil
}
