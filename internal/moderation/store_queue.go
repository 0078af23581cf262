package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cocreate/internal/database"
)

// where returns the filter's conditions on m and their arguments; every
// condition is a fixed string, so no input reaches the SQL text.
func (f QueueFilter) where(now time.Time) ([]string, []any) {
	var conds []string
	var args []any
	switch f.Cause {
	case "":
	case CauseAppeal:
		conds = append(conds, "m.state = 'appealed'")
	case CauseEscalated:
		conds = append(conds, "m.state = 'escalated'")
	default:
		conds = append(conds, "m.state = 'open' AND m.cause = ?")
		args = append(args, f.Cause)
	}
	switch f.Target {
	case "comment":
		conds = append(conds, "m.comment_id IS NOT NULL")
	case "idea":
		conds = append(conds, "m.idea_id IS NOT NULL")
	case "agenda_input":
		conds = append(conds, "m.meeting_input_id IS NOT NULL")
	case "survey_text":
		conds = append(conds, "m.survey_text_id IS NOT NULL")
	}
	if f.DocumentID != 0 {
		conds = append(conds, "m.document_id = ?")
		args = append(args, f.DocumentID)
	}
	if f.OlderThan > 0 {
		conds = append(conds, "m.queued_at < ?")
		args = append(args, now.Add(-f.OlderThan))
	}
	return conds, args
}

// states are the item states a moderator (own false) or an owner works on.
func states(own bool) string {
	if own {
		return "('open', 'appealed', 'escalated')"
	}
	return "('open', 'appealed')"
}

// queueCursor is where a queue page starts: after this item.
type queueCursor struct {
	QueuedAt time.Time
	ID       int64
}

// QueuePage returns up to limit items of a process's queue matching f, oldest
// first, after the cursor when there is one; own adds the escalated items.
func (s *Store) QueuePage(ctx context.Context, processID int64, own bool, f QueueFilter, now time.Time, after *queueCursor,
	limit int) ([]Item, error) {
	conds, args := f.where(now)
	base := "m.process_id = ? AND m.state IN " + states(own)
	all := append([]any{processID}, args...)
	if len(conds) > 0 {
		base += " AND " + strings.Join(conds, " AND ")
	}
	q := selectItemSQL + "WHERE " + base
	if after != nil {
		q += " AND (m.queued_at, m.id) > (?, ?)"
		all = append(all, after.QueuedAt, after.ID)
	}
	q += " ORDER BY m.queued_at, m.id LIMIT ?"
	return s.items(ctx, q, append(all, limit)...)
}

// queueCountsSQL returns, for a process, how many items wait under each shown
// cause; the caller appends the states to count.
const queueCountsSQL = `SELECT CASE state WHEN 'appealed' THEN 'appeal' WHEN 'escalated' THEN 'escalated' ELSE cause END AS cause,
		count(*) AS n FROM moderation_items m WHERE m.process_id = ? AND m.state IN `

// QueueCounts returns how many items of a process's queue wait under each
// shown cause; own adds the escalated items.
func (s *Store) QueueCounts(ctx context.Context, processID int64, own bool) (map[Cause]int, error) {
	var counts []struct {
		Cause Cause
		N     int
	}
	if err := database.Conn(ctx, s.db).Raw(queueCountsSQL+states(own)+` GROUP BY 1`, processID).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("moderation store: counts: %w", err)
	}
	out := map[Cause]int{}
	for _, c := range counts {
		out[c.Cause] = c.N
	}
	return out, nil
}

// Claim leases the oldest claimable item of a process matching f to moderator
// until leaseUntil, in one statement, and returns its id, or ErrNotFound. Rows
// another claim is looking at are skipped (FOR UPDATE SKIP LOCKED); an expired
// lease counts as free; an appealed item skips the moderator who decided it.
func (s *Store) Claim(ctx context.Context, processID int64, own bool, f QueueFilter, now, leaseUntil time.Time, moderator int64) (int64, error) {
	conds, args := f.where(now)
	q := `UPDATE moderation_items SET claimed_by = ?, lease_until = ?, version = version + 1
		WHERE id = (SELECT m.id FROM moderation_items m WHERE m.process_id = ? AND m.state IN ` + states(own) + `
			AND (m.lease_until IS NULL OR m.lease_until <= ? OR m.claimed_by = ?) AND m.excluded_moderator IS DISTINCT FROM ?`
	for _, c := range conds {
		q += " AND " + c
	}
	q += ` ORDER BY m.queued_at, m.id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`
	all := append([]any{moderator, leaseUntil, processID, now, moderator, moderator}, args...)
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(q, all...).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("moderation store: claim: %w", err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}
