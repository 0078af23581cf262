package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/process"
)

type grantRoleRequest struct {
	Seat         *string `json:"seat" binding:"omitempty,max=40"`
	Organisation *string `json:"organisation" binding:"omitempty,max=200"`
}

type roleResponse struct {
	UserID       int64           `json:"user_id"`
	Name         string          `json:"name"`
	Role         process.Role    `json:"role"`
	Seat         *string         `json:"seat"`
	Organisation *string         `json:"organisation"`
	GrantedAt    time.Time       `json:"granted_at"`
	GrantedBy    *authorResponse `json:"granted_by"` // nil: the command line, or an account since removed
}

func toRoleResponse(g process.Grant) roleResponse {
	r := roleResponse{UserID: g.UserID, Name: g.Name, Role: g.Role, Organisation: g.Organisation, GrantedAt: g.GrantedAt.UTC()}
	if g.GrantedBy != nil && g.GrantedByName != nil {
		r.GrantedBy = &authorResponse{ID: *g.GrantedBy, Name: *g.GrantedByName}
	}
	if g.Seat != nil {
		s := string(*g.Seat)
		r.Seat = &s
	}
	return r
}

var errBadUserID = apperr.NotFound("account.not_found", "no such account")

// roleTarget reads the :userID and :role path parameters.
func (h *handlers) roleTarget(c *gin.Context) (int64, process.Role, bool) {
	id, err := strconv.ParseInt(c.Param("userID"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, errBadUserID)
		return 0, "", false
	}
	return id, process.Role(c.Param("role")), true
}

// listRoles handles GET /api/v1/processes/:slug/roles.
func (h *handlers) listRoles(c *gin.Context) {
	gs, err := h.processes.Roles(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]roleResponse, len(gs))
	for i, g := range gs {
		out[i] = toRoleResponse(g)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// grantRole handles PUT /api/v1/processes/:slug/roles/:userID/:role.
func (h *handlers) grantRole(c *gin.Context) {
	var req grantRoleRequest
	if !h.bind(c, &req) {
		return
	}
	userID, role, ok := h.roleTarget(c)
	if !ok {
		return
	}
	in := process.RoleInput{UserID: userID, Role: role, Organisation: req.Organisation}
	if req.Seat != nil {
		seat := process.Seat(*req.Seat)
		in.Seat = &seat
	}
	g, err := h.processes.GrantRole(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "role granted", "process", c.Param("slug"), "user_id", userID, "role", string(role), "by", actorFrom(c).UserID)
	c.JSON(http.StatusOK, toRoleResponse(g))
}

// revokeRole handles DELETE /api/v1/processes/:slug/roles/:userID/:role.
func (h *handlers) revokeRole(c *gin.Context) {
	userID, role, ok := h.roleTarget(c)
	if !ok {
		return
	}
	if err := h.processes.RevokeRole(c.Request.Context(), actorFrom(c), c.Param("slug"), userID, role); err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "role revoked", "process", c.Param("slug"), "user_id", userID, "role", string(role), "by", actorFrom(c).UserID)
	c.Status(http.StatusNoContent)
}
