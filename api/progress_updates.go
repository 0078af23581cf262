// Progress updates of commitments: drafts, publication (government updates)
// or signatures and dissent (joint updates), and the comments on published
// updates, through the comment engine.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/commitment"
	"cocreate/internal/process"
)

type stateRequest struct {
	MilestoneID int64  `json:"milestone_id" binding:"required,min=1"`
	State       string `json:"state" binding:"max=40"`
	CompletedOn string `json:"completed_on" binding:"max=40"`
}

type evidenceRequest struct {
	URL              string `json:"url" binding:"max=8000"`
	RepositoryItemID int64  `json:"repository_item_id" binding:"omitempty,min=1"`
}

// progressRequest drafts an update, or (with revision) edits a draft.
type progressRequest struct {
	Revision         int               `json:"revision" binding:"omitempty,min=1"`
	Kind             string            `json:"kind" binding:"max=40"`
	Progress         string            `json:"progress" binding:"max=80000"`
	DelayReasons     string            `json:"delay_reasons" binding:"max=40000"`
	NextSteps        string            `json:"next_steps" binding:"max=40000"`
	Milestones       []stateRequest    `json:"milestones" binding:"max=200,dive"`
	Evidence         []evidenceRequest `json:"evidence" binding:"max=50,dive"`
	Supersedes       *int64            `json:"supersedes" binding:"omitempty,min=1"`
	CorrectionReason *string           `json:"correction_reason" binding:"omitempty,max=8000"`
}

func (r progressRequest) input() commitment.UpdateInput {
	in := commitment.UpdateInput{Revision: r.Revision, Kind: r.Kind, Progress: r.Progress, DelayReasons: r.DelayReasons, NextSteps: r.NextSteps,
		Supersedes: r.Supersedes, CorrectionReason: r.CorrectionReason}
	for _, s := range r.Milestones {
		in.Milestones = append(in.Milestones, commitment.StateInput{MilestoneID: s.MilestoneID, State: s.State, CompletedOn: s.CompletedOn})
	}
	for _, e := range r.Evidence {
		in.Evidence = append(in.Evidence, commitment.EvidenceInput{URL: e.URL, ItemID: e.RepositoryItemID})
	}
	return in
}

type milestoneStateJSON struct {
	MilestoneID int64   `json:"milestone_id"`
	Title       string  `json:"title"`
	DueOn       string  `json:"due_on"`
	State       string  `json:"state"`
	CompletedOn *string `json:"completed_on"`
}

type evidenceJSON struct {
	URL            *string            `json:"url"`
	RepositoryItem *repositoryRefJSON `json:"repository_item"`
}

type progressJSON struct {
	ID               int64                `json:"id"`
	CommitmentID     int64                `json:"commitment_id"`
	CommitmentTitle  string               `json:"commitment_title"`
	Process          string               `json:"process"`
	Kind             string               `json:"kind"`
	State            string               `json:"state"`
	Progress         string               `json:"progress"`
	ProgressHTML     string               `json:"progress_html"`
	DelayReasons     string               `json:"delay_reasons"`
	DelayHTML        string               `json:"delay_reasons_html"`
	NextSteps        string               `json:"next_steps"`
	NextStepsHTML    string               `json:"next_steps_html"`
	Milestones       []milestoneStateJSON `json:"milestones"`
	Evidence         []evidenceJSON       `json:"evidence"`
	Signatures       []signatureJSON      `json:"signatures"`
	SigningRule      *string              `json:"signing_rule"`
	MissingSeats     []process.Seat       `json:"missing_seats"`
	Revision         int                  `json:"revision"`
	Supersedes       *int64               `json:"supersedes"`
	SupersededBy     *int64               `json:"superseded_by"`
	CorrectionReason *string              `json:"correction_reason"`
	CreatedAt        time.Time            `json:"created_at"`
	PublishedAt      *time.Time           `json:"published_at"`
	Ledger           *ledgerRefJSON       `json:"ledger"`
	Comments         int                  `json:"comments"`
	Viewer           viewerJSON           `json:"viewer"`
}

func toProgressJSON(u commitment.Update) progressJSON {
	out := progressJSON{ID: u.ID, CommitmentID: u.CommitmentID, CommitmentTitle: u.CommitmentTitle, Process: u.Process, Kind: u.Kind,
		State: u.State, Progress: u.Progress, ProgressHTML: u.ProgressHTML, DelayReasons: u.DelayReasons, DelayHTML: u.DelayHTML,
		NextSteps: u.NextSteps, NextStepsHTML: u.NextStepsHTML, Milestones: make([]milestoneStateJSON, len(u.Milestones)),
		Evidence: make([]evidenceJSON, len(u.Evidence)), Signatures: make([]signatureJSON, len(u.Signatures)), MissingSeats: u.MissingSeats,
		Revision: u.Revision, Supersedes: u.Supersedes, SupersededBy: u.SupersededBy, CorrectionReason: u.CorrectionReason,
		CreatedAt: u.CreatedAt.UTC(), PublishedAt: utcPtr(u.PublishedAt), Comments: u.Comments, Viewer: toViewerJSON(u.Viewer)}
	if out.MissingSeats == nil {
		out.MissingSeats = []process.Seat{}
	}
	if u.SigningRule != "" {
		rule := u.SigningRule
		out.SigningRule = &rule
	}
	for i, st := range u.Milestones {
		out.Milestones[i] = milestoneStateJSON{MilestoneID: st.MilestoneID, Title: st.Title, DueOn: st.DueOn.String(), State: st.State,
			CompletedOn: dateJSON(st.CompletedOn)}
	}
	for i, e := range u.Evidence {
		out.Evidence[i] = evidenceJSON{URL: e.URL}
		if e.ItemID != nil {
			title := ""
			if e.ItemTitle != nil {
				title = *e.ItemTitle
			}
			out.Evidence[i].RepositoryItem = &repositoryRefJSON{ID: *e.ItemID, Title: title}
		}
	}
	for i, g := range u.Signatures {
		out.Signatures[i] = signatureJSON{Kind: g.Kind, MemberRef: g.MemberRef, Name: g.Name, Seat: g.Seat, Organisation: g.Organisation, Note: g.Note}
		if !u.Published() {
			at := g.SignedAt.UTC()
			out.Signatures[i].SignedAt = &at // the ledger records who signed, and the update's publication date
		}
	}
	if u.LedgerSeq != nil {
		hash := ""
		if u.LedgerHash != nil {
			hash = *u.LedgerHash
		}
		out.Ledger = &ledgerRefJSON{Seq: *u.LedgerSeq, Hash: hash}
	}
	return out
}

// answerProgress writes an update; a draft's and a writer's view are private.
func (h *handlers) answerProgress(c *gin.Context, status int, u commitment.Update) {
	c.Header("Cache-Control", "private, no-store")
	c.JSON(status, toProgressJSON(u))
}

// createProgressUpdate handles POST /api/v1/commitments/:commitmentID/updates.
func (h *handlers) createProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	var req progressRequest
	if !h.bind(c, &req) {
		return
	}
	in := req.input()
	in.Revision = 0
	u, err := h.commitments.CreateUpdate(c.Request.Context(), actorFrom(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusCreated, u)
}

// getProgressUpdate handles GET /api/v1/progress-updates/:updateID.
func (h *handlers) getProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	u, err := h.commitments.GetUpdate(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusOK, u)
}

// editProgressUpdate handles PATCH /api/v1/progress-updates/:updateID.
func (h *handlers) editProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req progressRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.commitments.EditUpdate(c.Request.Context(), actorFrom(c), id, req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusOK, u)
}

// discardProgressUpdate handles DELETE /api/v1/progress-updates/:updateID.
func (h *handlers) discardProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	if err := h.commitments.DiscardUpdate(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// publishProgressUpdate handles POST /api/v1/progress-updates/:updateID/publish.
func (h *handlers) publishProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req signRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.commitments.Publish(c.Request.Context(), actorFrom(c), id, req.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusOK, u)
}

// signProgressUpdate handles POST /api/v1/progress-updates/:updateID/sign.
func (h *handlers) signProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req signRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.commitments.Sign(c.Request.Context(), actorFrom(c), id, req.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusOK, u)
}

// dissentFromProgressUpdate handles POST /api/v1/progress-updates/:updateID/dissent.
func (h *handlers) dissentFromProgressUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req dissentRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.commitments.Dissent(c.Request.Context(), actorFrom(c), id, req.Revision, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerProgress(c, http.StatusOK, u)
}

// progressCommentsOK answers 404 unless the update is published and readable
// by the caller: comments go on published updates only.
func (h *handlers) progressCommentsOK(c *gin.Context, id int64) bool {
	u, err := h.commitments.GetUpdate(c.Request.Context(), actorFrom(c), id)
	if err == nil && !u.Published() {
		err = commitment.ErrUpdateNotFound
	}
	if err != nil {
		h.fail(c, err)
		return false
	}
	return true
}

// listProgressComments handles GET /api/v1/progress-updates/:updateID/comments.
func (h *handlers) listProgressComments(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	limit, cursor, ok := h.pageParams(c, 200, 500)
	if !ok || !h.progressCommentsOK(c, id) {
		return
	}
	p, err := h.comments.UpdateThread(c.Request.Context(), id, cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, toCommentPage(p))
}

// listMyProgressVotes handles GET /api/v1/progress-updates/:updateID/my-votes.
func (h *handlers) listMyProgressVotes(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok || !h.progressCommentsOK(c, id) {
		return
	}
	votes, err := h.comments.MyVotesOnUpdate(c.Request.Context(), actorFrom(c), id)
	h.answerMyVotes(c, votes, err)
}

// createProgressComment handles POST /api/v1/progress-updates/:updateID/comments.
func (h *handlers) createProgressComment(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req replyRequest
	if !h.bind(c, &req) {
		return
	}
	cm, err := h.comments.CreateOnUpdate(c.Request.Context(), actorFrom(c), id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toCommentResponse(cm))
}
