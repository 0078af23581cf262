package comment

// Writing comments: on a paragraph or a phrase, on an idea, and replies.

import (
	"context"

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

// CreateInput is a new comment on a paragraph or a phrase.
type CreateInput struct {
	Key     string
	Version int
	Body    string
	Quote   *QuoteInput
	// Received, when set, is a comment received offline that a process owner
	// enters on its contributor's behalf: its channel, contributor and date.
	Received *contribution.Provenance
}

// QuoteInput is a phrase: its words and code-point offsets in the paragraph.
type QuoteInput struct {
	Exact      string
	Start, End int
}

// Create stores a comment on the latest published version of a document. A
// process owner may enter a comment received offline on someone's behalf
// (in.Received); it then goes through the same screen and moderation.
func (s *Service) Create(ctx context.Context, actor auth.Principal, docID int64, in CreateInput) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	var f apperr.Fields
	body := validateBody(&f, in.Body)
	pv := contribution.Provenance{Channel: contribution.ChannelOnline}
	if in.Received != nil {
		pv = in.Received.Check(&f, s.opt.Now())
	}
	cur, err := s.currentOf(ctx, docID)
	if err != nil {
		return Comment{}, err
	}
	if err := s.readable(ctx, actor, cur); err != nil {
		return Comment{}, err
	}
	// Who may enter on someone's behalf is settled before what they entered.
	if pv.Channel.Offline() {
		if _, err := s.procs.Require(ctx, actor, cur.doc.ProcessID, process.Manage,
			ErrForbidden.WithMessage("only the process's owners enter contributions on someone's behalf")); err != nil {
			return Comment{}, err
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
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
		Revision: 1, Channel: pv.Channel, Contributor: pv.Contributor, ReceivedOn: pv.ReceivedOn}
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
	if c.Status, sc, err = s.screen(ctx, contribution.Draft{ProcessID: cur.doc.ProcessID, DocumentID: docID, AuthorID: actor.UserID, Body: body,
		OnBehalf: pv.Channel.Offline()}); err != nil {
		return Comment{}, err
	}
	// One statement (Store.InsertOnParagraph) takes the document's lock shared,
	// so the comment is not written on a version being superseded. A comment
	// whose statement began just before a publication and waited for its lock
	// is re-anchored by the sweep that follows every publication
	// (reanchorStragglers).
	var row inserted
	var stored bool
	// A held comment and its place in the moderation queue are stored together.
	insert := func(ctx context.Context) error {
		var err error
		row, stored, err = s.store.InsertOnParagraph(ctx, c, cur.version.Number, s.opt.Now().UTC(), sc.Fingerprint)
		if err != nil || !stored {
			return err
		}
		if err := record(ctx, sc, row.ID); err != nil {
			return err
		}
		return s.events.Emit(ctx, event.CommentPosted{ProcessID: cur.doc.ProcessID, CommentID: row.ID, AuthorID: actor.UserID,
			DocumentID: &docID, Status: string(c.Status), OnBehalf: pv.Channel.Offline()})
	}
	if sc.Record != nil {
		err = database.InTx(ctx, s.db, insert)
	} else {
		err = insert(ctx)
	}
	if err != nil {
		return Comment{}, err
	}
	if !stored {
		s.Forget(docID)
		return Comment{}, ErrSuperseded
	}
	c.ID, c.RootID, c.CreatedAt = row.ID, row.ID, row.CreatedAt
	c.AuthorName, c.AuthorPseudonym = row.AuthorName, row.AuthorPseudonym
	c.VersionNumber, c.AnchorVersionNumber = cur.version.Number, cur.version.Number
	return c, s.changed(ctx, docID, c.AnchorKey)
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
	body, html, err := prepareBody(body)
	if err != nil {
		return Comment{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		processID, err := s.opt.Ideas.Discussable(ctx, actor, ideaID)
		if err != nil {
			return err
		}
		st, sc, err := s.screen(ctx, contribution.Draft{ProcessID: processID, IdeaID: &ideaID, AuthorID: actor.UserID, Body: body})
		if err != nil {
			return err
		}
		if id, err = s.store.InsertOnIdea(ctx, ideaID, actor.UserID, body, html, st, s.opt.Now().UTC(), sc.Fingerprint); err != nil {
			return err
		}
		if err := record(ctx, sc, id); err != nil {
			return err
		}
		if err := s.events.Emit(ctx, event.CommentPosted{ProcessID: processID, CommentID: id, AuthorID: actor.UserID,
			IdeaID: &ideaID, Status: string(st)}); err != nil {
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
	return s.Get(ctx, id)
}

// CreateOnUpdate stores a comment on a published progress update (of a
// public process). Updates keep no comment counters: their page reads the
// thread.
func (s *Service) CreateOnUpdate(ctx context.Context, actor auth.Principal, updateID int64, body string) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	body, html, err := prepareBody(body)
	if err != nil {
		return Comment{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		processID, err := s.store.UpdateProcess(ctx, updateID)
		if err != nil {
			return err
		}
		st, sc, err := s.screen(ctx, contribution.Draft{ProcessID: processID, AuthorID: actor.UserID, Body: body})
		if err != nil {
			return err
		}
		if id, err = s.store.InsertOnUpdate(ctx, updateID, actor.UserID, body, html, st, s.opt.Now().UTC(), sc.Fingerprint); err != nil {
			return err
		}
		return record(ctx, sc, id)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, id)
}

// Reply stores a reply to comment parentID, in the parent's thread.
func (s *Service) Reply(ctx context.Context, actor auth.Principal, parentID int64, body string) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	body, html, err := prepareBody(body)
	if err != nil {
		return Comment{}, err
	}
	t, err := s.store.Target(ctx, parentID)
	if err != nil {
		return Comment{}, err
	}
	var processID int64
	if t.idea == nil && t.update == nil {
		cur, err := s.currentOf(ctx, t.doc)
		if err != nil {
			return Comment{}, err
		}
		if err := s.readable(ctx, actor, cur); err != nil {
			return Comment{}, err
		}
		if !cur.open(s.opt.Now()) {
			return Comment{}, ErrClosed
		}
		processID = cur.doc.ProcessID
	} else if t.idea != nil && s.opt.Ideas == nil {
		return Comment{}, idea.ErrNotFound
	}
	var c Comment
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		switch {
		case t.idea != nil:
			processID, err = s.opt.Ideas.Discussable(ctx, actor, *t.idea)
		case t.update != nil:
			processID, err = s.store.UpdateProcess(ctx, *t.update)
		default:
			err = s.store.LockDocument(ctx, t.doc, true)
		}
		if err != nil {
			return err
		}
		st, sc, err := s.screen(ctx, contribution.Draft{ProcessID: processID, DocumentID: t.doc, IdeaID: t.idea, AuthorID: actor.UserID,
			ParentID: &parentID, Body: body})
		if err != nil {
			return err
		}
		p, err := s.store.Parent(ctx, parentID)
		if err != nil {
			return err
		}
		switch {
		case p.DeletedAt != nil:
			return ErrDeleted
		case p.Status != StatusPublished:
			if err := s.heldFrom(ctx, actor, parentID); err != nil {
				return err
			}
			return ErrNotReplyable
		case p.Depth >= MaxDepth:
			return ErrDepth
		}
		c = Comment{DocumentID: t.doc, IdeaID: t.idea, ProgressUpdateID: t.update, VersionID: p.VersionID, ParagraphKey: p.ParagraphKey, ParentID: &p.ID,
			RootID: p.RootID, Depth: p.Depth + 1, AuthorID: actor.UserID, Body: body, BodyHTML: html, Status: st, Revision: 1,
			AnchorVersionID: p.AnchorVersionID, AnchorKey: p.AnchorKey, AnchorStatus: p.AnchorStatus, AnchorConfidence: p.AnchorConfidence,
			CreatedAt: s.opt.Now().UTC()}
		if err := s.store.InsertReply(ctx, &c, sc.Fingerprint); err != nil {
			return err
		}
		if err := record(ctx, sc, c.ID); err != nil {
			return err
		}
		posted := event.CommentPosted{ProcessID: processID, CommentID: c.ID, AuthorID: actor.UserID, IdeaID: t.idea,
			ParentID: &parentID, Status: string(st)}
		if t.doc != 0 {
			posted.DocumentID = &t.doc
		}
		if err := s.events.Emit(ctx, posted); err != nil {
			return err
		}
		if st == StatusPublished {
			if err := s.countOnTarget(ctx, c, 1); err != nil {
				return err
			}
		}
		return s.changed(ctx, t.doc, c.AnchorKey)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, c.ID)
}
