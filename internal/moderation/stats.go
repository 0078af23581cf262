package moderation

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"cocreate/internal/auth"
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

// Stats returns the public figures of a process's moderation, to whoever
// may read the process.
func (s *Service) Stats(ctx context.Context, actor auth.Principal, slug string) (Stats, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Stats{}, err
	}
	return s.store.Stats(ctx, p.ID)
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
