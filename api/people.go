package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/process"
	"cocreate/internal/ratelimit"
)

// rulePeopleSearch bounds the account searches of one account, so that even
// an owner cannot walk the list of accounts or try addresses in bulk.
var rulePeopleSearch = ratelimit.Rule{Name: "people:account", Limit: 30, Window: time.Minute}

type personResponse struct {
	UserID int64          `json:"user_id"`
	Name   string         `json:"name"`
	Roles  []process.Role `json:"roles"`
}

type peoplePageResponse struct {
	Items      []personResponse `json:"items"`
	NextCursor *string          `json:"next_cursor"`
	Match      string           `json:"match"` // "email" or "name"
}

// findPeople handles GET /api/v1/processes/:slug/people?q=: accounts to give a
// role, found by exact e-mail address or by part of a display name.
func (h *handlers) findPeople(c *gin.Context) {
	actor := actorFrom(c)
	if !h.limit(c, rulePeopleSearch, strconv.FormatInt(actor.UserID, 10)) {
		return
	}
	limit, cursor, ok := h.pageParams(c, 20, process.MaxPeoplePage)
	if !ok {
		return
	}
	q := c.Query("q")
	p, err := h.processes.FindPeople(c.Request.Context(), actor, c.Param("slug"), process.PeopleQuery{Text: q, Cursor: cursor, Limit: limit})
	if err != nil {
		h.fail(c, err)
		return
	}
	res := peoplePageResponse{Items: make([]personResponse, len(p.Items)), Match: "name"}
	if p.ByEmail {
		res.Match = "email"
	}
	for i, person := range p.Items {
		roles := person.Roles
		if roles == nil {
			roles = []process.Role{}
		}
		res.Items[i] = personResponse{UserID: person.UserID, Name: person.Name, Roles: roles}
	}
	if p.NextCursor != "" {
		res.NextCursor = &p.NextCursor
	}
	// The query itself may be an address: it stays out of the log.
	h.log.InfoContext(c.Request.Context(), "account search", "process", c.Param("slug"), "match", res.Match,
		"found", len(res.Items), "by", actor.UserID, "query_chars", len([]rune(strings.TrimSpace(q))))
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, res)
}
