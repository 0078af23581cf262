// A process's idea themes and rules.

package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/idea"
)

type themeRequest struct {
	ID          int64  `json:"id" binding:"omitempty,min=1"`
	Name        string `json:"name" binding:"required,max=400"`
	Description string `json:"description" binding:"max=4000"`
}

type ideaSettingsRequest struct {
	SupportLimit *int           `json:"support_limit" binding:"required,min=0,max=1000"`
	OnePerTheme  *bool          `json:"one_per_theme" binding:"required"`
	Themes       []themeRequest `json:"themes" binding:"required,max=50,dive"`
}

type themeResponse struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
}

type ideaSettingsResponse struct {
	SupportLimit int             `json:"support_limit"`
	OnePerTheme  bool            `json:"one_per_theme"`
	Themes       []themeResponse `json:"themes"`
	Phase        *phaseResponse  `json:"phase"`
	Open         bool            `json:"open"`
}

func toSettingsResponse(s idea.Settings, now time.Time) ideaSettingsResponse {
	r := ideaSettingsResponse{SupportLimit: s.SupportLimit, OnePerTheme: s.OnePerTheme, Themes: make([]themeResponse, len(s.Themes)), Open: s.Open}
	for n, t := range s.Themes {
		r.Themes[n] = themeResponse{ID: t.ID, Name: t.Name, Description: t.Description, Position: t.Position}
	}
	if s.Phase != nil {
		r.Phase = &phaseResponse{Kind: s.Phase.Kind, OpensAt: s.Phase.OpensAt.UTC(), ClosesAt: s.Phase.ClosesAt.UTC(), State: s.Phase.StateAt(now)}
	}
	return r
}

// getIdeaSettings handles GET /api/v1/processes/:slug/idea-settings.
func (h *handlers) getIdeaSettings(c *gin.Context) {
	s, err := h.ideas.Settings(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(200, toSettingsResponse(s, h.processes.Now()))
}

// putIdeaSettings handles PUT /api/v1/processes/:slug/idea-settings.
func (h *handlers) putIdeaSettings(c *gin.Context) {
	var req ideaSettingsRequest
	if !h.bind(c, &req) {
		return
	}
	in := idea.SettingsInput{Rules: idea.Rules{SupportLimit: *req.SupportLimit, OnePerTheme: *req.OnePerTheme},
		Themes: make([]idea.ThemeInput, len(req.Themes))}
	for n, t := range req.Themes {
		in.Themes[n] = idea.ThemeInput{ID: t.ID, Name: t.Name, Description: t.Description}
	}
	s, err := h.ideas.PutSettings(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toSettingsResponse(s, h.processes.Now()))
}
