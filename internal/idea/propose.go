package idea

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// CreateInput is a new idea.
type CreateInput struct {
	Title        string
	Body         string
	ThemeID      int64
	DocumentID   *int64
	ParagraphKey *string
	Channel      Channel // "" for online
	Contributor  *string
	ReceivedOn   *time.Time // the date a contribution received offline arrived
}

func validateText(f *apperr.Fields, title, body string) (string, string) {
	title = strings.TrimSpace(title)
	switch n := utf8.RuneCountInString(title); {
	case n == 0 || !markdown.HasVisible(title):
		f.Add("title", "required", "give the idea a title")
	case n > MaxTitleChars:
		f.Add("title", "length", fmt.Sprintf("at most %d characters", MaxTitleChars))
	case strings.ContainsAny(title, "\r\n\x00"):
		f.Add("title", "characters", "one line, without control characters")
	}
	body = strings.TrimSpace(body)
	switch n := utf8.RuneCountInString(body); {
	case n == 0 || !markdown.HasVisible(body):
		f.Add("body", "required", "describe the idea")
	case n > MaxBodyChars:
		f.Add("body", "length", fmt.Sprintf("at most %d characters", MaxBodyChars))
	case strings.ContainsRune(body, 0):
		f.Add("body", "characters", "no NUL characters")
	}
	return title, body
}

// checkTheme adds a field error unless theme belongs to the process.
func (s *Service) checkTheme(ctx context.Context, f *apperr.Fields, processID, themeID int64) error {
	ok, err := s.store.ThemeInProcess(ctx, processID, themeID)
	if err != nil {
		return err
	}
	if !ok {
		f.Add("theme_id", "unknown", "choose one of the process's themes")
	}
	return nil
}

// Create stores a new idea in a process whose idea-collection phase is open.
// A process owner may enter a contribution received through another channel on
// someone's behalf.
func (s *Service) Create(ctx context.Context, actor auth.Principal, slug string, in CreateInput) (Idea, error) {
	if !actor.Can(auth.PermContribute) {
		return Idea{}, ErrForbidden
	}
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Idea{}, err
	}
	var f apperr.Fields
	title, body := validateText(&f, in.Title, in.Body)
	if err := s.checkTheme(ctx, &f, p.ID, in.ThemeID); err != nil {
		return Idea{}, err
	}
	pv := contribution.Provenance{Channel: in.Channel, Contributor: in.Contributor, ReceivedOn: in.ReceivedOn}.Check(&f, s.opt.Now())
	// Who may enter on someone's behalf is settled before what they entered.
	if pv.Channel.Offline() {
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage,
			ErrForbidden.WithMessage("only the process's owners enter contributions on someone's behalf")); err != nil {
			return Idea{}, err
		}
	}
	if (in.DocumentID == nil) != (in.ParagraphKey == nil) {
		f.Add("paragraph", "incomplete", "a paragraph needs both its document and its key")
	} else if in.DocumentID != nil {
		s.checkParagraph(ctx, &f, p.ID, *in.DocumentID, *in.ParagraphKey)
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Idea{}, err
	}
	if !s.phaseOpen(p) {
		return Idea{}, ErrPhaseClosed
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Idea{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		mod, sc := ModerationPublished, contribution.Screening{}
		if s.opt.Screen != nil {
			if sc, err = s.opt.Screen(ctx, contribution.Draft{Kind: contribution.KindIdea, ProcessID: p.ID, AuthorID: actor.UserID,
				Title: title, Body: body, OnBehalf: pv.Channel != ChannelOnline}); err != nil {
				return err
			}
			if sc.Held {
				mod = ModerationPending
			}
		}
		var fp *int64
		if sc.Fingerprint != 0 {
			fp = &sc.Fingerprint
		}
		id, err = s.store.Insert(ctx, newIdea{ProcessID: p.ID, ThemeID: in.ThemeID, AuthorID: actor.UserID, Channel: pv.Channel,
			Contributor: pv.Contributor, ReceivedOn: pv.ReceivedOn, Title: title, Body: body, BodyHTML: html, DocumentID: in.DocumentID,
			ParagraphKey: in.ParagraphKey, Moderation: mod, CreatedAt: s.opt.Now().UTC(), SearchConfigs: searchConfigs(p),
			Fingerprint: fp, NearDup: contribution.NearDup(title + "\n" + body)})
		if err != nil {
			return err
		}
		if sc.Record != nil {
			if err := sc.Record(ctx, id); err != nil {
				return err
			}
		}
		return s.opt.Events.Emit(ctx, event.IdeaProposed{ProcessID: p.ID, IdeaID: id, AuthorID: actor.UserID, OnBehalf: pv.Channel != ChannelOnline})
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, id)
}

func (s *Service) checkParagraph(ctx context.Context, f *apperr.Fields, processID, docID int64, key string) {
	// The command line's reading: the caller checked the reader may read the
	// process, and the draft must belong to it.
	d, _, blocks, err := s.docs.Version(ctx, auth.System, docID, 0)
	if err != nil || d.ProcessID != processID {
		f.Add("paragraph", "unknown", "no such draft in this process")
		return
	}
	for _, b := range blocks {
		if b.Key == key {
			return
		}
	}
	f.Add("paragraph", "unknown", "no such paragraph in the draft's latest version")
}

// EditInput replaces an idea's text and theme.
type EditInput struct {
	Title    string
	Body     string
	ThemeID  int64
	Revision int
}

// Edit replaces the text of the actor's own idea while it has no supports and
// no comments and the idea-collection phase is open. The edit passes the
// moderation screen as a new idea does (its posting interval included). A
// held edit of a published idea waits beside the published text until a
// moderator decides it (its theme applies at once); an idea not yet
// published is edited in place and stays held; an edit that changes only the
// theme is not held. An idea a moderator rejected or redacted, or that flags
// hid, refuses the edit (ErrModerated).
func (s *Service) Edit(ctx context.Context, actor auth.Principal, id int64, in EditInput) (Idea, error) {
	if !actor.Can(auth.PermContribute) {
		return Idea{}, ErrForbidden
	}
	var f apperr.Fields
	title, body := validateText(&f, in.Title, in.Body)
	html, err := markdown.Render(body)
	if err != nil {
		return Idea{}, err
	}
	// What usually refuses an edit is checked before the screen counts it
	// against the posting interval; the locked row is checked again below.
	pre, err := s.store.Row(ctx, id)
	if err != nil {
		return Idea{}, err
	}
	if err := editable(actor, pre); err != nil {
		return Idea{}, err
	}
	if err := s.checkTheme(ctx, &f, pre.ProcessID, in.ThemeID); err != nil {
		return Idea{}, err
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Idea{}, err
	}
	if err := s.requireOpen(ctx, actor, pre.ProcessID); err != nil {
		return Idea{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		// The screen locks the idea's moderation item before the idea's own
		// lock: decisions take the item, then the idea.
		sc := contribution.Screening{}
		if s.opt.Screen != nil {
			if sc, err = s.opt.Screen(ctx, contribution.Draft{Kind: contribution.KindIdea, ProcessID: pre.ProcessID, AuthorID: actor.UserID,
				Title: title, Body: body, OnBehalf: pre.Channel.Offline(), Edit: id}); err != nil {
				return err
			}
		}
		row, err := s.lockIdea(ctx, id, true)
		if err != nil {
			return err
		}
		if err := editable(actor, row); err != nil {
			return err
		}
		used, err := s.store.Used(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case used || row.Status != StatusSubmitted:
			return ErrLocked
		case row.Revision != in.Revision:
			return ErrStale
		}
		now := s.opt.Now().UTC()
		e := textEdit{Title: title, Body: body, BodyHTML: html, ThemeID: in.ThemeID, EditedAt: now, Fingerprint: sc.Fingerprint,
			NearDup: contribution.NearDup(title + "\n" + body)}
		switch {
		case row.textIs(title, body):
			return s.store.SetTheme(ctx, id, in.ThemeID, now)
		case sc.Held && row.Moderation == ModerationPublished:
			err = s.store.EditPending(ctx, id, e)
		default:
			err = s.store.Edit(ctx, id, e)
		}
		if err != nil {
			return err
		}
		if sc.Record != nil {
			return sc.Record(ctx, id)
		}
		return nil
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, id)
}

// editable says whether actor may edit the idea of row, as far as its author
// and its moderation go.
func editable(actor auth.Principal, row ideaRow) error {
	switch {
	case row.AuthorID != actor.UserID:
		return ErrForbidden.WithMessage("only the author may edit an idea")
	case row.Moderation == ModerationRejected || row.Moderation == ModerationHidden:
		return ErrModerated
	}
	return nil
}

// textIs reports whether title and body are the idea's text as it will read
// once any waiting edit is decided: the waiting edit's, or the published one.
func (r ideaRow) textIs(title, body string) bool {
	if r.PendingTitle != nil && r.PendingBody != nil {
		return *r.PendingTitle == title && *r.PendingBody == body
	}
	return r.Title == title && r.Body == body
}
