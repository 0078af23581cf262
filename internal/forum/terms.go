package forum

import (
	"context"
	"fmt"
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

// Limits of the terms of reference and of a declaration.
const (
	MaxRemitChars       = 20000
	MaxQuorumChars      = 5000
	MaxSelectionChars   = 20000
	MaxMemberTermsChars = 5000
	MaxDeclarationChars = 5000
	MaxMeetingsPerQuart = 13
)

// Terms are the forum's terms of reference: its remit, its quorum, how its
// members are selected and rotated, their terms of office (Markdown, with
// the HTML rendered from it), and how many times a quarter it meets.
type Terms struct {
	Remit              string     `gorm:"column:remit"`
	RemitHTML          string     `gorm:"column:remit_html"`
	Quorum             string     `gorm:"column:quorum"`
	QuorumHTML         string     `gorm:"column:quorum_html"`
	Selection          string     `gorm:"column:selection"`
	SelectionHTML      string     `gorm:"column:selection_html"`
	MemberTerms        string     `gorm:"column:member_terms"`
	MemberTermsHTML    string     `gorm:"column:member_terms_html"`
	MeetingsPerQuarter int        `gorm:"column:meetings_per_quarter"`
	UpdatedAt          *time.Time `gorm:"column:updated_at"` // nil until the owners write them
}

// DefaultTerms are a forum's terms until its owners write them: empty, one
// meeting a quarter (the OGP minimum).
var DefaultTerms = Terms{MeetingsPerQuarter: 1}

// TermsInput is what the owners write.
type TermsInput struct {
	Remit, Quorum, Selection, MemberTerms string
	MeetingsPerQuarter                    int
}

// Selection is how a member came to the forum.
type Selection string

// The ways of selection.
const (
	SelectionAppointed Selection = "appointed"
	SelectionElected   Selection = "elected"   // elected by civil society
	SelectionOpenCall  Selection = "open_call" // chosen after an open call
)

// Membership is one membership of the forum, current or past, as the public
// sees it, with the member's latest declaration of interests and the earlier
// ones.
type Membership struct {
	ID           int64         `gorm:"column:id"`
	UserID       int64         `gorm:"column:user_id"`
	MemberRef    *string       `gorm:"column:member_ref"`
	Name         string        `gorm:"column:name"`
	Seat         process.Seat  `gorm:"column:seat"`
	Organisation string        `gorm:"column:organisation"`
	Selection    *Selection    `gorm:"column:selection"`
	TermStart    *time.Time    `gorm:"column:term_start"`
	TermEnd      *time.Time    `gorm:"column:term_end"`
	JoinedAt     time.Time     `gorm:"column:joined_at"`
	LeftAt       *time.Time    `gorm:"column:left_at"`
	Declarations []Declaration `gorm:"-"` // newest first
}

// Current reports whether the membership has not ended.
func (m Membership) Current() bool { return m.LeftAt == nil }

// Declaration is a member's declaration of interests: none, or a text.
type Declaration struct {
	ID           int64     `gorm:"column:id"`
	MembershipID int64     `gorm:"column:membership_id"`
	None         bool      `gorm:"column:none"`
	Body         string    `gorm:"column:body"`
	BodyHTML     string    `gorm:"column:body_html"`
	FiledAt      time.Time `gorm:"column:filed_at"`
}

// Institution is what the forum's page shows of the forum as an institution:
// its terms of reference, its current and past members with their
// declarations, and what the caller is to it.
type Institution struct {
	Process     process.Process
	Terms       Terms
	Memberships []Membership
	// Mine is the caller's current membership, when they have one.
	Mine   *int64
	Manage bool
}

// Institution returns the forum's terms and memberships; public, for a
// process the caller may read.
func (s *Service) Institution(ctx context.Context, actor auth.Principal, slug string) (Institution, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Institution{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Institution{}, err
	}
	if err := s.ensurePseudonyms(ctx, p.ID); err != nil {
		return Institution{}, err
	}
	out := Institution{Process: p}
	if out.Terms, err = s.terms(ctx, p.ID); err != nil {
		return Institution{}, err
	}
	if out.Memberships, err = s.store.Memberships(ctx, p.ID); err != nil {
		return Institution{}, err
	}
	decls, err := s.store.Declarations(ctx, p.ID)
	if err != nil {
		return Institution{}, err
	}
	index := make(map[int64]int, len(out.Memberships))
	for i, m := range out.Memberships {
		index[m.ID] = i
		if m.Current() && actor.Authenticated() && m.UserID == actor.UserID {
			id := m.ID
			out.Mine = &id
		}
	}
	for _, d := range decls {
		i := index[d.MembershipID]
		out.Memberships[i].Declarations = append(out.Memberships[i].Declarations, d)
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Institution{}, err
	}
	out.Manage = a.Can(process.Manage)
	return out, nil
}

// terms returns the process's terms of reference, the defaults until written.
func (s *Service) terms(ctx context.Context, processID int64) (Terms, error) {
	t, found, err := s.store.Terms(ctx, processID)
	if err != nil || !found {
		return DefaultTerms, err
	}
	return t, nil
}

// TermsOf returns the process's terms of reference (for the meetings, which
// count against the target they set).
func (s *Service) TermsOf(ctx context.Context, processID int64) (Terms, error) {
	return s.terms(ctx, processID)
}

// SetTerms writes the forum's terms of reference; owners and administrators.
func (s *Service) SetTerms(ctx context.Context, actor auth.Principal, slug string, in TermsInput) (Institution, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Manage, ErrNotOwner)
	if err != nil {
		return Institution{}, err
	}
	var f apperr.Fields
	t := Terms{MeetingsPerQuarter: in.MeetingsPerQuarter}
	for _, x := range []struct {
		field     string
		src       string
		max       int
		dst, html *string
	}{
		{"remit", in.Remit, MaxRemitChars, &t.Remit, &t.RemitHTML},
		{"quorum", in.Quorum, MaxQuorumChars, &t.Quorum, &t.QuorumHTML},
		{"selection", in.Selection, MaxSelectionChars, &t.Selection, &t.SelectionHTML},
		{"member_terms", in.MemberTerms, MaxMemberTermsChars, &t.MemberTerms, &t.MemberTermsHTML},
	} {
		text := strings.TrimSpace(ledger.Normalize(x.src))
		if utf8.RuneCountInString(text) > x.max || strings.ContainsRune(text, 0) {
			f.Add(x.field, "length", fmt.Sprintf("at most %d characters", x.max))
			continue
		}
		*x.dst = text
		html, err := markdown.Render(text)
		if err != nil {
			return Institution{}, fmt.Errorf("forum: terms: %w", err)
		}
		*x.html = html
	}
	if in.MeetingsPerQuarter < 0 || in.MeetingsPerQuarter > MaxMeetingsPerQuart {
		f.Add("meetings_per_quarter", "range", fmt.Sprintf("between 0 and %d", MaxMeetingsPerQuart))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Institution{}, err
	}
	if err := s.store.SaveTerms(ctx, p.ID, t, actor.UserID, s.opt.Now().UTC()); err != nil {
		return Institution{}, err
	}
	return s.Institution(ctx, actor, slug)
}

// MembershipInput is what the owners record of a membership: how the member
// was selected and their term of office (dates, either may be nil).
type MembershipInput struct {
	Selection          *Selection
	TermStart, TermEnd *time.Time
}

// SetMembership records how a member (current or past) was selected and
// their term; owners and administrators.
func (s *Service) SetMembership(ctx context.Context, actor auth.Principal, slug string, id int64, in MembershipInput) (Institution, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Manage, ErrNotOwner)
	if err != nil {
		return Institution{}, err
	}
	var f apperr.Fields
	if in.Selection != nil {
		switch *in.Selection {
		case SelectionAppointed, SelectionElected, SelectionOpenCall:
		default:
			f.Add("selection", "oneof", "appointed, elected or open_call")
		}
	}
	if in.TermStart != nil && in.TermEnd != nil && in.TermEnd.Before(*in.TermStart) {
		f.Add("term_end", "order", "on or after the start of the term")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Institution{}, err
	}
	found, err := s.store.SaveMembership(ctx, p.ID, id, in)
	if err != nil {
		return Institution{}, err
	}
	if !found {
		return Institution{}, ErrMembershipNotFound
	}
	return s.Institution(ctx, actor, slug)
}

// Declare files the caller's declaration of interests (none, or a text) as a
// new version; only a current member, for themselves.
func (s *Service) Declare(ctx context.Context, actor auth.Principal, slug string, none bool, body string) (Institution, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return Institution{}, err
	}
	body = strings.TrimSpace(ledger.Normalize(body))
	var f apperr.Fields
	switch n := utf8.RuneCountInString(body); {
	case none && n > 0:
		f.Add("body", "none", "either declare no interests or describe them, not both")
	case !none && (n == 0 || !markdown.HasVisible(body)):
		f.Add("body", "required", "describe your interests, or declare none")
	case n > MaxDeclarationChars || strings.ContainsRune(body, 0):
		f.Add("body", "length", fmt.Sprintf("at most %d characters", MaxDeclarationChars))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Institution{}, err
	}
	html := ""
	if !none {
		if html, err = markdown.Render(body); err != nil {
			return Institution{}, fmt.Errorf("forum: declaration: %w", err)
		}
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		id, found, err := s.store.CurrentMembership(ctx, p.ID, actor.UserID)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotMember
		}
		return s.store.InsertDeclaration(ctx, Declaration{MembershipID: id, None: none, Body: body, BodyHTML: html, FiledAt: s.opt.Now().UTC()})
	})
	if err != nil {
		return Institution{}, err
	}
	return s.Institution(ctx, actor, slug)
}

// MembershipsDuring returns the process's memberships that were current at
// some moment between from and to (for a meeting's attendance).
func (s *Service) MembershipsDuring(ctx context.Context, processID int64, from, to time.Time) ([]Membership, error) {
	all, err := s.store.Memberships(ctx, processID)
	if err != nil {
		return nil, err
	}
	var out []Membership
	for _, m := range all {
		if m.JoinedAt.Before(to) && (m.LeftAt == nil || m.LeftAt.After(from)) {
			out = append(out, m)
		}
	}
	return out, nil
}
