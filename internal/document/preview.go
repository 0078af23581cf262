package document

// The preview of an unpublished version: its blocks as readers will see them,
// what changed from the version published before it, and what re-anchoring
// will be given when it is published. Nothing is written.

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// ChangeCounts counts a new version's paragraphs by how they relate to the
// version published before it (a deleted one is in the old version only).
type ChangeCounts struct {
	New, Edited, Moved, Same, Deleted int
}

// Preview is what publishing an unpublished version would show and change.
type Preview struct {
	Document Document
	Process  process.Process
	Version  Version
	Blocks   []Block
	Previous *Version        // the latest published version; nil for a first version
	Diff     []ParagraphDiff // from Previous, in the new version's order; nil for a first version
	Changes  ChangeCounts
	// Publication is what re-anchoring would be given if the version were
	// published now: the same facts Publication loads after publishing.
	Publication PublishEvent
}

// Preview returns the preview of unpublished version number of a document to
// those who manage its process. To everyone else a draft does not exist, as
// Version has it (and so a document of an unpublished process shows nothing).
func (s *Service) Preview(ctx context.Context, actor auth.Principal, docID int64, number int) (Preview, error) {
	d, p, err := s.load(ctx, actor, docID)
	if err != nil {
		return Preview{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrVersionNotFound); err != nil {
		return Preview{}, err
	}
	v, err := s.store.VersionByNumber(ctx, docID, number)
	if err != nil {
		return Preview{}, err
	}
	if v.Published() {
		return Preview{}, ErrAlreadyPublic
	}
	blocks, err := s.store.Blocks(ctx, v.ID)
	if err != nil {
		return Preview{}, err
	}
	prev, prevBlocks, err := s.latestPublished(ctx, docID)
	if err != nil {
		return Preview{}, err
	}
	if prev != nil && prev.Number > v.Number {
		return Preview{}, ErrNotLatestDraft
	}
	out := Preview{Document: d, Process: p, Version: v, Blocks: blocks, Previous: prev,
		Publication: PublishEvent{Document: d, Previous: prev, PrevBlks: prevBlocks, Version: v, Blocks: alignedOf(blocks)}}
	if prev == nil {
		out.Changes.New = len(blocks)
		return out, nil
	}
	out.Diff = DiffBlocks(prevBlocks, blocks)
	for _, pd := range out.Diff {
		switch pd.Change {
		case "new":
			out.Changes.New++
		case "edited":
			out.Changes.Edited++
		case "moved":
			out.Changes.Moved++
		case "same":
			out.Changes.Same++
		case "deleted":
			out.Changes.Deleted++
		}
	}
	return out, nil
}
