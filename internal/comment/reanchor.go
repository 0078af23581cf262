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
	conn := database.Conn(ctx, s.db)
	if ev.Previous == nil {
		return nil
	}
	prevText := make(map[string]string, len(ev.PrevBlks))
	for _, b := range ev.PrevBlks {
		prevText[b.Key] = b.Text
	}
	newByKey := make(map[string]document.Aligned, len(ev.Blocks))
	for _, b := range ev.Blocks {
		newByKey[b.Key] = b
	}
	var roots []Comment
	if err := conn.Raw(`SELECT id, author_id, anchor_key, anchor_status, anchor_confidence, anchor_start, anchor_end
		FROM comments WHERE document_id = ? AND depth = 0 AND anchor_version_id = ? AND anchor_status <> 'orphaned' ORDER BY id`,
		ev.Document.ID, ev.Previous.ID).Scan(&roots).Error; err != nil {
		return fmt.Errorf("comment: reanchor load: %w", err)
	}
	n := len(roots)
	ids := make([]int64, 0, n)
	keys := make([]*string, 0, n)
	statuses := make([]string, 0, n)
	confs := make([]float64, 0, n)
	starts := make([]*int, 0, n)
	ends := make([]*int, 0, n)
	changed := map[int64]map[string]bool{} // author → old keys whose text changed
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
		ids = append(ids, r.ID)
		statuses = append(statuses, string(status))
		confs = append(confs, conf)
		if status == document.AnchorOrphaned {
			keys, starts, ends = append(keys, nil), append(starts, nil), append(ends, nil)
		} else {
			k := loc.Key
			keys = append(keys, &k)
			if loc.HasQuote {
				st, en := loc.Start, loc.End
				starts, ends = append(starts, &st), append(ends, &en)
			} else {
				starts, ends = append(starts, nil), append(ends, nil)
			}
		}
		if nb, ok := newByKey[oldKey]; !ok || nb.Text != prevText[oldKey] {
			if changed[r.AuthorID] == nil {
				changed[r.AuthorID] = map[string]bool{}
			}
			changed[r.AuthorID][oldKey] = true
		}
	}
	if n > 0 {
		err := conn.Exec(`UPDATE comments c SET anchor_version_id = ?, anchor_key = u.key, anchor_status = u.status,
			anchor_confidence = u.conf, anchor_start = u.s, anchor_end = u.e
			FROM unnest(?::bigint[], ?::text[], ?::text[], ?::real[], ?::int[], ?::int[]) AS u(id, key, status, conf, s, e)
			WHERE c.id = u.id`, ev.Version.ID, database.Array{Type: "_int8", Values: ids}, database.Array{Type: "_text", Values: keys},
			database.Array{Type: "_text", Values: statuses}, database.Array{Type: "_float8", Values: confs},
			database.Array{Type: "_int4", Values: starts}, database.Array{Type: "_int4", Values: ends}).Error
		if err != nil {
			return fmt.Errorf("comment: reanchor update: %w", err)
		}
	}
	// Replies follow their root; threads already orphaned stay so.
	if err := conn.Exec(`UPDATE comments r SET anchor_version_id = t.anchor_version_id, anchor_key = t.anchor_key,
		anchor_status = t.anchor_status, anchor_confidence = t.anchor_confidence
		FROM comments t WHERE t.id = r.root_id AND r.depth > 0 AND r.document_id = ? AND t.document_id = ?`,
		ev.Document.ID, ev.Document.ID).Error; err != nil {
		return fmt.Errorf("comment: reanchor replies: %w", err)
	}
	if err := s.recount(ctx, ev.Document.ID); err != nil {
		return err
	}
	return s.tellCommenters(ctx, ev, changed, prevText, newByKey)
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
		conn := database.Conn(ctx, s.db)
		if err := conn.Exec("SELECT pg_advisory_xact_lock(?, ?)", database.LockDocument, int32(ev.DocumentID)).Error; err != nil {
			return fmt.Errorf("comment: straggler lock: %w", err)
		}
		var n int64
		if err := conn.Raw("SELECT count(*) FROM comments WHERE document_id = ? AND anchor_version_id = ? AND anchor_status <> 'orphaned'",
			ev.DocumentID, *ev.PreviousVersionID).Scan(&n).Error; err != nil {
			return fmt.Errorf("comment: stragglers: %w", err)
		}
		if n == 0 {
			return nil
		}
		pub, err := s.docs.Publication(ctx, ev)
		if err != nil {
			return err
		}
		return s.reanchor(ctx, pub)
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

// recount rebuilds a document's paragraph counters from the comments and their
// vote counters (after re-anchoring moved threads between paragraphs).
func (s *Service) recount(ctx context.Context, docID int64) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec("DELETE FROM paragraph_counts WHERE document_id = ?", docID).Error; err != nil {
		return fmt.Errorf("comment: recount: %w", err)
	}
	err := conn.Exec(`INSERT INTO paragraph_counts (document_id, paragraph_key, shard, comments, agree, disagree)
		SELECT c.document_id, c.anchor_key, 0, count(*), coalesce(sum(k.agree), 0), coalesce(sum(k.disagree), 0)
		FROM comments c
		LEFT JOIN LATERAL (SELECT sum(agree) AS agree, sum(disagree) AS disagree FROM comment_vote_counts WHERE comment_id = c.id) k ON true
		WHERE c.document_id = ? AND c.anchor_key IS NOT NULL AND c.status = 'published' AND c.deleted_at IS NULL
		GROUP BY c.document_id, c.anchor_key`, docID).Error
	if err != nil {
		return fmt.Errorf("comment: recount: %w", err)
	}
	return nil
}

// tellCommenters queues one e-mail per commenter whose paragraphs changed.
func (s *Service) tellCommenters(ctx context.Context, ev document.PublishEvent, changed map[int64]map[string]bool,
	prevText map[string]string, newByKey map[string]document.Aligned) error {
	if len(changed) == 0 {
		return nil
	}
	authors := make([]int64, 0, len(changed))
	for a := range changed {
		authors = append(authors, a)
	}
	var rows []struct {
		ID    int64
		Email string
		Name  string
	}
	if err := database.Conn(ctx, s.db).Raw(`SELECT id, email, coalesce(display_name, pseudonym) AS name FROM users
		WHERE id = ANY(?) AND email IS NOT NULL`, database.Array{Type: "_int8", Values: authors}).Scan(&rows).Error; err != nil {
		return fmt.Errorf("comment: commenters: %w", err)
	}
	for _, u := range rows {
		keys := make([]string, 0, len(changed[u.ID]))
		for k := range changed[u.ID] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		fmt.Fprintf(&b, "Hello %s,\n\nVersion %d of \"%s\" has been published, and text you commented on changed.\n"+
			"Removed words are shown [-like this-], added words {+like this+}.\n", u.Name, ev.Version.Number, ev.Document.Title)
		for _, k := range keys {
			fmt.Fprintf(&b, "\nParagraph %s:\n", k)
			nb, ok := newByKey[k]
			if !ok {
				fmt.Fprintf(&b, "  removed in this version: %s\n", prevText[k])
				continue
			}
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
		b.WriteString("\nYour comments stay linked to the text you wrote them on.\n")
		uid := u.ID
		if err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &uid, Kind: "paragraph_changed", To: u.Email,
			Subject: fmt.Sprintf("The draft \"%s\" changed where you commented", ev.Document.Title), Body: b.String()}); err != nil {
			return err
		}
	}
	return nil
}
