package idea

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"cocreate/internal/database"
)

// lockSupporterSQL serialises one person's supports until the transaction ends.
const lockSupporterSQL = `SELECT pg_advisory_xact_lock(?, ?)`

// LockSupporter takes the person's supporter lock (database.LockSupporter) in
// the transaction of ctx, so the per-person rules count committed supports.
func (s *Store) LockSupporter(ctx context.Context, userID int64) error {
	if err := database.Conn(ctx, s.db).Exec(lockSupporterSQL, database.LockSupporter, int32(userID)).Error; err != nil {
		return fmt.Errorf("idea store: supporter lock: %w", err)
	}
	return nil
}

// countingSupports is the condition on an idea (i) for its supports to count
// toward their givers' limits: withdrawn ideas give their supports back.
const countingSupports = "i.status <> 'withdrawn'"

// heldSupport is one support a person gives, and whether it counts toward
// their limits.
type heldSupport struct {
	IdeaID  int64
	ThemeID int64
	Counts  bool
}

// supportsOfSQL lists one person's supports in a process, by idea id, with
// their theme and whether they count toward the person's limits.
const supportsOfSQL = `SELECT s.idea_id, s.theme_id, ` + countingSupports + ` AS counts
		FROM idea_supports s JOIN ideas i ON i.id = s.idea_id
		WHERE s.process_id = ? AND s.user_id = ? ORDER BY s.idea_id`

// SupportsOf returns the person's supports in the process, by idea id.
func (s *Store) SupportsOf(ctx context.Context, processID, userID int64) ([]heldSupport, error) {
	var rows []heldSupport
	if err := database.Conn(ctx, s.db).Raw(supportsOfSQL, processID, userID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("idea store: supports of %d: %w", userID, err)
	}
	return rows, nil
}

// insertSupportSQL stores one support.
const insertSupportSQL = `INSERT INTO idea_supports (idea_id, user_id, process_id, theme_id, created_at) VALUES (?, ?, ?, ?, ?)`

// InsertSupport stores the person's support of an idea (of the given process and theme).
func (s *Store) InsertSupport(ctx context.Context, row ideaRow, userID int64, at time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(insertSupportSQL, row.ID, userID, row.ProcessID, row.ThemeID, at).Error; err != nil {
		return fmt.Errorf("idea store: support %d: %w", row.ID, err)
	}
	return nil
}

// deleteSupportSQL removes one support.
const deleteSupportSQL = `DELETE FROM idea_supports WHERE idea_id = ? AND user_id = ?`

// DeleteSupport removes the person's support of an idea.
func (s *Store) DeleteSupport(ctx context.Context, id, userID int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteSupportSQL, id, userID).Error; err != nil {
		return fmt.Errorf("idea store: retract %d: %w", id, err)
	}
	return nil
}

// bumpSQL adds to one shard of an idea's counters.
const bumpSQL = `INSERT INTO idea_counts AS k (idea_id, shard, supports, comments) VALUES (?, ?, ?, ?)
	ON CONFLICT (idea_id, shard) DO UPDATE SET supports = k.supports + EXCLUDED.supports, comments = k.comments + EXCLUDED.comments`

// Bump adds to a random shard of the idea's counters, so writers on one idea
// do not queue on one row.
func (s *Store) Bump(ctx context.Context, id int64, supports, comments int) error {
	if err := database.Conn(ctx, s.db).Exec(bumpSQL, id, rand.IntN(shards), supports, comments).Error; err != nil {
		return fmt.Errorf("idea store: counts of %d: %w", id, err)
	}
	return nil
}

// supportCountSQL returns an idea's supports, the sum of its shards.
const supportCountSQL = `SELECT coalesce(sum(supports), 0) FROM idea_counts WHERE idea_id = ?`

// SupportCount returns the idea's supports.
func (s *Store) SupportCount(ctx context.Context, id int64) (int, error) {
	var n int
	if err := database.Conn(ctx, s.db).Raw(supportCountSQL, id).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("idea store: supports of idea %d: %w", id, err)
	}
	return n, nil
}

// moveSupportsSQL copies the supports of idea @b to idea @a (of theme @theme),
// once per person.
const moveSupportsSQL = `INSERT INTO idea_supports (idea_id, user_id, process_id, theme_id, merged_from, created_at)
	SELECT @a, user_id, process_id, @theme, idea_id, created_at FROM idea_supports WHERE idea_id = @b
	ON CONFLICT (idea_id, user_id) DO NOTHING`

// dropSupportsSQL removes every support of an idea.
const dropSupportsSQL = `DELETE FROM idea_supports WHERE idea_id = ?`

// recountSQL sets the support counters of ideas @a and @b from the rows: @b's
// to zero, @a's to its supports, all in shard 0.
const recountSQL = `WITH z AS (UPDATE idea_counts SET supports = 0 WHERE idea_id IN (@a, @b))
	INSERT INTO idea_counts AS k (idea_id, shard, supports)
	SELECT @a, 0, count(*) FROM idea_supports WHERE idea_id = @a
	ON CONFLICT (idea_id, shard) DO UPDATE SET supports = EXCLUDED.supports`

// MergeSupports moves the supports of idea from to idea into (of theme
// themeID), once per person, and sets both ideas' support counters from the
// rows. Both ideas' locks must be held, so no support is in flight.
func (s *Store) MergeSupports(ctx context.Context, from, into, themeID int64) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(moveSupportsSQL, map[string]any{"a": into, "b": from, "theme": themeID}).Error; err != nil {
		return fmt.Errorf("idea store: merge supports: %w", err)
	}
	if err := conn.Exec(dropSupportsSQL, from).Error; err != nil {
		return fmt.Errorf("idea store: merge supports: %w", err)
	}
	if err := conn.Exec(recountSQL, map[string]any{"a": into, "b": from}).Error; err != nil {
		return fmt.Errorf("idea store: merge counts: %w", err)
	}
	return nil
}
