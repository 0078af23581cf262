package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/process"
)

type phaseRequest struct {
	Kind     string `json:"kind" binding:"required,max=40"`
	OpensAt  string `json:"opens_at" binding:"required,max=64"`
	ClosesAt string `json:"closes_at" binding:"required,max=64"`
}

type createProcessRequest struct {
	Slug      string         `json:"slug" binding:"required,max=80"`
	Title     string         `json:"title" binding:"required,max=200"`
	Summary   string         `json:"summary" binding:"max=20000"`
	Languages []string       `json:"languages" binding:"required,min=1,max=10,dive,required,max=35"`
	Phases    []phaseRequest `json:"phases" binding:"required,min=1,max=6,dive"`
}

type updateProcessRequest struct {
	Title     *string         `json:"title" binding:"omitempty,min=1,max=200"`
	Summary   *string         `json:"summary" binding:"omitempty,max=20000"`
	Languages *[]string       `json:"languages" binding:"omitempty,min=1,max=10,dive,required,max=35"`
	Phases    *[]phaseRequest `json:"phases" binding:"omitempty,min=1,max=6,dive"`
	// UpdatedAt is the process's updated_at as the editor read it; when
	// given, a process saved since is not overwritten (409 process.stale).
	UpdatedAt *string `json:"updated_at" binding:"omitempty,max=64"`
}

// toPhaseInputs parses the phases' RFC 3339 timestamps.
func toPhaseInputs(reqs []phaseRequest) ([]process.PhaseInput, error) {
	var f apperr.Fields
	out := make([]process.PhaseInput, len(reqs))
	for i, r := range reqs {
		out[i].Kind = process.PhaseKind(r.Kind)
		for _, d := range []struct {
			name string
			src  string
			dst  *time.Time
		}{{"opens_at", r.OpensAt, &out[i].OpensAt}, {"closes_at", r.ClosesAt, &out[i].ClosesAt}} {
			t, err := time.Parse(time.RFC3339, d.src)
			if err != nil {
				f.Add(fmt.Sprintf("phases[%d].%s", i, d.name), "date", "an RFC 3339 date-time such as 2027-03-01T09:00:00Z")
				continue
			}
			*d.dst = t
		}
	}
	return out, f.Err(process.CodeInvalid)
}

type phaseResponse struct {
	Kind     process.PhaseKind  `json:"kind"`
	OpensAt  time.Time          `json:"opens_at"`
	ClosesAt time.Time          `json:"closes_at"`
	State    process.PhaseState `json:"state"`
}

type processResponse struct {
	Slug         string             `json:"slug"`
	Title        string             `json:"title"`
	Summary      string             `json:"summary"`
	SummaryHTML  string             `json:"summary_html"`
	Languages    []string           `json:"languages"`
	Phases       []phaseResponse    `json:"phases"`
	Stage        process.Stage      `json:"stage"`
	CurrentPhase *process.PhaseKind `json:"current_phase"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	PublishedAt  *time.Time         `json:"published_at"`
	// Mandate and Viewer come with one process (not with a list of them).
	Mandate *mandateResponse       `json:"mandate,omitempty"`
	Viewer  *processViewerResponse `json:"viewer,omitempty"`
}

// processViewerResponse says what the reader may do in the process.
type processViewerResponse struct {
	Manage bool `json:"manage"`
}

func toProcessResponse(p process.Process, now time.Time) processResponse {
	r := processResponse{
		Slug: p.Slug, Title: p.Title, Summary: p.Summary, SummaryHTML: p.SummaryHTML,
		Languages: append([]string{}, p.Languages...), Phases: make([]phaseResponse, len(p.Phases)),
		Stage: p.StageAt(now), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), PublishedAt: utcPtr(p.PublishedAt),
	}
	for i, ph := range p.Phases {
		r.Phases[i] = phaseResponse{Kind: ph.Kind, OpensAt: ph.OpensAt.UTC(), ClosesAt: ph.ClosesAt.UTC(), State: ph.StateAt(now)}
	}
	if cur, ok := p.CurrentPhase(now); ok {
		r.CurrentPhase = &cur.Kind
	}
	return r
}

type processPageResponse struct {
	Items      []processResponse `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

// publicMaxAge is how long caches may keep a public process read, in seconds;
// short because a phase opening changes the answer.
const publicMaxAge = "30"

// listProcesses handles GET /api/v1/processes.
func (h *handlers) listProcesses(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, process.MaxPageSize)
	if !ok {
		return
	}
	page, err := h.processes.List(c.Request.Context(), actorFrom(c), cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	now := h.processes.Now()
	res := processPageResponse{Items: make([]processResponse, len(page.Items))}
	for i, p := range page.Items {
		res.Items[i] = toProcessResponse(p, now)
	}
	if page.NextCursor != "" {
		res.NextCursor = &page.NextCursor
	}
	h.publicJSON(c, res, publicMaxAge)
}

// getProcess handles GET /api/v1/processes/:slug: the process with its
// mandate, and what the reader may do there. An unpublished process is
// found by its owners and administrators only.
func (h *handlers) getProcess(c *gin.Context) {
	p, err := h.processes.GetReadable(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.processDetail(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.publicJSON(c, res, publicMaxAge)
}

// processDetail is the answer about one process: the process, its mandate
// and what the reader may do there.
func (h *handlers) processDetail(c *gin.Context, p process.Process) (processResponse, error) {
	ctx := c.Request.Context()
	m, err := h.processes.Mandate(ctx, p.ID)
	if err != nil {
		return processResponse{}, err
	}
	manage, err := h.processes.CanManage(ctx, actorFrom(c), p)
	if err != nil {
		return processResponse{}, err
	}
	res := toProcessResponse(p, h.processes.Now())
	mr := toMandateResponse(m)
	res.Mandate, res.Viewer = &mr, &processViewerResponse{Manage: manage}
	return res, nil
}

// createProcess handles POST /api/v1/processes.
func (h *handlers) createProcess(c *gin.Context) {
	var req createProcessRequest
	if !h.bind(c, &req) {
		return
	}
	phases, err := toPhaseInputs(req.Phases)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.processes.Create(c.Request.Context(), actorFrom(c), process.CreateInput{
		Slug: req.Slug, Title: req.Title, Summary: req.Summary, Languages: req.Languages, Phases: phases,
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "process created", "slug", p.Slug, "by", actorFrom(c).UserID)
	res, err := h.processDetail(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, res)
}

// updateProcess handles PATCH /api/v1/processes/:slug.
func (h *handlers) updateProcess(c *gin.Context) {
	var req updateProcessRequest
	if !h.bind(c, &req) {
		return
	}
	in := process.UpdateInput{Title: req.Title, Summary: req.Summary, Languages: req.Languages}
	if req.UpdatedAt != nil {
		t, err := time.Parse(time.RFC3339Nano, *req.UpdatedAt)
		if err != nil {
			h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "updated_at", Code: "date",
				Message: "the updated_at of the process as read"}))
			return
		}
		in.UpdatedAt = &t
	}
	if req.Phases != nil {
		phases, err := toPhaseInputs(*req.Phases)
		if err != nil {
			h.fail(c, err)
			return
		}
		in.Phases = &phases
	}
	p, err := h.processes.Update(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "process updated", "slug", p.Slug, "by", actorFrom(c).UserID)
	res, err := h.processDetail(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, res)
}

// publishResponse is the answer to a publication: the process as the public
// now sees it, and a warning for each empty part of its mandate.
type publishResponse struct {
	Process  processResponse     `json:"process"`
	Warnings []apperr.FieldError `json:"warnings"`
}

// publishProcess handles POST /api/v1/processes/:slug/publish: the process
// opens to the public. Publishing again changes nothing.
func (h *handlers) publishProcess(c *gin.Context) {
	p, m, err := h.processes.Publish(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "process published", "slug", p.Slug, "by", actorFrom(c).UserID)
	res, err := h.processDetail(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, publishResponse{Process: res, Warnings: mandateWarnings(m)})
}
