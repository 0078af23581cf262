package forum

import (
	"context"
	"math"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/neardup"
	"cocreate/internal/process"
)

// Suggestion is a group of near-duplicate contributions not yet clustered.
type Suggestion struct {
	Members      []Summary
	Similarity   float64 // the lowest similarity of a member to the first
	ClusterID    *int64  // the existing cluster the group meets, if any
	ClusterTitle *string
}

// Suggestions finds groups of near-duplicates among the process's published
// contributions: members of existing clusters take part (so newcomers are
// suggested for their cluster), dismissed ones do not. Members and owners.
func (s *Service) Suggestions(ctx context.Context, actor auth.Principal, slug string) ([]Suggestion, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.ReadForumWork, ErrNotMember)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Candidates(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	sigs := make([][]int32, len(rows))
	for i, r := range rows {
		sigs[i] = r.Sig
	}
	var out []Suggestion
	for _, g := range neardup.Groups(sigs, neardup.Threshold) {
		var fresh []Ref
		var cluster *int64
		for _, i := range g {
			if rows[i].ClusterID != nil {
				if cluster == nil {
					cluster = rows[i].ClusterID
				}
				continue
			}
			fresh = append(fresh, rows[i].Ref)
		}
		if len(fresh) == 0 || cluster == nil && len(fresh) < 2 {
			continue
		}
		sim := 1.0
		first := sigs[g[0]]
		for _, i := range g[1:] {
			sim = math.Min(sim, neardup.Similarity(first, sigs[i]))
		}
		sms, err := s.summaries(ctx, p.ID, fresh)
		if err != nil {
			return nil, err
		}
		sg := Suggestion{Members: sms, Similarity: sim, ClusterID: cluster}
		if cluster != nil {
			c, err := s.store.Cluster(ctx, *cluster)
			if err != nil {
				return nil, err
			}
			sg.ClusterTitle = &c.Title
		}
		out = append(out, sg)
		if len(out) == 50 {
			break
		}
	}
	return out, nil
}

// Dismiss records that these contributions are not a cluster: they are not
// suggested again. Forum members only.
func (s *Service) Dismiss(ctx context.Context, actor auth.Principal, slug string, refs []Ref) error {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, p.ID, refs, "members")
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		for _, sm := range sms {
			if err := s.store.InsertDismissal(ctx, p.ID, sm.Ref(), actor.UserID, now); err != nil {
				return err
			}
		}
		return nil
	})
}
