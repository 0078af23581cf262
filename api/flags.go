// The participant's side of moderation: flagging a contribution, and one's own
// moderated contributions with their appeal.

package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/contribution"
	"cocreate/internal/moderation"
)

type appealRequest struct {
	Note string `json:"note" binding:"required,max=8000"`
}

type flagRequest struct {
	Reason moderation.Reason `json:"reason" binding:"required"`
	Note   string            `json:"note" binding:"max=4000"`
}

type myModerationItemJSON struct {
	ID                int64                `json:"id"`
	ProcessSlug       string               `json:"process_slug"`
	Target            moderationTargetJSON `json:"target"`
	State             string               `json:"state"`
	Status            string               `json:"status"`
	Excerpt           string               `json:"excerpt"`
	Outcome           *moderation.Outcome  `json:"outcome"`
	Reason            *moderation.Reason   `json:"reason"`
	ReasonDescription *string              `json:"reason_description"`
	Explanation       *string              `json:"explanation"`
	DecidedAt         *time.Time           `json:"decided_at"`
	AppealableUntil   *time.Time           `json:"appealable_until"`
	Appealed          bool                 `json:"appealed"`
}

func toMyItemJSON(m moderation.Mine) myModerationItemJSON {
	excerpt := m.Body
	if m.Title != nil {
		excerpt = *m.Title
	}
	if r := []rune(excerpt); len(r) > 200 {
		excerpt = string(r[:200]) + "…"
	}
	return myModerationItemJSON{ID: m.ID, ProcessSlug: m.ProcessSlug, Target: targetOf(m.Item), State: m.State, Status: m.Status, Excerpt: excerpt,
		Outcome: m.Outcome, Reason: m.Reason, ReasonDescription: m.ReasonDescription, Explanation: m.Explanation,
		DecidedAt: utcPtr(m.DecidedAt), AppealableUntil: utcPtr(m.AppealableUntil), Appealed: m.Appealed}
}

// appealModerationDecision handles POST /api/v1/moderation/items/:itemID/appeal.
func (h *handlers) appealModerationDecision(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	var req appealRequest
	if !h.bind(c, &req) {
		return
	}
	m, err := h.moderation.Appeal(c.Request.Context(), actorFrom(c), id, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toMyItemJSON(m))
}

// listMyModeration handles GET /api/v1/me/moderation.
func (h *handlers) listMyModeration(c *gin.Context) {
	items, err := h.moderation.MyItems(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := struct {
		Items []myModerationItemJSON `json:"items"`
	}{Items: make([]myModerationItemJSON, len(items))}
	for n, m := range items {
		res.Items[n] = toMyItemJSON(m)
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// flagComment handles POST /api/v1/comments/:commentID/flags.
func (h *handlers) flagComment(c *gin.Context) { h.flag(c, contribution.KindComment, "commentID") }

// flagIdea handles POST /api/v1/ideas/:ideaID/flags.
func (h *handlers) flagIdea(c *gin.Context) { h.flag(c, contribution.KindIdea, "ideaID") }

func (h *handlers) flag(c *gin.Context, kind contribution.Kind, param string) {
	id, ok := h.pathID(c, param)
	if !ok {
		return
	}
	var req flagRequest
	if !h.bind(c, &req) {
		return
	}
	hidden, err := h.moderation.Flag(c.Request.Context(), actorFrom(c), kind, id, moderation.FlagInput{Reason: req.Reason, Note: req.Note})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, gin.H{"hidden": hidden})
}
