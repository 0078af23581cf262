package idea

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Options configure the service.
type Options struct {
	Now func() time.Time
	// Screen decides whether a new idea is held for moderation (the
	// moderation feature's hook); nil publishes everything.
	Screen contribution.Screen
	// PublicURL is the address of the SPA, for links in e-mails.
	PublicURL string
}

// Service holds the rules of ideas and supports.
type Service struct {
	db    *gorm.DB
	procs *process.Service
	docs  *document.Service
	opt   Options
}

// NewService returns the idea service.
func NewService(db *gorm.DB, procs *process.Service, docs *document.Service, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: db, procs: procs, docs: docs, opt: opt}
}

// phaseOpen reports whether the process's idea-collection phase is open now.
func (s *Service) phaseOpen(p process.Process) bool {
	ph := ideaPhase(p)
	return ph != nil && ph.StateAt(s.opt.Now()) == process.PhaseOpen
}

func ideaPhase(p process.Process) *process.Phase {
	for i := range p.Phases {
		if p.Phases[i].Kind == process.PhaseIdeaCollection {
			return &p.Phases[i]
		}
	}
	return nil
}

// searchConfig is the text search configuration of a process's first language:
// its stemmer with accents ignored, or the simple one for other languages.
func searchConfig(p process.Process) string {
	lang := ""
	if len(p.Languages) > 0 {
		lang, _, _ = strings.Cut(strings.ToLower(p.Languages[0]), "-")
	}
	switch lang {
	case "da":
		return "cocreate_danish"
	case "nl":
		return "cocreate_dutch"
	case "en":
		return "cocreate_english"
	case "fi":
		return "cocreate_finnish"
	case "fr":
		return "cocreate_french"
	case "de":
		return "cocreate_german"
	case "hu":
		return "cocreate_hungarian"
	case "it":
		return "cocreate_italian"
	case "no", "nb", "nn":
		return "cocreate_norwegian"
	case "pt":
		return "cocreate_portuguese"
	case "ro":
		return "cocreate_romanian"
	case "ru":
		return "cocreate_russian"
	case "es":
		return "cocreate_spanish"
	case "sv":
		return "cocreate_swedish"
	case "tr":
		return "cocreate_turkish"
	}
	return "cocreate_simple"
}

// CreateInput is a new idea.
type CreateInput struct {
	Title        string
	Body         string
	ThemeID      int64
	DocumentID   *int64
	ParagraphKey *string
	Channel      Channel // "" for online
	Contributor  *string
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
	var n int64
	if err := database.Conn(ctx, s.db).Raw("SELECT count(*) FROM idea_themes WHERE id = ? AND process_id = ?", themeID, processID).
		Scan(&n).Error; err != nil {
		return fmt.Errorf("idea: theme check: %w", err)
	}
	if n == 0 {
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
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Idea{}, err
	}
	var f apperr.Fields
	title, body := validateText(&f, in.Title, in.Body)
	if err := s.checkTheme(ctx, &f, p.ID, in.ThemeID); err != nil {
		return Idea{}, err
	}
	if in.Channel == "" {
		in.Channel = ChannelOnline
	}
	var contributor *string
	switch {
	case !in.Channel.Valid():
		f.Add("channel", "enum", "online, paper, phone, email or workshop")
	case in.Channel == ChannelOnline && in.Contributor != nil:
		f.Add("contributor", "not_allowed", "only contributions entered on someone's behalf name a contributor")
	case in.Contributor != nil:
		c := strings.TrimSpace(*in.Contributor)
		if n := utf8.RuneCountInString(c); n == 0 || n > 80 || !markdown.HasVisible(c) || strings.ContainsAny(c, "\r\n\x00") {
			f.Add("contributor", "length", "1 to 80 characters on one line")
		}
		contributor = &c
	}
	if (in.DocumentID == nil) != (in.ParagraphKey == nil) {
		f.Add("paragraph", "incomplete", "a paragraph needs both its document and its key")
	} else if in.DocumentID != nil {
		s.checkParagraph(ctx, &f, p.ID, *in.DocumentID, *in.ParagraphKey)
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Idea{}, err
	}
	if in.Channel != ChannelOnline {
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage,
			ErrForbidden.WithMessage("only the process's owners enter contributions on someone's behalf")); err != nil {
			return Idea{}, err
		}
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
				Title: title, Body: body}); err != nil {
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
		err := database.Conn(ctx, s.db).Raw(`INSERT INTO ideas (process_id, theme_id, author_id, channel, contributor, title, body, body_html,
			document_id, paragraph_key, moderation, created_at, search_config, fingerprint, near_dup)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::regconfig, ?, ?) RETURNING id`,
			p.ID, in.ThemeID, actor.UserID, in.Channel, contributor, title, body, html, in.DocumentID, in.ParagraphKey, mod,
			s.opt.Now().UTC(), searchConfig(p), fp, contribution.NearDup(title+"\n"+body)).Scan(&id).Error
		if err != nil {
			return fmt.Errorf("idea: insert: %w", err)
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

func (s *Service) checkParagraph(ctx context.Context, f *apperr.Fields, processID, docID int64, key string) {
	d, _, blocks, err := s.docs.Version(ctx, auth.Anonymous, docID, 0)
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

// Get returns an idea as actor may see it: a held or hidden idea only to its
// author, the process's owners and moderators, and administrators.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	return s.get(ctx, actor, id)
}

func (s *Service) get(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	ideas, err := s.query(ctx, actor, selectIdea+fromIdea+" WHERE i.id = @id", map[string]any{"id": id}, nil)
	if err != nil {
		return Idea{}, fmt.Errorf("idea: get %d: %w", id, err)
	}
	if len(ideas) == 0 {
		return Idea{}, ErrNotFound
	}
	i := ideas[0]
	if i.Moderation != ModerationPublished && i.AuthorID != actor.UserID {
		if _, err := s.procs.Require(ctx, actor, i.ProcessID, process.SeeHeld, ErrNotFound); err != nil {
			return Idea{}, err
		}
	}
	return i, nil
}

// lockIdea takes the idea's lock (exclusive or shared) in the transaction of
// ctx and reads the idea's own row.
func (s *Service) lockIdea(ctx context.Context, id int64, exclusive bool) (row ideaRow, err error) {
	fn := "pg_advisory_xact_lock_shared"
	if exclusive {
		fn = "pg_advisory_xact_lock"
	}
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec("SELECT "+fn+"(?, ?)", database.LockIdea, int32(id)).Error; err != nil {
		return ideaRow{}, fmt.Errorf("idea: lock: %w", err)
	}
	if err := conn.Raw(`SELECT id, process_id, theme_id, author_id, status, moderation, revision, title FROM ideas WHERE id = ?`, id).
		Scan(&row).Error; err != nil {
		return ideaRow{}, fmt.Errorf("idea: load %d: %w", id, err)
	}
	if row.ID == 0 {
		return ideaRow{}, ErrNotFound
	}
	return row, nil
}

type ideaRow struct {
	ID         int64
	ProcessID  int64
	ThemeID    int64
	AuthorID   int64
	Status     Status
	Moderation Moderation
	Revision   int
	Title      string
}

// EditInput replaces an idea's text and theme.
type EditInput struct {
	Title    string
	Body     string
	ThemeID  int64
	Revision int
}

// Edit replaces the text of the actor's own idea while it has no supports and
// no comments and the idea-collection phase is open.
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
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, true)
		if err != nil {
			return err
		}
		if row.AuthorID != actor.UserID {
			return ErrForbidden.WithMessage("only the author may edit an idea")
		}
		if err := s.checkTheme(ctx, &f, row.ProcessID, in.ThemeID); err != nil {
			return err
		}
		if err := f.Err(CodeInvalid); err != nil {
			return err
		}
		if err := s.requireOpen(ctx, row.ProcessID); err != nil {
			return err
		}
		var used bool
		if err := database.Conn(ctx, s.db).Raw(`SELECT EXISTS (SELECT 1 FROM idea_supports WHERE idea_id = @id)
			OR EXISTS (SELECT 1 FROM comments WHERE idea_id = @id)`, map[string]any{"id": id}).Scan(&used).Error; err != nil {
			return fmt.Errorf("idea: edit check: %w", err)
		}
		switch {
		case used || row.Status != StatusSubmitted:
			return ErrLocked
		case row.Revision != in.Revision:
			return ErrStale
		}
		return database.Conn(ctx, s.db).Exec(`UPDATE ideas SET title = ?, body = ?, body_html = ?, theme_id = ?,
			revision = revision + 1, edited_at = ?, near_dup = ? WHERE id = ?`, title, body, html, in.ThemeID, s.opt.Now().UTC(),
			contribution.NearDup(title+"\n"+body), id).Error
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, id)
}

func (s *Service) requireOpen(ctx context.Context, processID int64) error {
	p, err := s.procs.GetByID(ctx, processID)
	if err != nil {
		return err
	}
	if !s.phaseOpen(p) {
		return ErrPhaseClosed
	}
	return nil
}

// Withdraw sets the actor's own idea to withdrawn, the one status an author
// sets. Its supports stop counting toward their givers' limits. Withdrawing
// again changes nothing.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	if !actor.Can(auth.PermContribute) {
		return Idea{}, ErrForbidden
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, true)
		switch {
		case err != nil:
			return err
		case row.AuthorID != actor.UserID:
			return ErrForbidden.WithMessage("only the author may withdraw an idea")
		case row.Status == StatusWithdrawn:
			return nil
		case row.Status != StatusSubmitted && row.Status != StatusUnderReview:
			return ErrNotWithdrawable
		}
		return s.setStatus(ctx, id, StatusWithdrawn, nil, nil)
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, id)
}

func (s *Service) setStatus(ctx context.Context, id int64, to Status, mergedInto, responseID *int64) error {
	err := database.Conn(ctx, s.db).Exec(`UPDATE ideas SET status = ?, merged_into = ?, status_response_id = ?, status_changed_at = ?
		WHERE id = ?`, to, mergedInto, responseID, s.opt.Now().UTC(), id).Error
	if err != nil {
		return fmt.Errorf("idea: status: %w", err)
	}
	return nil
}

// SetStatus is the one transition a published reasoned response makes: it sets
// the idea's status and records the response. It runs in the caller's
// transaction when ctx carries one. Withdrawn (the author's) and merged (a
// merge's) cannot be set this way, and neither can a withdrawn or merged idea
// be answered into another status.
func (s *Service) SetStatus(ctx context.Context, id int64, to Status, responseID int64) error {
	switch to {
	case StatusUnderReview, StatusAccepted, StatusAmended, StatusRejected, StatusOutOfScope:
	default:
		return ErrBadTransition
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, true)
		if err != nil {
			return err
		}
		if row.Status == StatusWithdrawn || row.Status == StatusMerged {
			return ErrBadTransition.WithMessage("the idea is %s", row.Status)
		}
		return s.setStatus(ctx, id, to, nil, &responseID)
	})
}

// Discussable reports whether an idea takes new comments now: it is published,
// still open, and its process's idea-collection phase is open. In a
// transaction it holds the idea's lock shared until the end, so an edit or a
// merge waits for the comment.
func (s *Service) Discussable(ctx context.Context, id int64) (processID int64, err error) {
	row, err := s.lockIdea(ctx, id, false)
	if err != nil {
		return 0, err
	}
	if row.Moderation != ModerationPublished || !row.Status.open() {
		return 0, ErrNotSupportable
	}
	return row.ProcessID, s.requireOpen(ctx, row.ProcessID)
}

// SetModeration is moderation's hook: it moves an idea to a moderation state.
func (s *Service) SetModeration(ctx context.Context, id int64, m Moderation) error {
	res := database.Conn(ctx, s.db).Exec("UPDATE ideas SET moderation = ? WHERE id = ?", m, id)
	if res.Error != nil {
		return fmt.Errorf("idea: moderation: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Redact replaces an idea's body, and its title unless title is ""
// (moderation's redaction of personal data).
func (s *Service) Redact(ctx context.Context, id int64, title, body string) error {
	var f apperr.Fields
	keepTitle := title == ""
	if keepTitle {
		title = "x"
	}
	title, body = validateText(&f, title, body)
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return err
	}
	return database.Conn(ctx, s.db).Exec(`UPDATE ideas SET title = CASE WHEN ? THEN title ELSE ? END, body = ?, body_html = ?,
		revision = revision + 1 WHERE id = ?`, keepTitle, title, body, html, id).Error
}
