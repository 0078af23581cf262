package comment

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Options configure the engine.
type Options struct {
	Now        func() time.Time
	EditWindow time.Duration // how long after posting an author may edit
	// Screen decides whether a new comment is held for moderation (the
	// moderation feature's hook); nil publishes everything.
	Screen contribution.Screen
	// CurrentTTL is how long the latest-version facts of a document are kept
	// in memory (publishing re-checks in SQL, so staleness cannot misfile a comment).
	CurrentTTL time.Duration
	// Ideas says whether an idea takes comments and counts them; nil refuses
	// comments on ideas.
	Ideas *idea.Service
}

// Service holds the rules of comments and votes.
type Service struct {
	db     *gorm.DB
	docs   *document.Service
	procs  *process.Service
	events *event.Bus
	opt    Options

	mu      sync.Mutex
	current map[int64]*current
	loading map[int64]chan struct{} // documents whose facts one goroutine is reloading
}

// NewService returns the engine; writes that change a document's public reads
// emit event.DocumentChanged on events.
func NewService(db *gorm.DB, docs *document.Service, procs *process.Service, events *event.Bus, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.EditWindow == 0 {
		opt.EditWindow = 30 * time.Minute
	}
	if opt.CurrentTTL == 0 {
		opt.CurrentTTL = 5 * time.Second
	}
	return &Service{db: db, docs: docs, procs: procs, events: events, opt: opt, current: map[int64]*current{}, loading: map[int64]chan struct{}{}}
}

// changed tells the subscribers that a document's public reads changed (none
// for a comment on an idea).
func (s *Service) changed(ctx context.Context, docID int64) error {
	if docID == 0 {
		return nil
	}
	return s.events.Emit(ctx, event.DocumentChanged{DocumentID: docID})
}

// current is what a write needs to know about a document's latest version.
type current struct {
	loaded    time.Time
	doc       document.Document
	version   document.Version
	texts     map[string]string // paragraph key → text
	phase     *process.Phase    // the process's public-comment phase, if any
	published bool
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
	d, v, blocks, err := s.docs.Version(ctx, auth.Anonymous, docID, 0)
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
	c := &current{loaded: now, doc: d, version: v, texts: make(map[string]string, len(blocks)), published: true}
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

func validateBody(f *apperr.Fields, body string) string {
	b := strings.TrimSpace(body)
	switch n := utf8.RuneCountInString(b); {
	case n == 0 || !markdown.HasVisible(b):
		f.Add("body", "required", "write something")
	case n > MaxBodyChars:
		f.Add("body", "length", fmt.Sprintf("at most %d characters", MaxBodyChars))
	}
	if strings.ContainsRune(b, 0) {
		f.Add("body", "characters", "no NUL characters")
	}
	return b
}

// screen asks the moderation hook about a new comment: the status it starts
// in, and the screening (whose Record, when set, must run in the transaction
// that stores the comment).
func (s *Service) screen(ctx context.Context, d contribution.Draft) (Status, contribution.Screening, error) {
	if s.opt.Screen == nil {
		return StatusPublished, contribution.Screening{}, nil
	}
	d.Kind = contribution.KindComment
	sc, err := s.opt.Screen(ctx, d)
	if err != nil {
		return "", sc, err
	}
	if sc.Held {
		return StatusPending, sc, nil
	}
	return StatusPublished, sc, nil
}

// record puts a held comment in the moderation queue (in the caller's transaction).
func record(ctx context.Context, sc contribution.Screening, id int64) error {
	if sc.Record == nil {
		return nil
	}
	return sc.Record(ctx, id)
}

// CreateInput is a new comment on a paragraph or a phrase.
type CreateInput struct {
	Key     string
	Version int
	Body    string
	Quote   *QuoteInput
}

// QuoteInput is a phrase: its words and code-point offsets in the paragraph.
type QuoteInput struct {
	Exact      string
	Start, End int
}

func lockDoc(ctx context.Context, db *gorm.DB, docID int64) error {
	return database.Conn(ctx, db).Exec("SELECT pg_advisory_xact_lock_shared(?, ?)", database.LockDocument, int32(docID)).Error
}

// Create stores a comment on the latest published version of a document.
func (s *Service) Create(ctx context.Context, actor auth.Principal, docID int64, in CreateInput) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	var f apperr.Fields
	body := validateBody(&f, in.Body)
	if err := f.Err(CodeInvalid); err != nil {
		return Comment{}, err
	}
	cur, err := s.currentOf(ctx, docID)
	if err != nil {
		return Comment{}, err
	}
	if in.Version < cur.version.Number {
		return Comment{}, ErrSuperseded
	}
	if in.Version > cur.version.Number {
		return Comment{}, document.ErrVersionNotFound
	}
	if !cur.open(s.opt.Now()) {
		return Comment{}, ErrClosed
	}
	text, ok := cur.texts[in.Key]
	if !ok {
		return Comment{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "paragraph_key", Code: "unknown", Message: "no such paragraph in this version"})
	}
	c := Comment{DocumentID: docID, VersionID: cur.version.ID, ParagraphKey: in.Key, AuthorID: actor.UserID, Body: body,
		AnchorVersionID: cur.version.ID, AnchorKey: &in.Key, AnchorStatus: string(document.AnchorExact), AnchorConfidence: 1,
		Revision: 1}
	if in.Quote != nil {
		q, ok := document.QuoteAt(text, in.Quote.Start, in.Quote.End)
		if !ok || q.Exact != in.Quote.Exact {
			return Comment{}, ErrQuoteMismatch
		}
		c.QuoteExact, c.QuotePrefix, c.QuoteSuffix = &q.Exact, &q.Prefix, &q.Suffix
		c.QuoteStart, c.QuoteEnd = &q.Start, &q.End
		c.AnchorStart, c.AnchorEnd = &q.Start, &q.End
	}
	if c.BodyHTML, err = markdown.Render(body); err != nil {
		return Comment{}, err
	}
	var sc contribution.Screening
	if c.Status, sc, err = s.screen(ctx, contribution.Draft{ProcessID: cur.doc.ProcessID, DocumentID: docID, AuthorID: actor.UserID, Body: body}); err != nil {
		return Comment{}, err
	}
	// One statement: take the document's lock shared (publishing takes it
	// exclusively), insert unless a newer version is published, count the
	// comment on its paragraph (a random shard of the counter), and return the
	// author's public name. A comment whose statement began just before a
	// publication and waited for its lock is re-anchored by the sweep that
	// follows every publication (reanchorStragglers).
	var rows []struct {
		ID              int64
		CreatedAt       time.Time
		AuthorName      string
		AuthorPseudonym string
	}
	// A held comment and its place in the moderation queue are stored together.
	insert := func(ctx context.Context) error {
		err := s.insertComment(ctx, &rows, cur, docID, in.Key, actor.UserID, body, c, sc.Fingerprint)
		if err != nil || len(rows) == 0 {
			return err
		}
		return record(ctx, sc, rows[0].ID)
	}
	if sc.Record != nil {
		err = database.InTx(ctx, s.db, insert)
	} else {
		err = insert(ctx)
	}
	if err != nil {
		return Comment{}, err
	}
	if len(rows) == 0 {
		s.Forget(docID)
		return Comment{}, ErrSuperseded
	}
	c.ID, c.RootID, c.CreatedAt = rows[0].ID, rows[0].ID, rows[0].CreatedAt
	c.AuthorName, c.AuthorPseudonym = rows[0].AuthorName, rows[0].AuthorPseudonym
	c.VersionNumber, c.AnchorVersionNumber = cur.version.Number, cur.version.Number
	return c, s.changed(ctx, docID)
}

// insertComment is the one statement that stores a new comment: see Create.
func (s *Service) insertComment(ctx context.Context, rows any, cur *current, docID int64, key string, author int64, body string, c Comment, fingerprint int64) error {
	err := database.Conn(ctx, s.db).Raw(`WITH l AS (SELECT pg_advisory_xact_lock_shared(@cls, @doc32)),
		n AS (SELECT nextval('comments_id_seq') AS id FROM l),
		c AS (INSERT INTO comments (id, root_id, document_id, version_id, paragraph_key, author_id, body, body_html, status,
			quote_exact, quote_prefix, quote_suffix, quote_start, quote_end,
			anchor_version_id, anchor_key, anchor_status, anchor_start, anchor_end, created_at, fingerprint, near_dup)
		SELECT n.id, n.id, @doc, @ver, @key, @author, @body, @html, @status, @qe, @qp, @qs, @qa, @qb, @ver, @key, 'exact', @qa, @qb, @now, @fp, @nd
		FROM n WHERE NOT EXISTS (SELECT 1 FROM document_versions WHERE document_id = @doc AND published_at IS NOT NULL AND number > @num)
		RETURNING id, created_at, status),
		p AS (INSERT INTO paragraph_counts AS pc (document_id, paragraph_key, shard, comments)
			SELECT @doc, @key, @shard, 1 FROM c WHERE c.status = 'published'
			ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET comments = pc.comments + 1)
		SELECT c.id, c.created_at, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym
		FROM c JOIN users u ON u.id = @author`,
		map[string]any{"cls": database.LockDocument, "doc32": int32(docID), "doc": docID, "ver": cur.version.ID, "key": key,
			"author": author, "body": body, "html": c.BodyHTML, "status": c.Status, "qe": c.QuoteExact, "qp": c.QuotePrefix,
			"qs": c.QuoteSuffix, "qa": c.QuoteStart, "qb": c.QuoteEnd, "now": s.opt.Now().UTC(), "num": cur.version.Number,
			"shard": rand.IntN(shards), "fp": nullFingerprint(fingerprint), "nd": contribution.NearDup(body)}).Scan(rows).Error
	if err != nil {
		return fmt.Errorf("comment: insert: %w", err)
	}
	return nil
}

// nullFingerprint stores "no fingerprint" (no screen ran) as NULL.
func nullFingerprint(f int64) *int64 {
	if f == 0 {
		return nil
	}
	return &f
}

// CreateOnIdea stores a comment on an idea that takes comments now (see
// idea.Service.Discussable), and counts it on the idea.
func (s *Service) CreateOnIdea(ctx context.Context, actor auth.Principal, ideaID int64, body string) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	if s.opt.Ideas == nil {
		return Comment{}, idea.ErrNotFound
	}
	var f apperr.Fields
	body = validateBody(&f, body)
	if err := f.Err(CodeInvalid); err != nil {
		return Comment{}, err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Comment{}, err
	}
	var c Comment
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		processID, err := s.opt.Ideas.Discussable(ctx, ideaID)
		if err != nil {
			return err
		}
		st, sc, err := s.screen(ctx, contribution.Draft{ProcessID: processID, IdeaID: &ideaID, AuthorID: actor.UserID, Body: body})
		if err != nil {
			return err
		}
		var id int64
		err = database.Conn(ctx, s.db).Raw(`INSERT INTO comments (id, root_id, idea_id, author_id, body, body_html, status, created_at, fingerprint, near_dup)
			SELECT n.id, n.id, ?, ?, ?, ?, ?, ?, ?, ? FROM (SELECT nextval('comments_id_seq') AS id) n RETURNING id`,
			ideaID, actor.UserID, body, html, st, s.opt.Now().UTC(), nullFingerprint(sc.Fingerprint), contribution.NearDup(body)).Scan(&id).Error
		if err != nil {
			return fmt.Errorf("comment: insert on idea: %w", err)
		}
		c.ID = id
		if err := record(ctx, sc, id); err != nil {
			return err
		}
		if st == StatusPublished {
			return s.opt.Ideas.CountComment(ctx, ideaID, 1)
		}
		return nil
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, c.ID)
}

// Reply stores a reply to comment parentID, in the parent's thread.
func (s *Service) Reply(ctx context.Context, actor auth.Principal, parentID int64, body string) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	var f apperr.Fields
	body = validateBody(&f, body)
	if err := f.Err(CodeInvalid); err != nil {
		return Comment{}, err
	}
	t, err := s.targetOf(ctx, parentID)
	if err != nil {
		return Comment{}, err
	}
	var processID int64
	if t.idea == nil {
		cur, err := s.currentOf(ctx, t.doc)
		if err != nil {
			return Comment{}, err
		}
		if !cur.open(s.opt.Now()) {
			return Comment{}, ErrClosed
		}
		processID = cur.doc.ProcessID
	} else if s.opt.Ideas == nil {
		return Comment{}, idea.ErrNotFound
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Comment{}, err
	}
	var c Comment
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if t.idea != nil {
			processID, err = s.opt.Ideas.Discussable(ctx, *t.idea)
		} else {
			err = lockDoc(ctx, s.db, t.doc)
		}
		if err != nil {
			return err
		}
		st, sc, err := s.screen(ctx, contribution.Draft{ProcessID: processID, DocumentID: t.doc, IdeaID: t.idea, AuthorID: actor.UserID,
			ParentID: &parentID, Body: body})
		if err != nil {
			return err
		}
		var p Comment
		if err := database.Conn(ctx, s.db).Raw("SELECT * FROM comments WHERE id = ?", parentID).Scan(&p).Error; err != nil {
			return fmt.Errorf("comment: parent: %w", err)
		}
		switch {
		case p.DeletedAt != nil:
			return ErrDeleted
		case p.Status != StatusPublished:
			return ErrNotReplyable
		case p.Depth >= MaxDepth:
			return ErrDepth
		}
		c = Comment{DocumentID: t.doc, IdeaID: t.idea, VersionID: p.VersionID, ParagraphKey: p.ParagraphKey, ParentID: &p.ID,
			RootID: p.RootID, Depth: p.Depth + 1, AuthorID: actor.UserID, Body: body, BodyHTML: html, Status: st, Revision: 1,
			AnchorVersionID: p.AnchorVersionID, AnchorKey: p.AnchorKey, AnchorStatus: p.AnchorStatus, AnchorConfidence: p.AnchorConfidence,
			CreatedAt: s.opt.Now().UTC()}
		cols := []string{"document_id", "version_id", "paragraph_key", "anchor_version_id", "anchor_key", "anchor_status", "anchor_confidence"}
		if t.idea != nil {
			cols = []string{"idea_id"}
		}
		c.Fingerprint = nullFingerprint(sc.Fingerprint)
		cols = append(cols, "parent_id", "root_id", "depth", "author_id", "body", "body_html", "status", "created_at", "fingerprint")
		if err := database.Conn(ctx, s.db).Select(cols).Create(&c).Error; err != nil {
			return fmt.Errorf("comment: insert reply: %w", err)
		}
		if err := database.Conn(ctx, s.db).Exec("UPDATE comments SET near_dup = ? WHERE id = ?", contribution.NearDup(body), c.ID).Error; err != nil {
			return fmt.Errorf("comment: insert reply: %w", err)
		}
		if err := record(ctx, sc, c.ID); err != nil {
			return err
		}
		if st == StatusPublished {
			if err := s.countOnTarget(ctx, c, 1); err != nil {
				return err
			}
		}
		return s.changed(ctx, t.doc)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, c.ID)
}

func (s *Service) bumpParagraph(ctx context.Context, docID int64, key string, comments, agree, disagree int) error {
	err := database.Conn(ctx, s.db).Exec(`INSERT INTO paragraph_counts AS pc (document_id, paragraph_key, shard, comments, agree, disagree)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET
		comments = pc.comments + EXCLUDED.comments, agree = pc.agree + EXCLUDED.agree, disagree = pc.disagree + EXCLUDED.disagree`,
		docID, key, rand.IntN(shards), comments, agree, disagree).Error
	if err != nil {
		return fmt.Errorf("comment: paragraph counts: %w", err)
	}
	return nil
}

// target is what a comment is on: a document's paragraph (doc) or an idea.
type target struct {
	doc  int64 // 0 for a comment on an idea
	idea *int64
}

// targetOf returns what a comment is on (which never changes).
func (s *Service) targetOf(ctx context.Context, id int64) (target, error) {
	var rows []struct {
		DocumentID int64
		IdeaID     *int64
	}
	if err := database.Conn(ctx, s.db).Raw("SELECT coalesce(document_id, 0) AS document_id, idea_id FROM comments WHERE id = ?", id).
		Scan(&rows).Error; err != nil {
		return target{}, fmt.Errorf("comment: target of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return target{}, ErrNotFound
	}
	return target{doc: rows[0].DocumentID, idea: rows[0].IdeaID}, nil
}

// Edit replaces the body of the actor's own comment within the edit window;
// revision must be the comment's current one.
func (s *Service) Edit(ctx context.Context, actor auth.Principal, id int64, body string, revision int) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	var f apperr.Fields
	body = validateBody(&f, body)
	if err := f.Err(CodeInvalid); err != nil {
		return Comment{}, err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Comment{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		var c Comment
		err := database.Conn(ctx, s.db).Raw("SELECT * FROM comments WHERE id = ? FOR UPDATE", id).Scan(&c).Error
		if err != nil {
			return fmt.Errorf("comment: edit load: %w", err)
		}
		switch {
		case c.ID == 0:
			return ErrNotFound
		case c.AuthorID != actor.UserID:
			return ErrForbidden
		case c.DeletedAt != nil:
			return ErrDeleted
		case c.Revision != revision:
			return ErrStale
		case s.opt.Now().Sub(c.CreatedAt) > s.opt.EditWindow:
			return ErrEditWindow
		}
		if err := database.Conn(ctx, s.db).Exec(`UPDATE comments SET body = ?, body_html = ?, revision = revision + 1, edited_at = ?, near_dup = ?
			WHERE id = ?`, body, html, s.opt.Now().UTC(), contribution.NearDup(body), id).Error; err != nil {
			return fmt.Errorf("comment: edit: %w", err)
		}
		return s.changed(ctx, c.DocumentID)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, id)
}

// Delete turns the actor's own comment into a tombstone: its text and author
// go, its place in the thread stays so replies remain readable.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, id int64) (int64, error) {
	if !actor.Can(auth.PermContribute) {
		return 0, ErrForbidden
	}
	t, err := s.targetOf(ctx, id)
	if err != nil {
		return 0, err
	}
	return t.doc, database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, err := s.lockComment(ctx, t.doc, id)
		switch {
		case err != nil:
			return err
		case c.AuthorID != actor.UserID:
			return ErrForbidden
		case c.DeletedAt != nil:
			return nil
		}
		if err := database.Conn(ctx, s.db).Exec("UPDATE comments SET body = '', body_html = '', deleted_at = ? WHERE id = ?",
			s.opt.Now().UTC(), id).Error; err != nil {
			return fmt.Errorf("comment: delete: %w", err)
		}
		if c.Status == StatusPublished {
			if err := s.countOnTarget(ctx, c, -1); err != nil {
				return err
			}
		}
		return s.changed(ctx, t.doc)
	})
}
