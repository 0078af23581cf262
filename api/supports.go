// Supports of ideas: giving, taking back, and one's own with what is left.

package api

import "github.com/gin-gonic/gin"

type supportStateResponse struct {
	IdeaID    int64 `json:"idea_id"`
	Supports  int   `json:"supports"`
	Supported bool  `json:"supported"`
	Remaining *int  `json:"remaining"`
}

type mySupportsResponse struct {
	SupportLimit int     `json:"support_limit"`
	OnePerTheme  bool    `json:"one_per_theme"`
	Used         int     `json:"used"`
	Remaining    *int    `json:"remaining"`
	Ideas        []int64 `json:"ideas"`
	Themes       []int64 `json:"themes"`
}

// supportIdea handles PUT /api/v1/ideas/:ideaID/support.
func (h *handlers) supportIdea(c *gin.Context) {
	h.changeSupport(c, true)
}

// retractSupport handles DELETE /api/v1/ideas/:ideaID/support.
func (h *handlers) retractSupport(c *gin.Context) {
	h.changeSupport(c, false)
}

func (h *handlers) changeSupport(c *gin.Context, give bool) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	change := h.ideas.Retract
	if give {
		change = h.ideas.Support
	}
	st, err := change(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, supportStateResponse{IdeaID: st.IdeaID, Supports: st.Supports, Supported: st.Supported, Remaining: st.Remaining})
}

// getMySupports handles GET /api/v1/processes/:slug/my-supports.
func (h *handlers) getMySupports(c *gin.Context) {
	m, err := h.ideas.MySupports(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, mySupportsResponse{SupportLimit: m.SupportLimit, OnePerTheme: m.OnePerTheme, Used: m.Used, Remaining: m.Remaining,
		Ideas: m.Ideas, Themes: m.Themes})
}
