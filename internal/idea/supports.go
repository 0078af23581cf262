package idea

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// SupportState is an idea's supports after a support or retraction, and what
// the supporter has left.
type SupportState struct {
	IdeaID    int64
	ProcessID int64
	Supports  int
	Supported bool
	Remaining *int // nil when the process sets no limit
}

// Mine is a person's supports in a process.
type Mine struct {
	Rules
	Used      int
	Remaining *int
	Ideas     []int64
	Themes    []int64
}

// Support records actor's support of an idea under its process's rules. One
// person's supports are serialised by an advisory lock, so the rules count
// committed supports and hold exactly under concurrency; the idea's lock is
// taken shared (edits and merges take it exclusively). The count goes to a
// random shard of the idea's counter, so supporters of one idea do not queue
// on one row. Supporting again changes nothing.
func (s *Service) Support(ctx context.Context, actor auth.Principal, id int64) (SupportState, error) {
	return s.support(ctx, actor, id, true)
}

// Retract takes actor's support of an idea back while the phase is open.
func (s *Service) Retract(ctx context.Context, actor auth.Principal, id int64) (SupportState, error) {
	return s.support(ctx, actor, id, false)
}

func (s *Service) support(ctx context.Context, actor auth.Principal, id int64, give bool) (SupportState, error) {
	if !actor.Can(auth.PermContribute) {
		return SupportState{}, ErrForbidden
	}
	var st SupportState
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, false)
		if err != nil {
			return err
		}
		if row.Moderation != ModerationPublished {
			return ErrNotFound
		}
		if err := s.requireOpen(ctx, actor, row.ProcessID); err != nil {
			return err
		}
		if err := s.store.LockSupporter(ctx, actor.UserID); err != nil {
			return err
		}
		rules, err := s.store.Rules(ctx, row.ProcessID)
		if err != nil {
			return err
		}
		mine, err := s.mine(ctx, actor.UserID, row.ProcessID, rules)
		if err != nil {
			return err
		}
		has := false
		for _, i := range mine.Ideas {
			has = has || i == id
		}
		if give && !row.Status.open() {
			return ErrNotSupportable
		}
		delta := 0
		switch {
		case give && !has:
			if rules.SupportLimit > 0 && mine.Used >= rules.SupportLimit {
				return ErrSupportLimit.WithMessage("this process allows %d supports per person, and you have used them all; "+
					"withdraw one to support this idea", rules.SupportLimit)
			}
			if rules.OnePerTheme {
				for _, t := range mine.Themes {
					if t == row.ThemeID {
						return ErrThemeLimit
					}
				}
			}
			if err := s.store.InsertSupport(ctx, row, actor.UserID, s.opt.Now().UTC()); err != nil {
				return err
			}
			delta, mine.Used = 1, mine.Used+1
		case !give && has:
			if err := s.store.DeleteSupport(ctx, id, actor.UserID); err != nil {
				return err
			}
			delta = -1
			if row.Status != StatusWithdrawn {
				mine.Used--
			}
		}
		if delta != 0 {
			if err := s.store.Bump(ctx, id, delta, 0); err != nil {
				return err
			}
		}
		st = SupportState{IdeaID: id, ProcessID: row.ProcessID, Supported: give}
		if rules.SupportLimit > 0 {
			left := max(rules.SupportLimit-mine.Used, 0)
			st.Remaining = &left
		}
		st.Supports, err = s.store.SupportCount(ctx, id)
		return err
	})
	if err != nil {
		return SupportState{}, err
	}
	return st, nil
}

// CountComment adds (sign 1) or removes (sign -1) a published comment from an
// idea's counters; the comment engine calls it in its transaction.
func (s *Service) CountComment(ctx context.Context, id int64, sign int) error {
	return s.store.Bump(ctx, id, 0, sign)
}

func (s *Service) mine(ctx context.Context, userID, processID int64, rules Rules) (Mine, error) {
	rows, err := s.store.SupportsOf(ctx, processID, userID)
	if err != nil {
		return Mine{}, err
	}
	m := Mine{Rules: rules, Ideas: []int64{}, Themes: []int64{}}
	themes := map[int64]bool{}
	for _, r := range rows {
		m.Ideas = append(m.Ideas, r.IdeaID)
		if r.Counts {
			m.Used++
			if !themes[r.ThemeID] {
				themes[r.ThemeID] = true
				m.Themes = append(m.Themes, r.ThemeID)
			}
		}
	}
	if rules.SupportLimit > 0 {
		left := max(rules.SupportLimit-m.Used, 0)
		m.Remaining = &left
	}
	return m, nil
}

// MySupports returns actor's supports in a process and what they have left.
func (s *Service) MySupports(ctx context.Context, actor auth.Principal, slug string) (Mine, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Mine{}, err
	}
	rules, err := s.store.Rules(ctx, p.ID)
	if err != nil {
		return Mine{}, err
	}
	return s.mine(ctx, actor.UserID, p.ID, rules)
}
