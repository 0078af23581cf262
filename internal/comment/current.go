package comment

// The latest-version facts of a document that every comment write checks,
// kept in memory for a few seconds.

import (
	"context"
	"errors"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/document"
	"cocreate/internal/process"
)

// current is what a write needs to know about a document's latest version.
type current struct {
	loaded    time.Time
	doc       document.Document
	version   document.Version
	texts     map[string]string // paragraph key → text
	phase     *process.Phase    // the process's public-comment phase, if any
	published bool
	// public says the document's process is published; when it is not, only
	// those who may read the process may write (see readable).
	public bool
}

// readable returns nil when actor may write on the document of c: anyone
// when its process is public (no query), its owners and administrators
// otherwise (document.ErrNotFound for everyone else).
func (s *Service) readable(ctx context.Context, actor auth.Principal, c *current) error {
	if c.public {
		return nil
	}
	_, err := s.docs.Check(ctx, actor, c.doc.ID)
	return err
}

// currentOf returns the latest published version facts of a document, from
// memory when fresh. One goroutine reloads stale facts while the others keep
// using the stale copy (or wait for the first load), so an expiry under load
// costs one query, not one per request.
func (s *Service) currentOf(ctx context.Context, docID int64) (*current, error) {
	now := s.opt.Now()
	s.mu.Lock()
	c := s.current[docID]
	fresh := c != nil && now.Sub(c.loaded) < s.opt.CurrentTTL && now.Sub(c.loaded) >= 0
	if fresh {
		s.mu.Unlock()
		return c, nil
	}
	if wait, busy := s.loading[docID]; busy {
		s.mu.Unlock()
		if c != nil {
			return c, nil
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return s.currentOf(ctx, docID)
	}
	done := make(chan struct{})
	s.loading[docID] = done
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.loading, docID)
		s.mu.Unlock()
		close(done)
	}()
	c, err := s.loadCurrent(ctx, docID, now)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.current[docID] = c
	s.mu.Unlock()
	return c, nil
}

func (s *Service) loadCurrent(ctx context.Context, docID int64, now time.Time) (*current, error) {
	// The command line's reading: the facts are shared by every writer, so
	// who may write is checked per write (readable), not here.
	d, v, blocks, err := s.docs.Version(ctx, auth.System, docID, 0)
	if errors.Is(err, document.ErrNoPublished) {
		return nil, ErrClosed.WithMessage("this draft has no published version to comment on")
	}
	if err != nil {
		return nil, err
	}
	p, err := s.procs.GetByID(ctx, d.ProcessID)
	if err != nil {
		return nil, err
	}
	c := &current{loaded: now, doc: d, version: v, texts: make(map[string]string, len(blocks)), published: true, public: p.Public()}
	for _, b := range blocks {
		c.texts[b.Key] = b.Text
	}
	for i := range p.Phases {
		if p.Phases[i].Kind == process.PhasePublicComment {
			ph := p.Phases[i]
			c.phase = &ph
		}
	}
	return c, nil
}

// Forget drops the cached facts of a document (after a publication).
func (s *Service) Forget(docID int64) {
	s.mu.Lock()
	delete(s.current, docID)
	s.mu.Unlock()
}

// open reports whether comments are open on the version at t: its own window
// when it has one, else the process's public-comment phase.
func (c *current) open(t time.Time) bool {
	v := c.version
	if v.OpensAt != nil || v.ClosesAt != nil {
		return (v.OpensAt == nil || !t.Before(*v.OpensAt)) && (v.ClosesAt == nil || t.Before(*v.ClosesAt))
	}
	return c.phase != nil && c.phase.StateAt(t) == process.PhaseOpen
}

// Commenting reports whether comments can be written on the latest version of
// a document now.
func (s *Service) Commenting(ctx context.Context, docID int64) (bool, error) {
	c, err := s.currentOf(ctx, docID)
	if errors.Is(err, ErrClosed) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return c.open(s.opt.Now()), nil
}
