package moderation

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// heldSQL returns how many items of a process entered the queue per cause.
const heldSQL = `SELECT cause, count(*) AS count FROM moderation_items WHERE process_id = ? GROUP BY cause ORDER BY cause`

// decidedSQL returns how many decisions of a process had each cause, outcome and reason.
const decidedSQL = `SELECT d.cause, d.outcome, d.reason, count(*) AS count FROM moderation_decisions d
		JOIN moderation_items m ON m.id = d.item_id WHERE m.process_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`

// appealsSQL returns how many appeals a process's items had: made, upheld
// (rejected again), overturned and pending.
const appealsSQL = `SELECT count(*) FILTER (WHERE m.appealed_at IS NOT NULL) AS made,
		count(*) FILTER (WHERE a.outcome = 'reject') AS upheld,
		count(*) FILTER (WHERE a.outcome IN ('approve', 'redact')) AS overturned,
		count(*) FILTER (WHERE m.state = 'appealed') AS pending
		FROM moderation_items m LEFT JOIN LATERAL (SELECT outcome FROM moderation_decisions WHERE item_id = m.id AND on_appeal
			AND outcome <> 'escalate' ORDER BY id DESC LIMIT 1) a ON true
		WHERE m.process_id = ?`

// medianSQL returns the median hours of a process's items from entering the
// queue to the first decision that settled them (NULL when none was).
const medianSQL = `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - m.created_at) / 3600)
		FROM moderation_items m JOIN LATERAL (SELECT created_at FROM moderation_decisions WHERE item_id = m.id AND outcome <> 'escalate'
			ORDER BY id LIMIT 1) d ON true WHERE m.process_id = ?`

// Stats returns the public figures of a process's moderation.
func (s *Store) Stats(ctx context.Context, processID int64) (Stats, error) {
	var st Stats
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(heldSQL, processID).Scan(&st.Held).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation store: held: %w", err)
	}
	if err := conn.Raw(decidedSQL, processID).Scan(&st.Decided).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation store: decided: %w", err)
	}
	if err := conn.Raw(appealsSQL, processID).Scan(&st.Appeals).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation store: appeals: %w", err)
	}
	if err := conn.Raw(medianSQL, processID).Scan(&st.MedianHoursToDecision).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation store: median: %w", err)
	}
	return st, nil
}
