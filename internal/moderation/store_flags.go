package moderation

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// lockFlagsSQL takes the transaction-scoped advisory lock on one
// contribution's flags (class, id).
const lockFlagsSQL = "SELECT pg_advisory_xact_lock(?, ?)"

// flagCommentSQL returns a live comment's author, process, document and status.
const flagCommentSQL = `SELECT c.author_id, coalesce(d.process_id, i.process_id, u.process_id) AS process_id, c.document_id, c.status FROM comments c
			LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
			LEFT JOIN progress_updates u ON u.id = c.progress_update_id WHERE c.id = ? AND c.deleted_at IS NULL`

// flagIdeaSQL returns an idea's author, process and moderation status.
const flagIdeaSQL = "SELECT author_id, process_id, NULL::bigint AS document_id, moderation AS status FROM ideas WHERE id = ?"

// The flag statements below name the target's column with %[1]s; flagColumn
// gives it from a fixed pair, never from input.

// flaggerSQL returns whether a person already flagged the contribution (mine)
// and how many of their flags were upheld and rejected.
const flaggerSQL = `SELECT count(*) FILTER (WHERE %[1]s = @id) AS mine, count(*) FILTER (WHERE outcome = 'upheld') AS upheld,
			count(*) FILTER (WHERE outcome = 'rejected') AS rejected FROM moderation_flags WHERE user_id = @u`

// insertFlagSQL records a flag; it returns nothing.
const insertFlagSQL = `INSERT INTO moderation_flags (process_id, %[1]s, user_id, reason, note, weight, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`

// openFlagsSQL returns how many open flags a contribution has and their total weight.
const openFlagsSQL = `SELECT count(*) AS n, coalesce(sum(weight), 0) AS weight FROM moderation_flags
			WHERE %[1]s = ? AND outcome IS NULL`

// flagItemSQL updates the flag counts of a contribution's item and reopens it
// under the flags cause when it was decided; it returns nothing.
const flagItemSQL = `UPDATE moderation_items SET flags = ?, flag_weight = ?, version = version + 1,
			cause = CASE WHEN state = 'decided' THEN 'flags' ELSE cause END,
			queued_at = CASE WHEN state = 'decided' THEN ?::timestamptz ELSE queued_at END,
			state = CASE WHEN state = 'decided' THEN 'open' ELSE state END
			WHERE %[1]s = ?`

// insertFlagItemSQL queues a contribution that had no item, under the flags cause; it returns nothing.
const insertFlagItemSQL = `INSERT INTO moderation_items (process_id, %[1]s, document_id, author_id, cause, flags, flag_weight,
				created_at, queued_at) VALUES (?, ?, ?, ?, 'flags', ?, ?, ?, ?)`

// flagColumn is the column of moderation_flags and moderation_items naming a
// contribution of kind.
func flagColumn(kind contribution.Kind) string {
	if kind == contribution.KindIdea {
		return "idea_id"
	}
	return "comment_id"
}

// flagTarget is the contribution a flag reports.
type flagTarget struct {
	AuthorID   int64
	ProcessID  int64
	DocumentID *int64
	Status     string
}

// flagger is a person's record as a flagger.
type flagger struct {
	Mine, Upheld, Rejected int
}

// openFlags are a contribution's undecided flags.
type openFlags struct {
	N      int
	Weight float64
}

// LockFlags serialises the flags on one contribution until the transaction in ctx ends.
func (s *Store) LockFlags(ctx context.Context, kind contribution.Kind, id int64) error {
	class := database.LockFlagComment
	if kind == contribution.KindIdea {
		class = database.LockFlagIdea
	}
	if err := database.Conn(ctx, s.db).Exec(lockFlagsSQL, class, int32(id)).Error; err != nil {
		return fmt.Errorf("moderation store: flag lock: %w", err)
	}
	return nil
}

// FlagTarget returns the contribution a flag reports; false when there is no
// such live contribution.
func (s *Store) FlagTarget(ctx context.Context, kind contribution.Kind, id int64) (flagTarget, bool, error) {
	q := flagCommentSQL
	if kind == contribution.KindIdea {
		q = flagIdeaSQL
	}
	var t []flagTarget
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&t).Error; err != nil {
		return flagTarget{}, false, fmt.Errorf("moderation store: flag target: %w", err)
	}
	if len(t) == 0 {
		return flagTarget{}, false, nil
	}
	return t[0], true, nil
}

// Flagger returns userID's record as a flagger, and whether they flagged this contribution.
func (s *Store) Flagger(ctx context.Context, kind contribution.Kind, id, userID int64) (flagger, error) {
	var f flagger
	if err := database.Conn(ctx, s.db).Raw(fmt.Sprintf(flaggerSQL, flagColumn(kind)), map[string]any{"id": id, "u": userID}).
		Scan(&f).Error; err != nil {
		return flagger{}, fmt.Errorf("moderation store: flagger's record: %w", err)
	}
	return f, nil
}

// InsertFlag records userID's flag on a contribution of the process.
func (s *Store) InsertFlag(ctx context.Context, kind contribution.Kind, id, processID, userID int64, in FlagInput, weight float64,
	now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(fmt.Sprintf(insertFlagSQL, flagColumn(kind)), processID, id, userID, in.Reason, in.Note,
		weight, now).Error; err != nil {
		return fmt.Errorf("moderation store: flag: %w", err)
	}
	return nil
}

// OpenFlags returns how many open flags a contribution has and their weight.
func (s *Store) OpenFlags(ctx context.Context, kind contribution.Kind, id int64) (openFlags, error) {
	var open openFlags
	if err := database.Conn(ctx, s.db).Raw(fmt.Sprintf(openFlagsSQL, flagColumn(kind)), id).Scan(&open).Error; err != nil {
		return openFlags{}, fmt.Errorf("moderation store: flag weight: %w", err)
	}
	return open, nil
}

// QueueFlagged brings a flagged contribution to the queue: it updates the
// flag counts of its item (reopening a decided one) or, when it has none,
// inserts one.
func (s *Store) QueueFlagged(ctx context.Context, kind contribution.Kind, id int64, t flagTarget, open openFlags, now time.Time) error {
	col := flagColumn(kind)
	conn := database.Conn(ctx, s.db)
	res := conn.Exec(fmt.Sprintf(flagItemSQL, col), open.N, open.Weight, now, id)
	if res.Error != nil {
		return fmt.Errorf("moderation store: flag item: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	if err := conn.Exec(fmt.Sprintf(insertFlagItemSQL, col), t.ProcessID, id, t.DocumentID, t.AuthorID, open.N, open.Weight,
		now, now).Error; err != nil {
		return fmt.Errorf("moderation store: flag item: %w", err)
	}
	return nil
}
