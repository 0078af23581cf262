package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/update"
)

// updateRequest is a new update. The bounds here only cap the body's size;
// the service checks the rules.
type updateRequest struct {
	Title string `json:"title" binding:"max=2000"`
	Body  string `json:"body" binding:"max=100000"`
}

// editUpdateRequest is an edit of an update, on the version the editor read.
type editUpdateRequest struct {
	Title string `json:"title" binding:"max=2000"`
	Body  string `json:"body" binding:"max=100000"`
	// EditedAt is the update's edited_at as read (null when never edited).
	EditedAt *string `json:"edited_at" binding:"omitempty,max=64"`
}

type updateResponse struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	BodyHTML    string     `json:"body_html"`
	PublishedAt time.Time  `json:"published_at"`
	EditedAt    *time.Time `json:"edited_at"`
}

type updatePageResponse struct {
	Items      []updateResponse `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

func toUpdateResponse(u update.Update) updateResponse {
	return updateResponse{ID: u.ID, Title: u.Title, Body: u.Body, BodyHTML: u.BodyHTML, PublishedAt: u.PublishedAt.UTC(),
		EditedAt: utcPtr(u.EditedAt)}
}

// listUpdates handles GET /api/v1/processes/:slug/updates.
func (h *handlers) listUpdates(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 10, update.MaxPageSize)
	if !ok {
		return
	}
	page, _, err := h.updates.List(c.Request.Context(), actorFrom(c), c.Param("slug"), cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := updatePageResponse{Items: make([]updateResponse, len(page.Items))}
	for i, u := range page.Items {
		res.Items[i] = toUpdateResponse(u)
	}
	if page.NextCursor != "" {
		res.NextCursor = &page.NextCursor
	}
	h.publicJSON(c, res, publicMaxAge)
}

// createUpdate handles POST /api/v1/processes/:slug/updates.
func (h *handlers) createUpdate(c *gin.Context) {
	var req updateRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.updates.Create(c.Request.Context(), actorFrom(c), c.Param("slug"), update.Input{Title: req.Title, Body: req.Body})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUpdateResponse(u))
}

// editUpdate handles PATCH /api/v1/processes/:slug/updates/:updateID.
func (h *handlers) editUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	var req editUpdateRequest
	if !h.bind(c, &req) {
		return
	}
	in := update.EditInput{Input: update.Input{Title: req.Title, Body: req.Body}}
	if req.EditedAt != nil {
		t, err := time.Parse(time.RFC3339Nano, *req.EditedAt)
		if err != nil {
			h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "edited_at", Code: "date",
				Message: "the edited_at of the update as read, or null"}))
			return
		}
		in.EditedAt = &t
	}
	u, err := h.updates.Edit(c.Request.Context(), actorFrom(c), c.Param("slug"), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUpdateResponse(u))
}

// deleteUpdate handles DELETE /api/v1/processes/:slug/updates/:updateID.
func (h *handlers) deleteUpdate(c *gin.Context) {
	id, ok := h.pathID(c, "updateID")
	if !ok {
		return
	}
	if err := h.updates.Delete(c.Request.Context(), actorFrom(c), c.Param("slug"), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
