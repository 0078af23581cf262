package forum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Disposition is what became of the contributions a response answers.
type Disposition string

// The dispositions.
var Dispositions = []Disposition{"adopted", "amended", "merged", "rejected", "out_of_scope", "noted"}

// Limits of a response's text.
const (
	MaxReasoningChars  = 20000
	MaxLedToChars      = 500
	MaxCorrectionChars = 2000
	MaxNoteChars       = 5000
	MaxCovers          = 1000
)

// CoverInput is one thing a response covers: a comment, an idea or a cluster
// by ID, or a draft paragraph by DocumentID and ParagraphKey.
type CoverInput struct {
	Kind         string
	ID           int64
	DocumentID   int64
	ParagraphKey string
}

// ResponseInput drafts or edits a response.
type ResponseInput struct {
	Revision         int // edits only: the revision read
	Disposition      Disposition
	Reasoning        string
	LedTo            string
	Covers           []CoverInput
	Supersedes       *int64
	CorrectionReason *string
}

// Cover is one thing a response covers, for display. A comment's cover
// carries where it sits: its draft and paragraph, or its idea.
type Cover struct {
	Kind         string
	ID           *int64
	IdeaID       *int64 // for a comment on an idea, the idea
	DocumentID   *int64
	ParagraphKey *string
	Label        string
	Count        int
}

// Signature is a signature or dissent on a response.
type Signature struct {
	Kind         string
	MemberRef    string
	Name         *string // drafts only
	Seat         string
	Organisation string
	Note         *string
	SignedAt     *time.Time
}

// Response is a draft or published response.
type Response struct {
	ID               int64       `gorm:"column:id"`
	ProcessID        int64       `gorm:"column:process_id"`
	State            string      `gorm:"column:state"`
	Disposition      Disposition `gorm:"column:disposition"`
	Reasoning        string      `gorm:"column:reasoning"`
	ReasoningHTML    string      `gorm:"column:reasoning_html"`
	LedTo            string      `gorm:"column:led_to"`
	Supersedes       *int64      `gorm:"column:supersedes"`
	CorrectionReason *string     `gorm:"column:correction_reason"`
	Revision         int         `gorm:"column:revision"`
	CreatedAt        time.Time   `gorm:"column:created_at"`
	PublishedAt      *time.Time  `gorm:"column:published_at"`
	LedgerSeq        *int64      `gorm:"column:ledger_seq"`

	Process      string         `gorm:"-"`
	Covers       []Cover        `gorm:"-"`
	Signatures   []Signature    `gorm:"-"`
	SigningRule  Rule           `gorm:"-"`
	MissingSeats []process.Seat `gorm:"-"`
	SupersededBy *int64         `gorm:"-"`
	LedgerHash   string         `gorm:"-"`
	Answered     int            `gorm:"-"`
}

// Published reports whether the response is in the ledger.
func (r Response) Published() bool { return r.State == "published" }

const responseColumns = `id, process_id, state, disposition, reasoning, reasoning_html, led_to, supersedes, correction_reason,
	revision, created_at, published_at, ledger_seq`

func (s *Service) responseRow(ctx context.Context, id int64, forUpdate bool) (Response, error) {
	q := "SELECT " + responseColumns + " FROM responses WHERE id = ?"
	if forUpdate {
		q += " FOR UPDATE"
	}
	var rows []Response
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return Response{}, fmt.Errorf("forum: response: %w", err)
	}
	if len(rows) == 0 {
		return Response{}, ErrResponseNotFound
	}
	return rows[0], nil
}

// validated is a checked ResponseInput.
type validated struct {
	ResponseInput
	html string
}

func (s *Service) validate(ctx context.Context, p process.Process, in ResponseInput, editing bool) (validated, error) {
	var f apperr.Fields
	if !slices.Contains(Dispositions, in.Disposition) {
		f.Add("disposition", "oneof", "adopted, amended, merged, rejected, out_of_scope or noted")
	}
	in.Reasoning = strings.TrimSpace(ledger.Normalize(in.Reasoning))
	switch n := utf8.RuneCountInString(in.Reasoning); {
	case n == 0 || !markdown.HasVisible(in.Reasoning):
		f.Add("reasoning", "required", "explain the response")
	case n > MaxReasoningChars:
		f.Add("reasoning", "length", fmt.Sprintf("at most %d characters", MaxReasoningChars))
	case strings.ContainsRune(in.Reasoning, 0):
		f.Add("reasoning", "characters", "no NUL characters")
	}
	in.LedTo = strings.TrimSpace(ledger.Normalize(in.LedTo))
	if utf8.RuneCountInString(in.LedTo) > MaxLedToChars || strings.ContainsAny(in.LedTo, "\n\x00") {
		f.Add("led_to", "length", fmt.Sprintf("one line of at most %d characters", MaxLedToChars))
	}
	if in.CorrectionReason != nil {
		r := strings.TrimSpace(ledger.Normalize(*in.CorrectionReason))
		in.CorrectionReason = &r
		if r == "" {
			in.CorrectionReason = nil
		} else if utf8.RuneCountInString(r) > MaxCorrectionChars || strings.ContainsRune(r, 0) {
			f.Add("correction_reason", "length", fmt.Sprintf("at most %d characters", MaxCorrectionChars))
		}
	}
	if !editing && in.Supersedes != nil {
		old, err := s.responseRow(ctx, *in.Supersedes, false)
		switch {
		case errors.Is(err, ErrResponseNotFound) || err == nil && (old.ProcessID != p.ID || !old.Published()):
			f.Add("supersedes", "not_found", "not a published response of this process")
		case err != nil:
			return validated{}, err
		}
	}
	if (in.Supersedes != nil) != (in.CorrectionReason != nil) {
		f.Add("correction_reason", "required", "a correction says why, and only a correction has a reason")
	}
	if len(in.Covers) == 0 || len(in.Covers) > MaxCovers {
		f.Add("covers", "count", fmt.Sprintf("between 1 and %d", MaxCovers))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return validated{}, err
	}
	if err := s.checkCovers(ctx, p.ID, in.Covers); err != nil {
		return validated{}, err
	}
	html, err := markdown.Render(in.Reasoning)
	if err != nil {
		return validated{}, fmt.Errorf("forum: reasoning: %w", err)
	}
	return validated{ResponseInput: in, html: html}, nil
}

// checkCovers refuses covers that are not this process's published
// contributions, clusters or draft paragraphs.
func (s *Service) checkCovers(ctx context.Context, processID int64, covers []CoverInput) error {
	var refs []Ref
	var f apperr.Fields
	conn := database.Conn(ctx, s.db)
	for _, c := range covers {
		switch c.Kind {
		case "comment", "idea":
			if c.ID <= 0 {
				f.Add("covers", "id", "a comment or an idea needs its id")
			}
			refs = append(refs, Ref{Kind: Kind(c.Kind), ID: c.ID})
		case "cluster":
			var n int64
			if err := conn.Raw("SELECT count(*) FROM clusters WHERE id = ? AND process_id = ?", c.ID, processID).Scan(&n).Error; err != nil {
				return fmt.Errorf("forum: covers: %w", err)
			}
			if n == 0 {
				f.Add("covers", "not_found", fmt.Sprintf("cluster %d is not a cluster of this process", c.ID))
			}
		case "paragraph":
			var n int64
			err := conn.Raw(`SELECT count(*) FROM documents d JOIN document_versions v ON v.document_id = d.id
				JOIN blocks b ON b.version_id = v.id WHERE d.id = ? AND d.process_id = ? AND b.key = ?`,
				c.DocumentID, processID, c.ParagraphKey).Scan(&n).Error
			if err != nil {
				return fmt.Errorf("forum: covers: %w", err)
			}
			if n == 0 {
				f.Add("covers", "not_found", fmt.Sprintf("paragraph %q is not in a draft of this process", c.ParagraphKey))
			}
		default:
			f.Add("covers", "kind", "comment, idea, cluster or paragraph")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	if len(refs) > 0 {
		if _, err := s.checkRefs(ctx, processID, refs, "covers"); err != nil {
			return err
		}
	}
	return nil
}

// writeCovers replaces a draft's covers.
func (s *Service) writeCovers(ctx context.Context, responseID int64, covers []CoverInput) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec("DELETE FROM response_covers WHERE response_id = ?", responseID).Error; err != nil {
		return fmt.Errorf("forum: covers: %w", err)
	}
	for _, c := range covers {
		var err error
		switch c.Kind {
		case "comment", "idea", "cluster":
			err = conn.Exec("INSERT INTO response_covers (response_id, "+c.Kind+"_id) VALUES (?, ?) ON CONFLICT DO NOTHING", responseID, c.ID).Error
		case "paragraph":
			err = conn.Exec("INSERT INTO response_covers (response_id, document_id, paragraph_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
				responseID, c.DocumentID, c.ParagraphKey).Error
		}
		if err != nil {
			return fmt.Errorf("forum: covers: %w", err)
		}
	}
	return nil
}

// CreateResponse drafts a response; forum members only.
func (s *Service) CreateResponse(ctx context.Context, actor auth.Principal, slug string, in ResponseInput) (Response, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return Response{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		v, err := s.validate(ctx, p, in, false)
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		err = database.Conn(ctx, s.db).Raw(`INSERT INTO responses (process_id, disposition, reasoning, reasoning_html, led_to,
				supersedes, correction_reason, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.ID, v.Disposition, v.Reasoning, v.html, v.LedTo, v.Supersedes, v.CorrectionReason, actor.UserID, now, now).Scan(&id).Error
		if err != nil {
			return fmt.Errorf("forum: draft: %w", err)
		}
		return s.writeCovers(ctx, id, v.Covers)
	})
	if err != nil {
		return Response{}, err
	}
	return s.GetResponse(ctx, actor, id)
}

// lockDraft locks a draft for a member's change: 404 when the actor may not
// see it, 409 when published or when revision is stale, 403 for non-members.
func (s *Service) lockDraft(ctx context.Context, actor auth.Principal, id int64, revision int) (Response, process.Access, error) {
	r, err := s.responseRow(ctx, id, true)
	if err != nil {
		return Response{}, process.Access{}, err
	}
	a, err := s.procs.Access(ctx, actor, r.ProcessID)
	switch {
	case err != nil:
		return Response{}, process.Access{}, err
	case !a.Can(process.Respond) && !r.Published() && !a.Can(process.ReadForumWork):
		return Response{}, process.Access{}, ErrResponseNotFound // drafts are the forum's
	case !a.Can(process.Respond):
		return Response{}, process.Access{}, ErrNotMember
	case r.Published():
		return Response{}, process.Access{}, ErrPublished
	case revision != 0 && revision != r.Revision:
		return Response{}, process.Access{}, ErrStale
	}
	return r, a, nil
}

// EditResponse changes a draft on the revision the member read; it clears
// the draft's signatures and dissents, which were given to the old text.
func (s *Service) EditResponse(ctx context.Context, actor auth.Principal, id int64, in ResponseInput) (Response, error) {
	if in.Revision < 1 {
		return Response{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		r, _, err := s.lockDraft(ctx, actor, id, in.Revision)
		if err != nil {
			return err
		}
		p, err := s.procs.GetByID(ctx, r.ProcessID)
		if err != nil {
			return err
		}
		in.Supersedes = r.Supersedes // what a draft corrects is fixed when it is made
		v, err := s.validate(ctx, p, in, true)
		if err != nil {
			return err
		}
		conn := database.Conn(ctx, s.db)
		err = conn.Exec(`UPDATE responses SET disposition = ?, reasoning = ?, reasoning_html = ?, led_to = ?, correction_reason = ?,
			revision = revision + 1, updated_at = ? WHERE id = ?`,
			v.Disposition, v.Reasoning, v.html, v.LedTo, v.CorrectionReason, s.opt.Now().UTC(), id).Error
		if err != nil {
			return fmt.Errorf("forum: edit: %w", err)
		}
		if err := conn.Exec("DELETE FROM response_signatures WHERE response_id = ?", id).Error; err != nil {
			return fmt.Errorf("forum: edit: %w", err)
		}
		return s.writeCovers(ctx, id, v.Covers)
	})
	if err != nil {
		return Response{}, err
	}
	return s.GetResponse(ctx, actor, id)
}

// DiscardResponse deletes a draft; published responses stay (ErrPublished).
func (s *Service) DiscardResponse(ctx context.Context, actor auth.Principal, id int64) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if _, _, err := s.lockDraft(ctx, actor, id, 0); err != nil {
			return err
		}
		if err := database.Conn(ctx, s.db).Exec("DELETE FROM responses WHERE id = ? AND state = 'draft'", id).Error; err != nil {
			return fmt.Errorf("forum: discard: %w", err)
		}
		return nil
	})
}

// GetResponse returns a response: published ones to anyone, drafts to the
// forum and the process's owners (404 for others).
func (s *Service) GetResponse(ctx context.Context, actor auth.Principal, id int64) (Response, error) {
	r, err := s.responseRow(ctx, id, false)
	if err != nil {
		return Response{}, err
	}
	p, err := s.procs.GetByID(ctx, r.ProcessID)
	if err != nil {
		return Response{}, err
	}
	if !r.Published() {
		if _, err := s.procs.Require(ctx, actor, p.ID, process.ReadForumWork, ErrResponseNotFound); err != nil {
			return Response{}, err
		}
	}
	return s.complete(ctx, p, r)
}

// Drafts lists the forum's drafts, newest first; members and owners.
func (s *Service) Drafts(ctx context.Context, actor auth.Principal, slug string) ([]Response, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.ReadForumWork, ErrNotMember)
	if err != nil {
		return nil, err
	}
	var rows []Response
	if err := database.Conn(ctx, s.db).Raw("SELECT "+responseColumns+" FROM responses WHERE process_id = ? AND state = 'draft' ORDER BY id DESC LIMIT 200", p.ID).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum: drafts: %w", err)
	}
	for i := range rows {
		if rows[i], err = s.complete(ctx, p, rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// complete adds what a response shows beyond its row.
func (s *Service) complete(ctx context.Context, p process.Process, r Response) (Response, error) {
	conn := database.Conn(ctx, s.db)
	r.Process = p.Slug
	settings, err := s.settings(ctx, p.ID)
	if err != nil {
		return Response{}, err
	}
	r.SigningRule = settings.SigningRule
	r.MissingSeats = []process.Seat{}
	if err := s.loadCovers(ctx, p.ID, &r); err != nil {
		return Response{}, err
	}
	if r.Published() {
		var entry []struct {
			Hash   string
			Fields string
		}
		if err := conn.Raw("SELECT hash, fields FROM ledger_entries WHERE process_id = ? AND seq = ?", p.ID, *r.LedgerSeq).
			Scan(&entry).Error; err != nil {
			return Response{}, fmt.Errorf("forum: ledger entry: %w", err)
		}
		if len(entry) == 1 {
			r.LedgerHash = entry[0].Hash
			var f ledger.Fields
			if err := json.Unmarshal([]byte(entry[0].Fields), &f); err != nil {
				return Response{}, fmt.Errorf("forum: ledger entry: %w", err)
			}
			// The ledger records who signed, not when: the response's date is its publication.
			for _, m := range f.Signers {
				r.Signatures = append(r.Signatures, Signature{Kind: "sign", MemberRef: m.Member, Seat: m.Seat, Organisation: m.Organisation})
			}
			for _, m := range f.Dissents {
				note := m.Note
				r.Signatures = append(r.Signatures, Signature{Kind: "dissent", MemberRef: m.Member, Seat: m.Seat, Organisation: m.Organisation, Note: &note})
			}
		}
		var by []int64
		if err := conn.Raw("SELECT id FROM responses WHERE supersedes = ? AND state = 'published' ORDER BY id LIMIT 1", r.ID).Scan(&by).Error; err != nil {
			return Response{}, fmt.Errorf("forum: superseded: %w", err)
		}
		if len(by) == 1 {
			r.SupersededBy = &by[0]
		}
		var n int64
		if err := conn.Raw("SELECT count(*) FROM contribution_answers WHERE response_id = ?", r.ID).Scan(&n).Error; err != nil {
			return Response{}, fmt.Errorf("forum: answered: %w", err)
		}
		r.Answered = int(n)
	} else {
		var sigs []struct {
			Kind         string
			MemberRef    string
			Name         string
			Seat         string
			Organisation string
			Note         *string
			SignedAt     time.Time
		}
		err := conn.Raw(`SELECT s.kind, s.member_ref, coalesce(u.display_name, u.pseudonym) AS name, s.seat, s.organisation, s.note, s.signed_at
			FROM response_signatures s JOIN users u ON u.id = s.user_id WHERE s.response_id = ? ORDER BY s.signed_at`, r.ID).Scan(&sigs).Error
		if err != nil {
			return Response{}, fmt.Errorf("forum: signatures: %w", err)
		}
		for _, g := range sigs {
			name, at := g.Name, g.SignedAt.UTC()
			r.Signatures = append(r.Signatures, Signature{Kind: g.Kind, MemberRef: g.MemberRef, Name: &name, Seat: g.Seat,
				Organisation: g.Organisation, Note: g.Note, SignedAt: &at})
		}
		if _, r.MissingSeats, err = s.ruleMet(ctx, r.ID, settings.SigningRule); err != nil {
			return Response{}, err
		}
		answers, err := s.answers(ctx, p.ID, r.ID)
		if err != nil {
			return Response{}, err
		}
		r.Answered = len(answers)
	}
	if r.Signatures == nil {
		r.Signatures = []Signature{}
	}
	return r, nil
}

// loadCovers reads a response's covers with their labels and counts.
func (s *Service) loadCovers(ctx context.Context, processID int64, r *Response) error {
	var rows []struct {
		CommentID    *int64
		CommentIdea  *int64
		CommentDoc   *int64
		CommentKey   *string
		IdeaID       *int64
		ClusterID    *int64
		DocumentID   *int64
		ParagraphKey *string
		Label        string
		Count        int
	}
	err := database.Conn(ctx, s.db).Raw(`SELECT rc.comment_id, c.idea_id AS comment_idea, c.document_id AS comment_doc, c.anchor_key AS comment_key, rc.idea_id, rc.cluster_id, rc.document_id, rc.paragraph_key,
			coalesce(left(c.body, 120), i.title, cl.title, rc.paragraph_key, '') AS label,
			CASE WHEN rc.cluster_id IS NOT NULL THEN (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = rc.cluster_id)
			     WHEN rc.document_id IS NOT NULL THEN (SELECT count(*) FROM contributions k WHERE k.kind = 'comment'
			          AND k.document_id = rc.document_id AND k.paragraph_key = rc.paragraph_key)
			     ELSE 1 END AS count
		FROM response_covers rc
		LEFT JOIN comments c ON c.id = rc.comment_id
		LEFT JOIN ideas i ON i.id = rc.idea_id
		LEFT JOIN clusters cl ON cl.id = rc.cluster_id
		WHERE rc.response_id = ?
		ORDER BY rc.cluster_id NULLS LAST, rc.idea_id NULLS LAST, rc.comment_id NULLS LAST, rc.document_id, rc.paragraph_key`, r.ID).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("forum: covers: %w", err)
	}
	r.Covers = make([]Cover, 0, len(rows))
	for _, row := range rows {
		c := Cover{Label: row.Label, Count: row.Count}
		switch {
		case row.CommentID != nil:
			c.Kind, c.ID, c.IdeaID, c.DocumentID, c.ParagraphKey = "comment", row.CommentID, row.CommentIdea, row.CommentDoc, row.CommentKey
		case row.IdeaID != nil:
			c.Kind, c.ID = "idea", row.IdeaID
		case row.ClusterID != nil:
			c.Kind, c.ID = "cluster", row.ClusterID
		default:
			c.Kind, c.DocumentID, c.ParagraphKey = "paragraph", row.DocumentID, row.ParagraphKey
		}
		r.Covers = append(r.Covers, c)
	}
	return nil
}
