package moderation

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Stats are a process's public moderation figures: no moderator or author.
type Stats struct {
	Held    []CauseCount
	Decided []DecisionCount
	Appeals struct {
		Made, Upheld, Overturned, Pending int
	}
	MedianHoursToDecision *float64
}

// CauseCount is how many items entered the queue for a cause.
type CauseCount struct {
	Cause Cause
	Count int
}

// DecisionCount is how many decisions had a cause, outcome and reason.
type DecisionCount struct {
	Cause   Cause
	Outcome Outcome
	Reason  *Reason
	Count   int
}

// Stats returns the public figures of a process's moderation.
func (s *Service) Stats(ctx context.Context, slug string) (Stats, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(`SELECT cause, count(*) AS count FROM moderation_items WHERE process_id = ? GROUP BY cause ORDER BY cause`, p.ID).
		Scan(&st.Held).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation: held: %w", err)
	}
	if err := conn.Raw(`SELECT d.cause, d.outcome, d.reason, count(*) AS count FROM moderation_decisions d
		JOIN moderation_items m ON m.id = d.item_id WHERE m.process_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, p.ID).
		Scan(&st.Decided).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation: decided: %w", err)
	}
	if err := conn.Raw(`SELECT count(*) FILTER (WHERE m.appealed_at IS NOT NULL) AS made,
		count(*) FILTER (WHERE a.outcome = 'reject') AS upheld,
		count(*) FILTER (WHERE a.outcome IN ('approve', 'redact')) AS overturned,
		count(*) FILTER (WHERE m.state = 'appealed') AS pending
		FROM moderation_items m LEFT JOIN LATERAL (SELECT outcome FROM moderation_decisions WHERE item_id = m.id AND on_appeal
			AND outcome <> 'escalate' ORDER BY id DESC LIMIT 1) a ON true
		WHERE m.process_id = ?`, p.ID).Scan(&st.Appeals).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation: appeals: %w", err)
	}
	// Time from entering the queue to the first decision that settled it.
	if err := conn.Raw(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - m.created_at) / 3600)
		FROM moderation_items m JOIN LATERAL (SELECT created_at FROM moderation_decisions WHERE item_id = m.id AND outcome <> 'escalate'
			ORDER BY id LIMIT 1) d ON true WHERE m.process_id = ?`, p.ID).Scan(&st.MedianHoursToDecision).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation: median: %w", err)
	}
	return st, nil
}

// WriteStatsCSV writes the figures as CSV rows: section, cause, outcome,
// reason, count (and the median as its own row).
func WriteStatsCSV(w io.Writer, st Stats) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"section", "cause", "outcome", "reason", "count"}}
	for _, h := range st.Held {
		rows = append(rows, []string{"held", string(h.Cause), "", "", strconv.Itoa(h.Count)})
	}
	for _, d := range st.Decided {
		reason := ""
		if d.Reason != nil {
			reason = string(*d.Reason)
		}
		rows = append(rows, []string{"decided", string(d.Cause), string(d.Outcome), reason, strconv.Itoa(d.Count)})
	}
	a := st.Appeals
	rows = append(rows, []string{"appeals", "appeal", "made", "", strconv.Itoa(a.Made)},
		[]string{"appeals", "appeal", "upheld", "", strconv.Itoa(a.Upheld)},
		[]string{"appeals", "appeal", "overturned", "", strconv.Itoa(a.Overturned)},
		[]string{"appeals", "appeal", "pending", "", strconv.Itoa(a.Pending)})
	median := ""
	if st.MedianHoursToDecision != nil {
		median = strconv.FormatFloat(*st.MedianHoursToDecision, 'f', 2, 64)
	}
	rows = append(rows, []string{"median_hours_to_decision", "", "", "", median})
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// Mine is one of the author's contributions in moderation, as they see it.
type Mine struct {
	Item
	Reason            *Reason
	ReasonDescription *string
	Explanation       *string
	Outcome           *Outcome
	AppealableUntil   *time.Time
	Appealed          bool
}

// MyItems returns actor's contributions that moderation held or decided, newest first.
func (s *Service) MyItems(ctx context.Context, actor auth.Principal) ([]Mine, error) {
	return s.mine(ctx, actor, "true")
}

// mine returns actor's items matching cond (a fixed condition on m).
func (s *Service) mine(ctx context.Context, actor auth.Principal, cond string, args ...any) ([]Mine, error) {
	items, err := s.items(ctx, selectItem+"WHERE m.author_id = ? AND "+cond+" ORDER BY m.id DESC LIMIT 100",
		append([]any{actor.UserID}, args...)...)
	if err != nil {
		return nil, err
	}
	out := make([]Mine, len(items))
	now := s.opt.Now()
	for n, it := range items {
		out[n] = Mine{Item: it, Appealed: it.AppealedAt != nil}
		d := it.LastDecision
		if d == nil || d.Outcome == OutcomeEscalate {
			continue
		}
		out[n].Outcome, out[n].Reason = &d.Outcome, d.Reason
		if d.Explanation != "" {
			out[n].Explanation = &d.Explanation
		}
		if d.Reason != nil {
			st, err := s.settingsOf(ctx, it.ProcessID)
			if err != nil {
				return nil, err
			}
			desc := describe(st, *d.Reason)
			out[n].ReasonDescription = &desc
		}
		if d.Outcome == OutcomeReject && it.State == stateDecided && it.AppealedAt == nil {
			until := d.CreatedAt.Add(AppealWindow)
			if now.Before(until) {
				out[n].AppealableUntil = &until
			}
		}
	}
	return out, nil
}
