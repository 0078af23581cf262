// Questions on commitments and their working-day answer clock.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/commitment"
)

type questionRequest struct {
	Body string `json:"body" binding:"max=40000"`
}

type pauseRequest struct {
	Reason    string `json:"reason" binding:"max=8000"`
	ResumesOn string `json:"resumes_on" binding:"max=40"`
}

type hideRequest struct {
	Reason string `json:"reason" binding:"max=8000"`
}

type pauseJSON struct {
	From   string `json:"from"`
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

type hiddenJSON struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

type questionJSON struct {
	ID              int64           `json:"id"`
	CommitmentID    int64           `json:"commitment_id"`
	CommitmentTitle string          `json:"commitment_title"`
	Author          *authorResponse `json:"author"`
	Body            string          `json:"body"`
	BodyHTML        string          `json:"body_html"`
	AskedAt         time.Time       `json:"asked_at"`
	DueOn           string          `json:"due_on"`
	WorkingDays     int             `json:"working_days"`
	Overdue         bool            `json:"overdue"`
	LateDays        int             `json:"late_days"`
	Pause           *pauseJSON      `json:"pause"`
	Answer          *string         `json:"answer"`
	AnswerHTML      *string         `json:"answer_html"`
	AnsweredAs      *string         `json:"answered_as"`
	AnsweredAt      *time.Time      `json:"answered_at"`
	Hidden          *hiddenJSON     `json:"hidden"`
}

func toQuestionJSON(q commitment.Question) questionJSON {
	out := questionJSON{ID: q.ID, CommitmentID: q.CommitmentID, CommitmentTitle: q.CommitmentTitle, Body: q.Body, BodyHTML: q.BodyHTML,
		AskedAt: q.AskedAt.UTC(), DueOn: q.DueOn.String(), WorkingDays: q.Elapsed, Overdue: q.Overdue, LateDays: q.Late,
		Answer: q.Answer, AnswerHTML: q.AnswerHTML, AnsweredAs: q.AnsweredAs, AnsweredAt: utcPtr(q.AnsweredAt)}
	if q.PausedOn != nil && q.ResumesOn != nil && q.PauseReason != nil {
		out.Pause = &pauseJSON{From: q.PausedOn.String(), Until: q.ResumesOn.String(), Reason: *q.PauseReason}
	}
	if q.Hidden() {
		out.Hidden = &hiddenJSON{At: q.HiddenAt.UTC(), Reason: *q.HiddenReason}
	} else {
		out.Author = &authorResponse{ID: q.AuthorID, Name: q.AuthorName}
	}
	return out
}

type questionListJSON struct {
	Items []questionJSON `json:"items"`
}

// listQuestions handles GET /api/v1/commitments/:commitmentID/questions.
func (h *handlers) listQuestions(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	qs, err := h.commitments.Questions(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	out := questionListJSON{Items: make([]questionJSON, len(qs))}
	for i, q := range qs {
		out.Items[i] = toQuestionJSON(q)
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, out)
}

// askQuestion handles POST /api/v1/commitments/:commitmentID/questions.
func (h *handlers) askQuestion(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	var req questionRequest
	if !h.bind(c, &req) {
		return
	}
	q, err := h.commitments.Ask(c.Request.Context(), actorFrom(c), id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toQuestionJSON(q))
}

// answerQuestion handles POST /api/v1/questions/:questionID/answer.
func (h *handlers) answerQuestion(c *gin.Context) {
	id, ok := h.pathID(c, "questionID")
	if !ok {
		return
	}
	var req questionRequest
	if !h.bind(c, &req) {
		return
	}
	q, err := h.commitments.AnswerQuestion(c.Request.Context(), actorFrom(c), id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toQuestionJSON(q))
}

// pauseQuestion handles POST /api/v1/questions/:questionID/pause.
func (h *handlers) pauseQuestion(c *gin.Context) {
	id, ok := h.pathID(c, "questionID")
	if !ok {
		return
	}
	var req pauseRequest
	if !h.bind(c, &req) {
		return
	}
	q, err := h.commitments.Pause(c.Request.Context(), actorFrom(c), id, req.Reason, req.ResumesOn)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toQuestionJSON(q))
}

// hideQuestion handles POST /api/v1/questions/:questionID/hide.
func (h *handlers) hideQuestion(c *gin.Context) {
	id, ok := h.pathID(c, "questionID")
	if !ok {
		return
	}
	var req hideRequest
	if !h.bind(c, &req) {
		return
	}
	q, err := h.commitments.Hide(c.Request.Context(), actorFrom(c), id, req.Reason)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toQuestionJSON(q))
}
