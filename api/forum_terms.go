// The forum as an institution: its terms of reference, its members current
// and past with how they were selected and their terms, and their
// declarations of interests.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/forum"
	"cocreate/internal/process"
)

type declarationJSON struct {
	None     bool      `json:"none"`
	Body     string    `json:"body"`
	BodyHTML string    `json:"body_html"`
	FiledAt  time.Time `json:"filed_at"`
}

type membershipJSON struct {
	ID                  int64             `json:"id"`
	MemberRef           *string           `json:"member_ref"`
	Name                string            `json:"name"`
	Seat                process.Seat      `json:"seat"`
	Organisation        string            `json:"organisation"`
	Selection           *forum.Selection  `json:"selection"`
	TermStart           *string           `json:"term_start"`
	TermEnd             *string           `json:"term_end"`
	JoinedAt            time.Time         `json:"joined_at"`
	LeftAt              *time.Time        `json:"left_at"`
	Declaration         *declarationJSON  `json:"declaration"`
	EarlierDeclarations []declarationJSON `json:"earlier_declarations"`
}

type forumTermsJSON struct {
	Process            string           `json:"process"`
	Remit              string           `json:"remit"`
	RemitHTML          string           `json:"remit_html"`
	Quorum             string           `json:"quorum"`
	QuorumHTML         string           `json:"quorum_html"`
	Selection          string           `json:"selection"`
	SelectionHTML      string           `json:"selection_html"`
	MemberTerms        string           `json:"member_terms"`
	MemberTermsHTML    string           `json:"member_terms_html"`
	MeetingsPerQuarter int              `json:"meetings_per_quarter"`
	UpdatedAt          *time.Time       `json:"updated_at"`
	Members            []membershipJSON `json:"members"`
	PastMembers        []membershipJSON `json:"past_members"`
	Viewer             struct {
		MembershipID *int64 `json:"membership_id"`
		Manage       bool   `json:"manage"`
	} `json:"viewer"`
}

// timeDateJSON is the calendar date of t as the API writes it.
func timeDateJSON(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func toForumTermsJSON(in forum.Institution) forumTermsJSON {
	t := in.Terms
	out := forumTermsJSON{Process: in.Process.Slug, Remit: t.Remit, RemitHTML: t.RemitHTML, Quorum: t.Quorum, QuorumHTML: t.QuorumHTML,
		Selection: t.Selection, SelectionHTML: t.SelectionHTML, MemberTerms: t.MemberTerms, MemberTermsHTML: t.MemberTermsHTML,
		MeetingsPerQuarter: t.MeetingsPerQuarter, UpdatedAt: utcPtr(t.UpdatedAt), Members: []membershipJSON{}, PastMembers: []membershipJSON{}}
	out.Viewer.MembershipID, out.Viewer.Manage = in.Mine, in.Manage
	for _, m := range in.Memberships {
		j := membershipJSON{ID: m.ID, MemberRef: m.MemberRef, Name: m.Name, Seat: m.Seat, Organisation: m.Organisation,
			Selection: m.Selection, TermStart: timeDateJSON(m.TermStart), TermEnd: timeDateJSON(m.TermEnd), JoinedAt: m.JoinedAt.UTC(),
			LeftAt: utcPtr(m.LeftAt), EarlierDeclarations: []declarationJSON{}}
		for i, d := range m.Declarations {
			dj := declarationJSON{None: d.None, Body: d.Body, BodyHTML: d.BodyHTML, FiledAt: d.FiledAt.UTC()}
			if i == 0 {
				j.Declaration = &dj
			} else {
				j.EarlierDeclarations = append(j.EarlierDeclarations, dj)
			}
		}
		if m.Current() {
			out.Members = append(out.Members, j)
		} else {
			out.PastMembers = append(out.PastMembers, j)
		}
	}
	return out
}

// getForumTerms handles GET /api/v1/processes/:slug/forum/terms.
func (h *handlers) getForumTerms(c *gin.Context) {
	in, err := h.forum.Institution(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, toForumTermsJSON(in))
}

type forumTermsRequest struct {
	Remit              string `json:"remit"`
	Quorum             string `json:"quorum"`
	Selection          string `json:"selection"`
	MemberTerms        string `json:"member_terms"`
	MeetingsPerQuarter *int   `json:"meetings_per_quarter" binding:"required"`
}

// putForumTerms handles PUT /api/v1/processes/:slug/forum/terms.
func (h *handlers) putForumTerms(c *gin.Context) {
	var req forumTermsRequest
	if !h.bind(c, &req) {
		return
	}
	in, err := h.forum.SetTerms(c.Request.Context(), actorFrom(c), c.Param("slug"), forum.TermsInput{Remit: req.Remit, Quorum: req.Quorum,
		Selection: req.Selection, MemberTerms: req.MemberTerms, MeetingsPerQuarter: *req.MeetingsPerQuarter})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toForumTermsJSON(in))
}

type membershipRequest struct {
	Selection *string `json:"selection"`
	TermStart *string `json:"term_start"`
	TermEnd   *string `json:"term_end"`
}

// putForumMembership handles PUT /api/v1/processes/:slug/forum/memberships/:membershipID.
func (h *handlers) putForumMembership(c *gin.Context) {
	id, ok := h.pathID(c, "membershipID")
	if !ok {
		return
	}
	var req membershipRequest
	if !h.bind(c, &req) {
		return
	}
	var fe apperr.Fields
	in := forum.MembershipInput{TermStart: dateParam(&fe, "term_start", req.TermStart), TermEnd: dateParam(&fe, "term_end", req.TermEnd)}
	if req.Selection != nil && *req.Selection != "" {
		sel := forum.Selection(*req.Selection)
		in.Selection = &sel
	}
	if err := fe.Err(forum.CodeInvalid); err != nil {
		h.fail(c, err)
		return
	}
	out, err := h.forum.SetMembership(c.Request.Context(), actorFrom(c), c.Param("slug"), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toForumTermsJSON(out))
}

// dateParam reads an optional calendar date (YYYY-MM-DD) into f's errors.
func dateParam(f *apperr.Fields, field string, s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		f.Add(field, "date", "a date such as 2027-01-31")
		return nil
	}
	return &t
}

type declarationRequest struct {
	None bool   `json:"none"`
	Body string `json:"body"`
}

// putDeclaration handles PUT /api/v1/processes/:slug/forum/declaration.
func (h *handlers) putDeclaration(c *gin.Context) {
	var req declarationRequest
	if !h.bind(c, &req) {
		return
	}
	out, err := h.forum.Declare(c.Request.Context(), actorFrom(c), c.Param("slug"), req.None, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toForumTermsJSON(out))
}
