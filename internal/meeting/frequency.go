package meeting

import (
	"context"
	"time"

	"cocreate/internal/auth"
)

// MaxQuarters bounds how many quarters the frequency lists (the latest).
const MaxQuarters = 40

// Quarter is how many times the forum met in a calendar quarter.
type Quarter struct {
	Year, Quarter int
	Held          int
	Current       bool // the quarter is not over
}

// Frequency is how often the forum met, quarter by quarter from the start of
// the process, against the meetings a quarter its terms of reference set.
type Frequency struct {
	Target   int
	Quarters []Quarter // oldest first
}

// Frequency counts the published forum meetings that have started, by the
// calendar quarter of their date in their own time zone.
func (s *Service) Frequency(ctx context.Context, actor auth.Principal, slug string) (Frequency, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Frequency{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Frequency{}, err
	}
	terms, err := s.forum.TermsOf(ctx, p.ID)
	if err != nil {
		return Frequency{}, err
	}
	now := s.opt.Now().UTC()
	held, err := s.store.HeldForumMeetings(ctx, p.ID, now)
	if err != nil {
		return Frequency{}, err
	}
	first := p.CreatedAt
	if len(p.Phases) > 0 && p.Phases[0].OpensAt.Before(first) {
		first = p.Phases[0].OpensAt
	}
	counts := map[int]int{}
	for _, h := range held {
		local := h.StartsAt.In(Meeting{TimeZone: h.TimeZone}.Location())
		counts[quarterIndex(local)]++
		if h.StartsAt.Before(first) {
			first = h.StartsAt
		}
	}
	from, to := quarterIndex(first.UTC()), quarterIndex(now)
	from = max(from, to-MaxQuarters+1)
	out := Frequency{Target: terms.MeetingsPerQuarter, Quarters: []Quarter{}}
	for q := from; q <= to; q++ {
		out.Quarters = append(out.Quarters, Quarter{Year: q / 4, Quarter: q%4 + 1, Held: counts[q], Current: q == to})
	}
	return out, nil
}

// quarterIndex numbers calendar quarters: year*4 + (quarter - 1).
func quarterIndex(t time.Time) int { return t.Year()*4 + (int(t.Month())-1)/3 }
