package ledger

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"

	"cocreate/internal/markdown"
)

// Rendered is what an entry's fields read as: the Markdown they record
// rendered and sanitised (markdown.Render), for display beside the fields as
// hashed, which stay as they are. Kind says which members are set: a
// response's ReasoningHTML and Covers (the covers it records, to resolve), a
// progress update's ProgressHTML, DelayReasonsHTML and NextStepsHTML; a rule
// change has no text.
type Rendered struct {
	Kind             Kind
	ReasoningHTML    string
	Covers           []string
	ProgressHTML     string
	DelayReasonsHTML string
	NextStepsHTML    string
}

// Render renders the Markdown of entry e's fields.
func Render(e Entry) (Rendered, error) {
	kind, err := KindOf(e.Fields)
	if err != nil {
		return Rendered{}, err
	}
	out := Rendered{Kind: kind}
	switch kind {
	case KindResponse:
		var f Fields
		if err := json.Unmarshal(e.Fields, &f); err != nil {
			return Rendered{}, fmt.Errorf("ledger: entry %d: %w", e.Seq, err)
		}
		out.Covers = f.Covers
		out.ReasoningHTML, err = markdown.Render(f.Reasoning)
	case KindProgressUpdate:
		var u ProgressUpdate
		if err := json.Unmarshal(e.Fields, &u); err != nil {
			return Rendered{}, fmt.Errorf("ledger: entry %d: %w", e.Seq, err)
		}
		if out.ProgressHTML, err = markdown.Render(u.Progress); err == nil {
			if out.DelayReasonsHTML, err = markdown.Render(u.DelayReasons); err == nil {
				out.NextStepsHTML, err = markdown.Render(u.NextSteps)
			}
		}
	}
	if err != nil {
		return Rendered{}, fmt.Errorf("ledger: entry %d: %w", e.Seq, err)
	}
	return out, nil
}

// renderCache keeps entries rendered by the digest of their fields: what
// renders is the fields alone, so a rendering never goes stale. It is bounded
// and emptied whole when full.
type renderCache struct {
	mu  sync.Mutex
	max int
	m   map[[sha256.Size]byte]Rendered
}

// Render is Render(e), rendered once per text on this instance (rendering a
// page of long entries costs milliseconds on every read of the list).
func (s *Service) Render(e Entry) (Rendered, error) {
	c := &s.rendered
	key := sha256.Sum256(e.Fields)
	c.mu.Lock()
	r, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := Render(e)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[[sha256.Size]byte]Rendered{}
	}
	c.m[key] = r
	c.mu.Unlock()
	return r, nil
}
