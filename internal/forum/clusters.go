package forum

import (
	"context"
	"errors"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/neardup"
	"cocreate/internal/process"
)

// Cluster is a group of contributions answered together.
type Cluster struct {
	ID             int64     `gorm:"column:id"`
	ProcessID      int64     `gorm:"column:process_id"`
	Process        string    `gorm:"column:process"` // its slug
	Title          string    `gorm:"column:title"`
	Origin         string    `gorm:"column:origin"`
	CreatedAt      time.Time `gorm:"column:created_at"`
	ResponseID     *int64    `gorm:"column:response_id"`
	Representative *Summary  `gorm:"-"`
	Size           int       `gorm:"-"`
	Members        []Summary `gorm:"-"`
}

// ClusterInput creates a cluster.
type ClusterInput struct {
	Title   string
	Origin  string // manual (default) or suggested
	Members []Ref
}

// CreateCluster groups contributions into a new cluster; forum members only.
func (s *Service) CreateCluster(ctx context.Context, actor auth.Principal, slug string, in ClusterInput) (Cluster, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return Cluster{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	var f apperr.Fields
	if n := len([]rune(in.Title)); n < 1 || n > 200 {
		f.Add("title", "length", "between 1 and 200 characters")
	}
	if in.Origin == "" {
		in.Origin = "manual"
	}
	if in.Origin != "manual" && in.Origin != "suggested" {
		f.Add("origin", "oneof", "manual or suggested")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Cluster{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, p.ID, in.Members, "members")
		if err != nil {
			return err
		}
		if id, err = s.store.InsertCluster(ctx, p.ID, in.Title, in.Origin, actor.UserID, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.addMembers(ctx, actor, id, sms)
	})
	if err != nil {
		return Cluster{}, err
	}
	return s.cluster(ctx, id)
}

// AddMembers adds contributions to a cluster; forum members only. When a
// published response answers the cluster, it answers them too.
func (s *Service) AddMembers(ctx context.Context, actor auth.Principal, clusterID int64, refs []Ref) (Cluster, error) {
	c, err := s.store.Cluster(ctx, clusterID)
	if err != nil {
		return Cluster{}, err
	}
	if _, err := s.procs.Require(ctx, actor, c.ProcessID, process.Respond, ErrNotMember); err != nil {
		return Cluster{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, c.ProcessID, refs, "members")
		if err != nil {
			return err
		}
		if err := s.addMembers(ctx, actor, clusterID, sms); err != nil {
			return err
		}
		return s.events.Emit(ctx, event.ClusterChanged{ProcessID: c.ProcessID, ClusterID: clusterID})
	})
	if err != nil {
		return Cluster{}, err
	}
	return s.cluster(ctx, clusterID)
}

// addMembers puts sms into the cluster; a contribution already in a
// cluster (or clustered meanwhile) is refused.
func (s *Service) addMembers(ctx context.Context, actor auth.Principal, clusterID int64, sms []Summary) error {
	now := s.opt.Now().UTC()
	for _, sm := range sms {
		if sm.ClusterID != nil {
			return ErrAlreadyClustered.WithMessage("%s is already in cluster %d", sm.Ref(), *sm.ClusterID)
		}
		added, err := s.store.InsertMember(ctx, clusterID, sm.Ref(), actor.UserID, now)
		if err != nil {
			return err
		}
		if !added { // clustered meanwhile
			return ErrAlreadyClustered.WithMessage("%s is already in a cluster", sm.Ref())
		}
	}
	// The responses that already answer the cluster answer the newcomers.
	return s.store.AnswerClusterMembers(ctx, clusterID, now)
}

// Cluster returns a cluster with its published members and a
// representative, when actor may read its process (ErrClusterNotFound
// otherwise).
func (s *Service) Cluster(ctx context.Context, actor auth.Principal, id int64) (Cluster, error) {
	c, err := s.store.Cluster(ctx, id)
	if err != nil {
		return Cluster{}, err
	}
	if err := s.procs.ReadableID(ctx, actor, c.ProcessID); errors.Is(err, process.ErrNotFound) {
		return Cluster{}, ErrClusterNotFound
	} else if err != nil {
		return Cluster{}, err
	}
	return s.cluster(ctx, id)
}

// cluster returns a cluster with its published members and a representative.
func (s *Service) cluster(ctx context.Context, id int64) (Cluster, error) {
	c, err := s.store.Cluster(ctx, id)
	if err != nil {
		return Cluster{}, err
	}
	if c.Members, err = s.store.ClusterMembers(ctx, id); err != nil {
		return Cluster{}, err
	}
	c.Size = len(c.Members)
	if err := s.pickRepresentative(ctx, &c); err != nil {
		return Cluster{}, err
	}
	return c, nil
}

// pickRepresentative chooses the member whose signature is closest to the
// others' (the oldest among equals); the oldest when no signatures exist.
func (s *Service) pickRepresentative(ctx context.Context, c *Cluster) error {
	if len(c.Members) == 0 {
		return nil
	}
	sigs, err := s.signatures(ctx, c.Members)
	if err != nil {
		return err
	}
	best, bestScore := 0, -1.0
	sample := c.Members
	if len(sample) > 200 {
		sample = sample[:200] // enough to find the centre of a campaign
	}
	for i, a := range sample {
		score := 0.0
		for _, b := range sample {
			score += neardup.Similarity(sigs[a.Ref()], sigs[b.Ref()])
		}
		if score > bestScore+1e-9 {
			best, bestScore = i, score
		}
	}
	rep := c.Members[best]
	c.Representative = &rep
	return nil
}

// signatures reads the near-duplicate signatures of contributions.
func (s *Service) signatures(ctx context.Context, sms []Summary) (map[Ref][]int32, error) {
	refs := make([]Ref, len(sms))
	for i, sm := range sms {
		refs[i] = sm.Ref()
	}
	return s.store.NearDups(ctx, refs)
}

// Clusters lists a process's clusters, newest first, with size and
// representative, to whoever may read the process.
func (s *Service) Clusters(ctx context.Context, actor auth.Principal, slug string) ([]Cluster, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.ClusterIDs(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Cluster, 0, len(ids))
	for _, id := range ids {
		c, err := s.cluster(ctx, id)
		if err != nil {
			return nil, err
		}
		c.Members = nil
		out = append(out, c)
	}
	return out, nil
}
