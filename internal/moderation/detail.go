package moderation

import (
	"context"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// Detail is an item with what a moderator needs to decide it.
type Detail struct {
	Item
	Context      string
	FlagList     []Flag
	Decisions    []Decision
	OriginalBody *string
	History      History
}

// Flag is one person's report, as moderators see it (without who).
type Flag struct {
	Reason    Reason
	Note      string
	Weight    float64
	CreatedAt time.Time
}

// History is the author's record in the process.
type History struct {
	Approved, Rejected int
	Recent             []Recent `gorm:"-"`
}

// Recent is one of the author's recent contributions.
type Recent struct {
	Type      string
	ID        int64
	Excerpt   string
	Status    string
	CreatedAt time.Time
}

// Detail returns an item in context for the process's moderators.
func (s *Service) Detail(ctx context.Context, actor auth.Principal, id int64) (Detail, error) {
	it, err := s.store.Item(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if _, err := s.procs.Require(ctx, actor, it.ProcessID, process.Moderate, ErrForbidden); err != nil {
		return Detail{}, err
	}
	d := Detail{Item: it}
	if d.Context, err = s.store.Context(ctx, it); err != nil {
		return Detail{}, err
	}
	if d.FlagList, err = s.store.FlagsOf(ctx, it); err != nil {
		return Detail{}, err
	}
	if d.Decisions, err = s.store.DecisionsOf(ctx, id); err != nil {
		return Detail{}, err
	}
	if d.OriginalBody, err = s.store.OriginalBody(ctx, id); err != nil {
		return Detail{}, err
	}
	d.History, err = s.store.History(ctx, it.AuthorID, it.ProcessID)
	return d, err
}
