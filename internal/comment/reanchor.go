package comment

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/event"
	"cocreate/internal/mail"
)

// Reanchor is the subscriber to event.VersionPublished that runs inside the
// publishing transaction: see reanchor.
func (s *Service) Reanchor(ctx context.Context, ev event.VersionPublished) error {
	if ev.PreviousVersionID == nil {
		s.Forget(ev.DocumentID)
		return nil
	}
	pub, err := s.docs.Publication(ctx, ev)
	if err != nil {
		return err
	}
	return s.reanchor(ctx, pub)
}

// SweepAfterPublish is the subscriber to event.VersionPublished that runs once
// the publication committed: the document's facts are reloaded and comments
// that raced with the publication are re-anchored (reanchorStragglers).
func (s *Service) SweepAfterPublish(ctx context.Context, ev event.VersionPublished) error {
	s.Forget(ev.DocumentID)
	return s.reanchorStragglers(ctx, ev)
}

// reanchor runs inside the transaction that publishes a version: every thread
// attached to the previous version is located in the new one, replies follow
// their root, the paragraph counters are recomputed, and each commenter whose
// paragraph changed gets one e-mail with the changes.
func (s *Service) reanchor(ctx context.Context, ev document.PublishEvent) error {
	defer s.Forget(ev.Document.ID)
	if ev.Previous == nil {
		return nil
	}
	prevText := textByKey(ev.PrevBlks)
	newByKey := make(map[string]document.Aligned, len(ev.Blocks))
	for _, b := range ev.Blocks {
		newByKey[b.Key] = b
	}
	roots, err := s.store.AnchoredRoots(ctx, ev.Document.ID, ev.Previous.ID)
	if err != nil {
		return err
	}
	moves := relocate(ev, prevText, roots)
	changed := map[int64]map[string][]placed{} // author → old keys whose text changed → where their comments went
	for i, r := range roots {
		oldKey, m := *r.AnchorKey, moves[i]
		if nb, ok := newByKey[oldKey]; !ok || nb.Text != prevText[oldKey] || (m.Key != nil && *m.Key != oldKey) {
			if changed[r.AuthorID] == nil {
				changed[r.AuthorID] = map[string][]placed{}
			}
			changed[r.AuthorID][oldKey] = append(changed[r.AuthorID][oldKey], placed{status: document.AnchorStatus(m.Status), key: m.Key})
		}
	}
	if err := s.store.MoveAnchors(ctx, ev.Version.ID, moves); err != nil {
		return err
	}
	// Replies follow their root; threads already orphaned stay so.
	if err := s.store.FollowRoots(ctx, ev.Document.ID); err != nil {
		return err
	}
	if err := s.store.Recount(ctx, ev.Document.ID); err != nil {
		return err
	}
	return s.tellCommenters(ctx, ev, changed, prevText, newByKey)
}

// textByKey maps the paragraph keys of blocks to their text.
func textByKey(blocks []document.Block) map[string]string {
	out := make(map[string]string, len(blocks))
	for _, b := range blocks {
		out[b.Key] = b.Text
	}
	return out
}

// relocate works out where each thread root (roots, attached to ev.Previous)
// sits in ev's new version; it writes nothing, so publishing (reanchor) and
// its preview (Forecast) give the same answer.
func relocate(ev document.PublishEvent, prevText map[string]string, roots []Comment) []anchorMove {
	moves := make([]anchorMove, 0, len(roots))
	for _, r := range roots {
		oldKey := *r.AnchorKey
		a := document.Anchor{Key: oldKey}
		if r.AnchorStart != nil && r.AnchorEnd != nil {
			if q, ok := document.QuoteAt(prevText[oldKey], *r.AnchorStart, *r.AnchorEnd); ok {
				a.Quote = &q
			}
		}
		loc := document.Relocate(a, ev.Blocks)
		status, conf := combine(document.AnchorStatus(r.AnchorStatus), r.AnchorConfidence, loc)
		m := anchorMove{ID: r.ID, Status: string(status), Confidence: conf}
		if status != document.AnchorOrphaned {
			k := loc.Key
			m.Key = &k
			if loc.HasQuote {
				st, en := loc.Start, loc.End
				m.Start, m.End = &st, &en
			}
		}
		moves = append(moves, m)
	}
	return moves
}

// Forecast is how many of a document's visible comments (published, not
// deleted; a reply counts with its thread) publishing a version would leave
// attached exactly, moved, attached to similar words, or orphaned.
type Forecast struct {
	Exact, Moved, Fuzzy, Orphaned int
}

// Forecast runs re-anchoring for pub (a version not yet published, as
// document.Service.Preview gives it) without writing anything.
func (s *Service) Forecast(ctx context.Context, pub document.PublishEvent) (Forecast, error) {
	var out Forecast
	if pub.Previous == nil {
		return out, nil
	}
	threads, err := s.store.AnchoredThreads(ctx, pub.Document.ID, pub.Previous.ID)
	if err != nil {
		return Forecast{}, err
	}
	roots := make([]Comment, len(threads))
	for i, t := range threads {
		roots[i] = t.Comment
	}
	for i, m := range relocate(pub, textByKey(pub.PrevBlks), roots) {
		n := threads[i].Visible
		switch document.AnchorStatus(m.Status) {
		case document.AnchorExact:
			out.Exact += n
		case document.AnchorMoved:
			out.Moved += n
		case document.AnchorFuzzy:
			out.Fuzzy += n
		default:
			out.Orphaned += n
		}
	}
	return out, nil
}

// reanchorStragglers runs after a publication has committed: a comment whose
// statement started before the publication but took the document's lock after
// it was written on the previous version and missed the re-anchoring. Taking
// the lock exclusively again waits for such statements; then they are
// re-anchored like the others.
func (s *Service) reanchorStragglers(ctx context.Context, ev event.VersionPublished) error {
	if ev.PreviousVersionID == nil {
		return nil
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.LockDocument(ctx, ev.DocumentID, false); err != nil {
			return err
		}
		n, err := s.store.Stragglers(ctx, ev.DocumentID, *ev.PreviousVersionID)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		pub, err := s.docs.Publication(ctx, ev)
		if err != nil {
			return err
		}
		if err := s.reanchor(ctx, pub); err != nil {
			return err
		}
		// The stragglers moved between threads after the publication's own
		// change was announced.
		return s.changed(ctx, ev.DocumentID, nil)
	})
}

// combine folds a new location into an anchor's earlier status: confidence
// multiplies across versions, and below the threshold the anchor is orphaned.
func combine(prev document.AnchorStatus, prevConf float64, loc document.Location) (document.AnchorStatus, float64) {
	if loc.Status == document.AnchorOrphaned {
		return document.AnchorOrphaned, 0
	}
	conf := prevConf * loc.Confidence
	switch {
	case conf < document.FuzzyThreshold:
		return document.AnchorOrphaned, 0
	case conf < 1:
		return document.AnchorFuzzy, conf
	case loc.Status == document.AnchorMoved || prev == document.AnchorMoved:
		return document.AnchorMoved, 1
	}
	return document.AnchorExact, 1
}

// placed is where one of an author's comments went in the new version.
type placed struct {
	status document.AnchorStatus
	key    *string // nil when orphaned
}

// tellCommenters e-mails each author whose commented text changed: for every
// paragraph, where it sits (its section and first words, with a link), what
// changed, and truly where each of their comments went.
func (s *Service) tellCommenters(ctx context.Context, ev document.PublishEvent, changed map[int64]map[string][]placed,
	prevText map[string]string, newByKey map[string]document.Aligned) error {
	if len(changed) == 0 {
		return nil
	}
	authors := make([]int64, 0, len(changed))
	for a := range changed {
		authors = append(authors, a)
	}
	rows, err := s.store.Commenters(ctx, authors)
	if err != nil {
		return err
	}
	base := strings.TrimRight(s.opt.PublicURL, "/")
	link := func(key string) string {
		return fmt.Sprintf("%s/documents/%d/v/%d#p-%s", base, ev.Document.ID, ev.Version.Number, key)
	}
	oldPlace, newPlace := placesOf(ev.PrevBlks), placesOfAligned(ev.Blocks)
	for _, u := range rows {
		keys := make([]string, 0, len(changed[u.ID]))
		for k := range changed[u.ID] {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return oldPlace[keys[i]].pos < oldPlace[keys[j]].pos })
		var b strings.Builder
		fmt.Fprintf(&b, "Hello %s,\n\nVersion %d of \"%s\" has been published, and text you commented on changed.\n"+
			"Removed words are shown [-like this-], added words {+like this+}.\n", u.Name, ev.Version.Number, ev.Document.Title)
		for _, k := range keys {
			fmt.Fprintf(&b, "\n%s:\n", oldPlace[k].name)
			if nb, ok := newByKey[k]; !ok {
				fmt.Fprintf(&b, "  removed in this version: %s\n", prevText[k])
			} else {
				b.WriteString("  ")
				for _, op := range document.TextDiff(prevText[k], nb.Text) {
					switch op.Op {
					case "insert":
						b.WriteString("{+" + op.Text + "+}")
					case "delete":
						b.WriteString("[-" + op.Text + "-]")
					default:
						b.WriteString(op.Text)
					}
				}
				b.WriteString("\n")
			}
			for _, p := range changed[u.ID][k] {
				switch {
				case p.key == nil:
					b.WriteString("  Your comment could not be placed in the new text: it is listed with the comments on earlier text of the draft, " +
						fmt.Sprintf("%s/documents/%d\n", base, ev.Document.ID))
				case *p.key != k:
					fmt.Fprintf(&b, "  Your comment moved with the words it quoted, to %s: %s\n", newPlace[*p.key].name, link(*p.key))
				case p.status == document.AnchorFuzzy:
					fmt.Fprintf(&b, "  Your comment stays on this paragraph, whose words changed: check it still fits: %s\n", link(k))
				default:
					fmt.Fprintf(&b, "  Your comment stays on this paragraph: %s\n", link(k))
				}
			}
		}
		uid := u.ID
		if err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &uid, Kind: "paragraph_changed", To: u.Email,
			Subject: fmt.Sprintf("The draft \"%s\" changed where you commented", ev.Document.Title), Body: b.String()}); err != nil {
			return err
		}
	}
	return nil
}

// place names a block for people: its section and its first words.
type place struct {
	pos  int
	name string
}

// placesOf names every block of a version by the heading it sits under and
// its first words, e.g. `The paragraph "The city will publish…" (under "2.1 Open budgets")`.
func placesOf(blocks []document.Block) map[string]place {
	out := make(map[string]place, len(blocks))
	heading := ""
	for i, b := range blocks {
		if b.Kind == document.KindHeading {
			// A heading's text starts with its own number, if it has one.
			heading = firstWords(b.Text, 8)
			out[b.Key] = place{i, fmt.Sprintf("The heading \"%s\"", heading)}
			continue
		}
		name := fmt.Sprintf("The paragraph \"%s\"", firstWords(b.Text, 10))
		if heading != "" {
			name += fmt.Sprintf(" (under \"%s\")", heading)
		}
		out[b.Key] = place{i, name}
	}
	return out
}

func placesOfAligned(blocks []document.Aligned) map[string]place {
	bs := make([]document.Block, len(blocks))
	for i, a := range blocks {
		bs[i] = document.Block{Key: a.Key, Kind: a.Kind, Section: a.Section, Text: a.Text}
	}
	return placesOf(bs)
}

// firstWords returns the first n words of text, with an ellipsis when cut.
func firstWords(text string, n int) string {
	w := strings.Fields(text)
	if len(w) <= n {
		return strings.Join(w, " ")
	}
	return strings.Join(w[:n], " ") + "…"
}
