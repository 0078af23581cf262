// Reasoned responses: drafts, signatures, dissent and publication.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/forum"
	"cocreate/internal/process"
)

type coverRequest struct {
	Kind         string `json:"kind" binding:"required,oneof=comment idea cluster paragraph"`
	ID           int64  `json:"id" binding:"omitempty,min=1"`
	DocumentID   int64  `json:"document_id" binding:"omitempty,min=1"`
	ParagraphKey string `json:"paragraph_key" binding:"omitempty,max=64"`
}

type responseRequest struct {
	Revision         int            `json:"revision"`
	Disposition      string         `json:"disposition" binding:"required"`
	Reasoning        string         `json:"reasoning" binding:"required"`
	LedTo            string         `json:"led_to"`
	Covers           []coverRequest `json:"covers" binding:"required,min=1,max=500,dive"` // forum.MaxCovers
	Supersedes       *int64         `json:"supersedes"`
	CorrectionReason *string        `json:"correction_reason"`
}

func (r responseRequest) input() forum.ResponseInput {
	in := forum.ResponseInput{Revision: r.Revision, Disposition: forum.Disposition(r.Disposition), Reasoning: r.Reasoning, LedTo: r.LedTo,
		Supersedes: r.Supersedes, CorrectionReason: r.CorrectionReason}
	for _, c := range r.Covers {
		in.Covers = append(in.Covers, forum.CoverInput{Kind: c.Kind, ID: c.ID, DocumentID: c.DocumentID, ParagraphKey: c.ParagraphKey})
	}
	return in
}

type coverJSON struct {
	Kind             string  `json:"kind"`
	ID               *int64  `json:"id"`
	IdeaID           *int64  `json:"idea_id"`
	DocumentID       *int64  `json:"document_id"`
	ParagraphKey     *string `json:"paragraph_key"`
	ProgressUpdateID *int64  `json:"progress_update_id"`
	Label            string  `json:"label"`
	Excerpt          *string `json:"excerpt"`
	Visible          bool    `json:"visible"`
	Count            int     `json:"count"`
}

func toCoverJSON(c forum.Cover) coverJSON {
	return coverJSON{Kind: c.Kind, ID: c.ID, IdeaID: c.IdeaID, DocumentID: c.DocumentID, ParagraphKey: c.ParagraphKey,
		ProgressUpdateID: c.ProgressUpdateID, Label: c.Label, Excerpt: c.Excerpt, Visible: c.Visible, Count: c.Count}
}

type signatureJSON struct {
	Kind         string     `json:"kind"`
	MemberRef    string     `json:"member_ref"`
	Name         *string    `json:"name"`
	Seat         string     `json:"seat"`
	Organisation string     `json:"organisation"`
	Note         *string    `json:"note"`
	SignedAt     *time.Time `json:"signed_at"`
}

type ledgerRefJSON struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// verdictJSON is what a draft's rule says now.
type verdictJSON struct {
	Met          bool           `json:"met"`
	MissingSeats []process.Seat `json:"missing_seats"`
	VetoedSeats  []process.Seat `json:"vetoed_seats"`
	Needed       int            `json:"needed"`
	Blocked      bool           `json:"blocked"`
	Waiting      bool           `json:"waiting"`
}

type responseJSON struct {
	ID               int64             `json:"id"`
	Process          string            `json:"process"`
	State            string            `json:"state"`
	Disposition      forum.Disposition `json:"disposition"`
	Reasoning        string            `json:"reasoning"`
	ReasoningHTML    string            `json:"reasoning_html"`
	LedTo            string            `json:"led_to"`
	Covers           []coverJSON       `json:"covers"`
	Signatures       []signatureJSON   `json:"signatures"`
	SigningRule      forum.Rule        `json:"signing_rule"`
	Rule             decisionRuleJSON  `json:"rule"`
	DecideBy         *time.Time        `json:"decide_by"`
	Verdict          *verdictJSON      `json:"verdict"`
	MissingSeats     []process.Seat    `json:"missing_seats"`
	Revision         int               `json:"revision"`
	Supersedes       *int64            `json:"supersedes"`
	SupersededBy     *int64            `json:"superseded_by"`
	CorrectionReason *string           `json:"correction_reason"`
	CreatedAt        time.Time         `json:"created_at"`
	PublishedAt      *time.Time        `json:"published_at"`
	Ledger           *ledgerRefJSON    `json:"ledger"`
	Answered         int               `json:"answered"`
}

func toResponseJSON(r forum.Response) responseJSON {
	out := responseJSON{ID: r.ID, Process: r.Process, State: r.State, Disposition: r.Disposition, Reasoning: r.Reasoning,
		ReasoningHTML: r.ReasoningHTML, LedTo: r.LedTo, Covers: make([]coverJSON, len(r.Covers)), Signatures: make([]signatureJSON, len(r.Signatures)),
		SigningRule: r.SigningRule, MissingSeats: r.MissingSeats, Revision: r.Revision, Supersedes: r.Supersedes, SupersededBy: r.SupersededBy,
		CorrectionReason: r.CorrectionReason, CreatedAt: r.CreatedAt.UTC(), Answered: r.Answered, Rule: toDecisionRuleJSON(r.Rule()),
		DecideBy: utcPtr(r.DecideBy)}
	if v := r.Verdict; v != nil {
		out.Verdict = &verdictJSON{Met: v.Met, MissingSeats: v.MissingSeats, VetoedSeats: v.Vetoed, Needed: v.Needed, Blocked: v.Blocked,
			Waiting: v.Waiting}
	}
	for i, c := range r.Covers {
		out.Covers[i] = toCoverJSON(c)
	}
	for i, s := range r.Signatures {
		out.Signatures[i] = signatureJSON{Kind: s.Kind, MemberRef: s.MemberRef, Name: s.Name, Seat: s.Seat, Organisation: s.Organisation,
			Note: s.Note, SignedAt: s.SignedAt}
	}
	if out.MissingSeats == nil {
		out.MissingSeats = []process.Seat{}
	}
	if r.PublishedAt != nil {
		at := r.PublishedAt.UTC()
		out.PublishedAt = &at
	}
	if r.LedgerSeq != nil {
		out.Ledger = &ledgerRefJSON{Seq: *r.LedgerSeq, Hash: r.LedgerHash}
	}
	return out
}

// listDraftResponses handles GET /api/v1/processes/:slug/forum/responses.
func (h *handlers) listDraftResponses(c *gin.Context) {
	rs, err := h.forum.Drafts(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]responseJSON, len(rs))
	for i, r := range rs {
		out[i] = toResponseJSON(r)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// createResponse handles POST /api/v1/processes/:slug/forum/responses.
func (h *handlers) createResponse(c *gin.Context) {
	var req responseRequest
	if !h.bind(c, &req) {
		return
	}
	if req.Revision != 0 {
		h.fail(c, errUnknownField.WithMessage(`unknown field "revision"`))
		return
	}
	r, err := h.forum.CreateResponse(c.Request.Context(), actorFrom(c), c.Param("slug"), req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, toResponseJSON(r))
}

// getResponse handles GET /api/v1/responses/:responseID.
func (h *handlers) getResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	r, err := h.forum.GetResponse(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	if r.Published() {
		c.Header("Cache-Control", "no-cache")
	} else {
		c.Header("Cache-Control", "no-store")
	}
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// editResponse handles PATCH /api/v1/responses/:responseID.
func (h *handlers) editResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req responseRequest
	if !h.bind(c, &req) {
		return
	}
	if req.Supersedes != nil {
		h.fail(c, errUnknownField.WithMessage(`unknown field "supersedes": what a draft corrects is set when it is made`))
		return
	}
	r, err := h.forum.EditResponse(c.Request.Context(), actorFrom(c), id, req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// discardResponse handles DELETE /api/v1/responses/:responseID.
func (h *handlers) discardResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	if err := h.forum.DiscardResponse(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type signRequest struct {
	Revision int `json:"revision" binding:"required,min=1"`
}

// signResponse handles POST /api/v1/responses/:responseID/sign.
func (h *handlers) signResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req signRequest
	if !h.bind(c, &req) {
		return
	}
	r, err := h.forum.Sign(c.Request.Context(), actorFrom(c), id, req.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

type dissentRequest struct {
	Revision int    `json:"revision" binding:"required,min=1"`
	Note     string `json:"note" binding:"required"`
}

// dissentFromResponse handles POST /api/v1/responses/:responseID/dissent.
func (h *handlers) dissentFromResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req dissentRequest
	if !h.bind(c, &req) {
		return
	}
	r, err := h.forum.Dissent(c.Request.Context(), actorFrom(c), id, req.Revision, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

type recuseRequest struct {
	Revision int    `json:"revision" binding:"required,min=1"`
	Note     string `json:"note"`
}

// recuseFromResponse handles POST /api/v1/responses/:responseID/recuse.
func (h *handlers) recuseFromResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req recuseRequest
	if !h.bind(c, &req) {
		return
	}
	r, err := h.forum.Recuse(c.Request.Context(), actorFrom(c), id, req.Revision, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// withdrawFromResponse handles DELETE /api/v1/responses/:responseID/signature.
func (h *handlers) withdrawFromResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	r, err := h.forum.Withdraw(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}
