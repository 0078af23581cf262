package report

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// Analytics are the live participation figures the team follows while a
// process runs: the report's figures for the whole process, and activity per
// day and new and returning participants per week. Nothing is stored for
// them: they are read from the contributions, votes and supports, and every
// count that could identify people is a Cell (fewer than 5 is suppressed).
type Analytics struct {
	Report       Report          `json:"report"`
	Daily        []DayCount      `json:"daily"`
	Participants []WeekReturning `json:"participants_by_week"`
}

// DayCount is one UTC day's published contributions and the accounts that made them online.
type DayCount struct {
	Day           string `json:"day"` // YYYY-MM-DD
	Contributions Cell   `json:"contributions"`
	People        Cell   `json:"people"`
}

// WeekReturning is how many accounts took part in an ISO week for the first
// time in the process, and how many had taken part in an earlier week.
type WeekReturning struct {
	Week      string `json:"week"` // the Monday, YYYY-MM-DD
	New       Cell   `json:"new"`
	Returning Cell   `json:"returning"`
}

// dailySQL returns the process's published contributions per UTC day, with
// the accounts that made them online.
const dailySQL = `SELECT to_char((k.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS n,
		count(DISTINCT k.author_id) FILTER (WHERE coalesce(c.channel, i.channel) = 'online') AS people
	FROM contributions k
	LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
	LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
	WHERE k.process_id = @p GROUP BY 1 ORDER BY 1`

// returningSQL returns, per ISO week, the accounts that took part online
// (a published comment or idea, a vote or a support) for the first time,
// and those that had taken part in an earlier week.
const returningSQL = `WITH acts AS (
		SELECT k.author_id AS who, date_trunc('week', k.created_at AT TIME ZONE 'UTC') AS week FROM contributions k
			LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
			LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
			WHERE k.process_id = @p AND coalesce(c.channel, i.channel) = 'online'
		UNION
		SELECT v.user_id, date_trunc('week', v.voted_at AT TIME ZONE 'UTC') FROM comment_votes v
			JOIN contributions k ON k.kind = 'comment' AND k.id = v.comment_id WHERE k.process_id = @p
		UNION
		SELECT s.user_id, date_trunc('week', s.created_at AT TIME ZONE 'UTC') FROM idea_supports s
			JOIN contributions k ON k.kind = 'idea' AND k.id = s.idea_id WHERE s.process_id = @p),
	first AS (SELECT who, min(week) AS first FROM acts GROUP BY who)
	SELECT to_char(a.week, 'YYYY-MM-DD') AS week, count(*) FILTER (WHERE a.week = f.first) AS new,
		count(*) FILTER (WHERE a.week > f.first) AS returning
	FROM acts a JOIN first f USING (who) GROUP BY a.week ORDER BY a.week`

// Analytics computes the live figures of the process with slug, in one
// snapshot, for its owners, moderators and forum members (and
// administrators); others get ErrNotAnalyst, or process.ErrNotFound while the
// process is not public.
func (s *Service) Analytics(ctx context.Context, actor auth.Principal, slug string) (Analytics, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Analytics{}, err
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Analytics{}, err
	}
	switch {
	case a.Can(process.Manage) || a.Can(process.Moderate) || a.Can(process.ReadForumWork):
	case !p.Public():
		return Analytics{}, process.ErrNotFound
	default:
		return Analytics{}, ErrNotAnalyst
	}
	out := Analytics{Daily: []DayCount{}, Participants: []WeekReturning{}}
	whole, err := s.check(ctx, p, Input{})
	if err != nil {
		return Analytics{}, err
	}
	out.Report, err = s.generateWith(ctx, p, whole, nil, func(ctx context.Context, args map[string]any) error {
		var days []struct {
			Day    string
			N      int
			People int
		}
		if err := s.figures.scan(ctx, "daily", dailySQL, args, &days); err != nil {
			return err
		}
		for _, d := range days {
			out.Daily = append(out.Daily, DayCount{Day: d.Day, Contributions: Count(d.N), People: Count(d.People)})
		}
		var weeks []struct {
			Week           string
			New, Returning int
		}
		if err := s.figures.scan(ctx, "returning", returningSQL, args, &weeks); err != nil {
			return err
		}
		for _, w := range weeks {
			out.Participants = append(out.Participants, WeekReturning{Week: w.Week, New: Count(w.New), Returning: Count(w.Returning)})
		}
		return nil
	})
	if err != nil {
		return Analytics{}, err
	}
	return out, nil
}
