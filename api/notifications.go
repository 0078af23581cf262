package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/notify"
)

// followRequest names a subject to follow.
type followRequest struct {
	TargetKind string `json:"target_kind" binding:"max=20"`
	TargetID   int64  `json:"target_id"`
	// TargetSlug names a process by its slug instead of its id.
	TargetSlug string `json:"target_slug" binding:"max=80"`
}

type followResponse struct {
	TargetKind   string    `json:"target_kind"`
	TargetID     int64     `json:"target_id"`
	Auto         bool      `json:"auto"`
	CreatedAt    time.Time `json:"created_at"`
	Title        string    `json:"title"`
	ProcessSlug  string    `json:"process_slug"`
	ProcessTitle string    `json:"process_title"`
}

type followsResponse struct {
	Items []followResponse `json:"items"`
}

func toFollowResponse(f notify.Follow) followResponse {
	return followResponse{TargetKind: string(f.TargetKind), TargetID: f.TargetID, Auto: f.Auto, CreatedAt: f.CreatedAt.UTC(),
		Title: f.Title, ProcessSlug: f.ProcessSlug, ProcessTitle: f.ProcessTitle}
}

// notificationResponse is one notification: what happened, in plain-text
// facts the web app words in the reader's language, and where it leads.
type notificationResponse struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at"`
	Path         string     `json:"path"`
	ProcessSlug  string     `json:"process_slug"`
	ProcessTitle string     `json:"process_title"`
	Title        string     `json:"title"`
	Number       int        `json:"number"`
	Disposition  string     `json:"disposition"`
	Phase        string     `json:"phase"`
}

type notificationPageResponse struct {
	Items      []notificationResponse `json:"items"`
	NextCursor *string                `json:"next_cursor"`
}

type unreadResponse struct {
	Unread int64 `json:"unread"`
}

type readAllResponse struct {
	Marked int64 `json:"marked"`
}

// notificationSettingsResponse is the e-mail choice for every kind.
type notificationSettingsResponse struct {
	Settings map[string]string `json:"settings"`
}

// notificationSettingsRequest changes the choices of the kinds it names.
type notificationSettingsRequest struct {
	Settings map[string]string `json:"settings" binding:"required,max=20"`
}

// unsubscribeRequest carries the token of an e-mailed link.
type unsubscribeRequest struct {
	Token string `json:"token" binding:"required,max=200"`
}

func toNotificationSettingsResponse(m map[notify.Kind]notify.Frequency) notificationSettingsResponse {
	out := notificationSettingsResponse{Settings: make(map[string]string, len(m))}
	for k, v := range m {
		out.Settings[string(k)] = string(v)
	}
	return out
}

// listFollows handles GET /api/v1/me/follows.
func (h *handlers) listFollows(c *gin.Context) {
	fs, err := h.notify.Follows(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := followsResponse{Items: make([]followResponse, len(fs))}
	for i, f := range fs {
		res.Items[i] = toFollowResponse(f)
	}
	c.JSON(http.StatusOK, res)
}

// follow handles POST /api/v1/me/follows.
func (h *handlers) follow(c *gin.Context) {
	var req followRequest
	if !h.bind(c, &req) {
		return
	}
	f, err := h.notify.Follow(c.Request.Context(), actorFrom(c), notify.Subject{Kind: req.TargetKind, ID: req.TargetID, Slug: req.TargetSlug})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toFollowResponse(f))
}

// unfollow handles DELETE /api/v1/me/follows?target_kind=&target_id= (or
// &target_slug= for a process).
func (h *handlers) unfollow(c *gin.Context) {
	var f apperr.Fields
	id := queryID(c, &f, "target_id")
	if err := f.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return
	}
	in := notify.Subject{Kind: c.Query("target_kind"), ID: id, Slug: c.Query("target_slug")}
	if err := h.notify.Unfollow(c.Request.Context(), actorFrom(c), in); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listNotifications handles GET /api/v1/me/notifications.
func (h *handlers) listNotifications(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, notify.MaxPageSize)
	if !ok {
		return
	}
	var before int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 1 {
			h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "cursor", Code: "cursor", Message: "not a cursor this server issued"}))
			return
		}
		before = n
	}
	page, err := h.notify.List(c.Request.Context(), actorFrom(c), before, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := notificationPageResponse{Items: make([]notificationResponse, len(page.Items))}
	for i, n := range page.Items {
		res.Items[i] = notificationResponse{ID: n.ID, Kind: string(n.Kind), CreatedAt: n.CreatedAt.UTC(), ReadAt: utcPtr(n.ReadAt),
			Path: n.Path(), ProcessSlug: n.Facts.ProcessSlug, ProcessTitle: n.Facts.ProcessTitle, Title: n.Facts.Title,
			Number: n.Facts.Number, Disposition: n.Facts.Disposition, Phase: n.Facts.Phase}
	}
	if page.NextBefore > 0 {
		s := strconv.FormatInt(page.NextBefore, 10)
		res.NextCursor = &s
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, res)
}

// unreadNotifications handles GET /api/v1/me/notifications/unread.
func (h *handlers) unreadNotifications(c *gin.Context) {
	n, err := h.notify.Unread(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, unreadResponse{Unread: n})
}

// readNotification handles POST /api/v1/me/notifications/:notificationID/read.
func (h *handlers) readNotification(c *gin.Context) {
	id, ok := h.pathID(c, "notificationID")
	if !ok {
		return
	}
	if err := h.notify.MarkRead(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// readAllNotifications handles POST /api/v1/me/notifications/read-all.
func (h *handlers) readAllNotifications(c *gin.Context) {
	n, err := h.notify.MarkAllRead(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, readAllResponse{Marked: n})
}

// getNotificationSettings handles GET /api/v1/me/notification-settings.
func (h *handlers) getNotificationSettings(c *gin.Context) {
	m, err := h.notify.Settings(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toNotificationSettingsResponse(m))
}

// putNotificationSettings handles PUT /api/v1/me/notification-settings.
func (h *handlers) putNotificationSettings(c *gin.Context) {
	var req notificationSettingsRequest
	if !h.bind(c, &req) {
		return
	}
	m, err := h.notify.PutSettings(c.Request.Context(), actorFrom(c), req.Settings)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toNotificationSettingsResponse(m))
}

// unsubscribe handles POST /api/v1/unsubscribe: the web app's page sends
// {"token": ...} as JSON; a mail client's one-click request (RFC 8058) sends
// the token in the query and "List-Unsubscribe=One-Click" as a form.
func (h *handlers) unsubscribe(c *gin.Context) {
	token, ok := c.GetQuery("token")
	if ok {
		// The form's only field says nothing we need; read it within the limit.
		_, _ = io.Copy(io.Discard, c.Request.Body)
	} else {
		var req unsubscribeRequest
		if !h.bind(c, &req) {
			return
		}
		token = req.Token
	}
	if err := h.notify.Unsubscribe(c.Request.Context(), strings.TrimSpace(token)); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
