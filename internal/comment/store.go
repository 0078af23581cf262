package comment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// Store reads and writes comments, their votes and the paragraph counters.
// Its reads are in store_read.go, votes in store_votes.go and re-anchoring in
// store_reanchor.go.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// nullFingerprint stores "no fingerprint" (no screen ran) as NULL.
func nullFingerprint(f int64) *int64 {
	if f == 0 {
		return nil
	}
	return &f
}

// LockDocument takes a document's advisory lock until the transaction in ctx
// ends: shared by comment writes, exclusively by a publication's re-anchoring.
func (s *Store) LockDocument(ctx context.Context, docID int64, shared bool) error {
	q := "SELECT pg_advisory_xact_lock(?, ?)"
	if shared {
		q = "SELECT pg_advisory_xact_lock_shared(?, ?)"
	}
	if err := database.Conn(ctx, s.db).Exec(q, database.LockDocument, int32(docID)).Error; err != nil {
		return fmt.Errorf("comment store: lock document %d: %w", docID, err)
	}
	return nil
}

// lockCommentSQL takes a comment's document lock shared and its own lock exclusively.
const lockCommentSQL = "SELECT pg_advisory_xact_lock_shared(?, ?), pg_advisory_xact_lock(?, ?)"

// LockComment takes the locks that changing a comment's visibility needs: its
// document's shared (against re-anchoring) and its own exclusively (waiting for
// votes in flight, so its counts are final), then reads it for update; a
// missing comment is ErrNotFound.
func (s *Store) LockComment(ctx context.Context, docID, id int64) (Comment, error) {
	if err := database.Conn(ctx, s.db).Exec(lockCommentSQL,
		database.LockDocument, int32(docID), database.LockComment, int32(id)).Error; err != nil {
		return Comment{}, fmt.Errorf("comment store: lock %d: %w", id, err)
	}
	return s.ForUpdate(ctx, id)
}

// ForUpdate returns the comment row (without what reads join to it), locked
// until the transaction in ctx ends, or ErrNotFound.
func (s *Store) ForUpdate(ctx context.Context, id int64) (Comment, error) {
	var c Comment
	if err := database.Conn(ctx, s.db).Raw("SELECT * FROM comments WHERE id = ? FOR UPDATE", id).Scan(&c).Error; err != nil {
		return Comment{}, fmt.Errorf("comment store: load %d for update: %w", id, err)
	}
	if c.ID == 0 {
		return Comment{}, ErrNotFound
	}
	return c, nil
}

// Parent returns the row of the comment a reply answers; a missing one comes
// back as the zero Comment, which no reply rule accepts.
func (s *Store) Parent(ctx context.Context, id int64) (Comment, error) {
	var p Comment
	if err := database.Conn(ctx, s.db).Raw("SELECT * FROM comments WHERE id = ?", id).Scan(&p).Error; err != nil {
		return Comment{}, fmt.Errorf("comment store: parent %d: %w", id, err)
	}
	return p, nil
}

// target is what a comment is on: a document's paragraph (doc), an idea or a
// progress update.
type target struct {
	doc    int64   // 0 for a comment on an idea or an update
	key    *string // the paragraph whose thread holds it; nil when orphaned
	idea   *int64
	update *int64
}

// targetSQL returns what a comment is on: its document (0 for none), its idea and its progress update.
const targetSQL = "SELECT coalesce(document_id, 0) AS document_id, idea_id, progress_update_id, anchor_key FROM comments WHERE id = ?"

// Target returns what a comment is on (which never changes) and the thread
// that holds it now (which a publication may change), or ErrNotFound.
func (s *Store) Target(ctx context.Context, id int64) (target, error) {
	var rows []struct {
		DocumentID       int64
		IdeaID           *int64
		ProgressUpdateID *int64
		AnchorKey        *string
	}
	if err := database.Conn(ctx, s.db).Raw(targetSQL, id).Scan(&rows).Error; err != nil {
		return target{}, fmt.Errorf("comment store: target of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return target{}, ErrNotFound
	}
	return target{doc: rows[0].DocumentID, idea: rows[0].IdeaID, update: rows[0].ProgressUpdateID, key: rows[0].AnchorKey}, nil
}

// standingSQL returns a comment's author, moderation status and process.
const standingSQL = `SELECT c.author_id, c.status, coalesce(d.process_id, i.process_id, u.process_id, 0) AS process_id
		FROM comments c LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
		LEFT JOIN progress_updates u ON u.id = c.progress_update_id WHERE c.id = ?`

// standing is who may see a comment that is not published: its author, and
// those who see held contributions in its process.
type standing struct {
	AuthorID  int64
	Status    Status
	ProcessID int64
}

// Standing returns a comment's author, status and process, or ErrNotFound.
func (s *Store) Standing(ctx context.Context, id int64) (standing, error) {
	var rows []standing
	if err := database.Conn(ctx, s.db).Raw(standingSQL, id).Scan(&rows).Error; err != nil {
		return standing{}, fmt.Errorf("comment store: standing of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return standing{}, ErrNotFound
	}
	return rows[0], nil
}

// updateProcessSQL returns the process of a published progress update of a
// public process, locking the update's row against a change of state (no row
// otherwise).
const updateProcessSQL = `SELECT u.process_id FROM progress_updates u JOIN processes p ON p.id = u.process_id
		WHERE u.id = ? AND u.state = 'published' AND p.published_at IS NOT NULL FOR SHARE OF u`

// UpdateProcess returns the process of a progress update that takes comments
// (published, in a public process), or ErrUpdateNotFound.
func (s *Store) UpdateProcess(ctx context.Context, updateID int64) (int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(updateProcessSQL, updateID).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("comment store: update %d: %w", updateID, err)
	}
	if len(ids) == 0 {
		return 0, ErrUpdateNotFound
	}
	return ids[0], nil
}

// insertSQL is the one statement that stores a new comment on a paragraph: it
// takes the document's lock shared (publishing takes it exclusively), inserts
// unless a version newer than @num is published, counts the comment on its
// paragraph (a random shard of the counter) when it is published, and returns
// the new id and time with the author's public name. No row means a newer
// version was published.
const insertSQL = `WITH l AS (SELECT pg_advisory_xact_lock_shared(@cls, @doc32)),
		n AS (SELECT nextval('comments_id_seq') AS id FROM l),
		c AS (INSERT INTO comments (id, root_id, document_id, version_id, paragraph_key, author_id, body, body_html, status,
			quote_exact, quote_prefix, quote_suffix, quote_start, quote_end,
			anchor_version_id, anchor_key, anchor_status, anchor_start, anchor_end, created_at, fingerprint, near_dup,
			channel, contributor, received_on)
		SELECT n.id, n.id, @doc, @ver, @key, @author, @body, @html, @status, @qe, @qp, @qs, @qa, @qb, @ver, @key, 'exact', @qa, @qb, @now, @fp, @nd,
			@channel, @contributor, CAST(@received AS date)
		FROM n WHERE NOT EXISTS (SELECT 1 FROM document_versions WHERE document_id = @doc AND published_at IS NOT NULL AND number > @num)
		RETURNING id, created_at, status),
		p AS (INSERT INTO paragraph_counts AS pc (document_id, paragraph_key, shard, comments)
			SELECT @doc, @key, @shard, 1 FROM c WHERE c.status = 'published'
			ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET comments = pc.comments + 1)
		SELECT c.id, c.created_at, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym
		FROM c JOIN users u ON u.id = @author`

// inserted is what storing a comment on a paragraph returns.
type inserted struct {
	ID              int64
	CreatedAt       time.Time
	AuthorName      string
	AuthorPseudonym string
}

// InsertOnParagraph stores c, a new comment on the paragraph c.ParagraphKey of
// version c.VersionID (numbered latest), in one statement (insertSQL); ok is
// false when a newer version was published meanwhile and nothing was stored.
func (s *Store) InsertOnParagraph(ctx context.Context, c Comment, latest int, now time.Time, fingerprint int64) (_ inserted, ok bool, _ error) {
	var rows []inserted
	err := database.Conn(ctx, s.db).Raw(insertSQL,
		map[string]any{"cls": database.LockDocument, "doc32": int32(c.DocumentID), "doc": c.DocumentID, "ver": c.VersionID, "key": c.ParagraphKey,
			"author": c.AuthorID, "body": c.Body, "html": c.BodyHTML, "status": c.Status, "qe": c.QuoteExact, "qp": c.QuotePrefix,
			"qs": c.QuoteSuffix, "qa": c.QuoteStart, "qb": c.QuoteEnd, "now": now, "num": latest,
			"shard": rand.IntN(shards), "fp": nullFingerprint(fingerprint), "nd": contribution.NearDup(c.Body),
			"channel": c.Channel, "contributor": c.Contributor, "received": contribution.DateParam(c.ReceivedOn)}).Scan(&rows).Error
	if err != nil {
		return inserted{}, false, fmt.Errorf("comment store: insert: %w", err)
	}
	if len(rows) == 0 {
		return inserted{}, false, nil
	}
	return rows[0], true, nil
}

// insertOnIdeaSQL stores a new comment on an idea, a thread root, and returns its id.
const insertOnIdeaSQL = `INSERT INTO comments (id, root_id, idea_id, author_id, body, body_html, status, created_at, fingerprint, near_dup)
			SELECT n.id, n.id, ?, ?, ?, ?, ?, ?, ?, ? FROM (SELECT nextval('comments_id_seq') AS id) n RETURNING id`

// InsertOnIdea stores a new comment on an idea and returns its id.
func (s *Store) InsertOnIdea(ctx context.Context, ideaID, author int64, body, html string, status Status, now time.Time, fingerprint int64) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertOnIdeaSQL,
		ideaID, author, body, html, status, now, nullFingerprint(fingerprint), contribution.NearDup(body)).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("comment store: insert on idea %d: %w", ideaID, err)
	}
	return id, nil
}

// insertOnUpdateSQL stores a new comment on a progress update, a thread root, and returns its id.
const insertOnUpdateSQL = `INSERT INTO comments (id, root_id, progress_update_id, author_id, body, body_html, status, created_at, fingerprint, near_dup)
			SELECT n.id, n.id, ?, ?, ?, ?, ?, ?, ?, ? FROM (SELECT nextval('comments_id_seq') AS id) n RETURNING id`

// InsertOnUpdate stores a new comment on a progress update and returns its id.
func (s *Store) InsertOnUpdate(ctx context.Context, updateID, author int64, body, html string, status Status, now time.Time, fingerprint int64) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertOnUpdateSQL,
		updateID, author, body, html, status, now, nullFingerprint(fingerprint), contribution.NearDup(body)).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("comment store: insert on update %d: %w", updateID, err)
	}
	return id, nil
}

// InsertReply stores c, a reply on a paragraph's thread, an idea's or a
// progress update's, and sets its id and fingerprint.
func (s *Store) InsertReply(ctx context.Context, c *Comment, fingerprint int64) error {
	cols := []string{"document_id", "version_id", "paragraph_key", "anchor_version_id", "anchor_key", "anchor_status", "anchor_confidence"}
	switch {
	case c.IdeaID != nil:
		cols = []string{"idea_id"}
	case c.ProgressUpdateID != nil:
		cols = []string{"progress_update_id"}
	}
	c.Fingerprint = nullFingerprint(fingerprint)
	cols = append(cols, "parent_id", "root_id", "depth", "author_id", "body", "body_html", "status", "created_at", "fingerprint")
	conn := database.Conn(ctx, s.db)
	if err := conn.Select(cols).Create(c).Error; err != nil {
		return fmt.Errorf("comment store: insert reply: %w", err)
	}
	if err := conn.Exec("UPDATE comments SET near_dup = ? WHERE id = ?", contribution.NearDup(c.Body), c.ID).Error; err != nil {
		return fmt.Errorf("comment store: insert reply: near dup: %w", err)
	}
	return nil
}

// Redact replaces the body of a live comment whatever its edit window, and
// drops any edit waiting beside it, or returns ErrNotFound.
func (s *Store) Redact(ctx context.Context, id int64, body, html string) error {
	res := database.Conn(ctx, s.db).Exec(`UPDATE comments SET body = ?, body_html = ?, revision = revision + 1,
		pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL WHERE id = ? AND deleted_at IS NULL`, body, html, id)
	if res.Error != nil {
		return fmt.Errorf("comment store: redact %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Tombstone empties a comment's text (and a waiting edit's) and marks it deleted at now.
func (s *Store) Tombstone(ctx context.Context, id int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(`UPDATE comments SET body = '', body_html = '', pending_body = NULL, pending_body_html = NULL,
		pending_fingerprint = NULL, deleted_at = ? WHERE id = ?`, now, id).Error; err != nil {
		return fmt.Errorf("comment store: delete %d: %w", id, err)
	}
	return nil
}

// SetStatus moves a comment to status.
func (s *Store) SetStatus(ctx context.Context, id int64, status Status) error {
	if err := database.Conn(ctx, s.db).Exec("UPDATE comments SET status = ? WHERE id = ?", status, id).Error; err != nil {
		return fmt.Errorf("comment store: status of %d: %w", id, err)
	}
	return nil
}

// voteSumsSQL returns a comment's agree and disagree votes, summed over the shards.
const voteSumsSQL = `SELECT coalesce(sum(agree), 0) AS agree, coalesce(sum(disagree), 0) AS disagree
		FROM comment_vote_counts WHERE comment_id = ?`

// VoteSums returns a comment's agree and disagree counts.
func (s *Store) VoteSums(ctx context.Context, id int64) (agree, disagree int, _ error) {
	var sums struct{ Agree, Disagree int }
	if err := database.Conn(ctx, s.db).Raw(voteSumsSQL, id).Scan(&sums).Error; err != nil {
		return 0, 0, fmt.Errorf("comment store: vote sums of %d: %w", id, err)
	}
	return sums.Agree, sums.Disagree, nil
}

// bumpParagraphSQL adds to a shard of a paragraph's counters.
const bumpParagraphSQL = `INSERT INTO paragraph_counts AS pc (document_id, paragraph_key, shard, comments, agree, disagree)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET
		comments = pc.comments + EXCLUDED.comments, agree = pc.agree + EXCLUDED.agree, disagree = pc.disagree + EXCLUDED.disagree`

// BumpParagraph adds comments and votes (negative to remove) to a paragraph's
// counters, on a random shard so writers on one paragraph do not queue on a row.
func (s *Store) BumpParagraph(ctx context.Context, docID int64, key string, comments, agree, disagree int) error {
	if err := database.Conn(ctx, s.db).Exec(bumpParagraphSQL, docID, key, rand.IntN(shards), comments, agree, disagree).Error; err != nil {
		return fmt.Errorf("comment store: paragraph counts: %w", err)
	}
	return nil
}
