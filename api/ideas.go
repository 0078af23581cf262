package api

import (
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/idea"
)

type ideaParagraphJSON struct {
	DocumentID int64  `json:"document_id" binding:"required,min=1"`
	Key        string `json:"key" binding:"required,max=40"`
}

type createIdeaRequest struct {
	Title       string             `json:"title" binding:"required,max=600"`
	Body        string             `json:"body" binding:"required,max=40000"`
	ThemeID     int64              `json:"theme_id" binding:"required,min=1"`
	Paragraph   *ideaParagraphJSON `json:"paragraph"`
	Channel     string             `json:"channel" binding:"omitempty,oneof=online paper phone email workshop"`
	Contributor *string            `json:"contributor" binding:"omitempty,max=320"`
	ReceivedOn  *string            `json:"received_on" binding:"omitempty,datetime=2006-01-02"`
}

type editIdeaRequest struct {
	Title    string `json:"title" binding:"required,max=600"`
	Body     string `json:"body" binding:"required,max=40000"`
	ThemeID  int64  `json:"theme_id" binding:"required,min=1"`
	Revision int    `json:"revision" binding:"required,min=1"`
}

type mergeIdeaRequest struct {
	Into int64 `json:"into" binding:"required,min=1"`
}

type ideaResponse struct {
	ID               int64              `json:"id"`
	ProcessID        int64              `json:"process_id"`
	Title            string             `json:"title"`
	Body             string             `json:"body"`
	BodyHTML         string             `json:"body_html"`
	Theme            *themeResponse     `json:"theme"`
	Status           idea.Status        `json:"status"`
	MergedInto       *int64             `json:"merged_into"`
	Author           authorResponse     `json:"author"`
	Channel          idea.Channel       `json:"channel"`
	Contributor      *string            `json:"contributor"`
	ReceivedOn       *string            `json:"received_on"`
	Paragraph        *ideaParagraphJSON `json:"paragraph"`
	Supports         int                `json:"supports"`
	Comments         int                `json:"comments"`
	Revision         int                `json:"revision"`
	Moderation       idea.Moderation    `json:"moderation"`
	Editable         bool               `json:"editable"`
	CreatedAt        time.Time          `json:"created_at"`
	EditedAt         *time.Time         `json:"edited_at"`
	StatusChangedAt  *time.Time         `json:"status_changed_at"`
	StatusResponseID *int64             `json:"status_response_id"`
	Supported        *bool              `json:"supported"`
	CanMerge         *bool              `json:"can_merge"`
	// EditPending says an edit of the idea waits for a moderator; its title
	// and text go only to its author.
	EditPending  bool    `json:"edit_pending"`
	PendingTitle *string `json:"pending_title,omitempty"`
	PendingBody  *string `json:"pending_body,omitempty"`
}

type ideaPageResponse struct {
	Items      []ideaResponse `json:"items"`
	NextCursor *string        `json:"next_cursor"`
}

type ideaListResponse struct {
	Items []ideaResponse `json:"items"`
}

type ideaExportResponse struct {
	Process string          `json:"process"`
	Ideas   []idea.Exported `json:"ideas"`
}

func toIdeaResponse(i idea.Idea) ideaResponse {
	r := ideaResponse{ID: i.ID, ProcessID: i.ProcessID, Title: i.Title, Body: i.Body, BodyHTML: i.BodyHTML,
		Theme:  &themeResponse{ID: i.ThemeID, Name: i.ThemeName, Description: i.ThemeDescription, Position: i.ThemePosition},
		Status: i.Status, MergedInto: i.MergedInto, Author: authorResponse{ID: i.AuthorID, Name: i.AuthorName},
		Channel: i.Channel, Contributor: i.Contributor, ReceivedOn: dateString(i.ReceivedOn), Supports: i.Supports, Comments: i.Comments, Revision: i.Revision,
		Moderation: i.Moderation, Editable: i.Editable(), CreatedAt: i.CreatedAt.UTC(), EditedAt: utcPtr(i.EditedAt),
		StatusChangedAt: utcPtr(i.StatusChangedAt), StatusResponseID: i.StatusResponseID, Supported: i.Supported, CanMerge: i.CanMerge,
		EditPending: i.EditPending, PendingTitle: i.PendingTitle, PendingBody: i.PendingBody}
	if i.DocumentID != nil && i.ParagraphKey != nil {
		r.Paragraph = &ideaParagraphJSON{DocumentID: *i.DocumentID, Key: *i.ParagraphKey}
	}
	return r
}

func toIdeaList(ideas []idea.Idea) []ideaResponse {
	out := make([]ideaResponse, len(ideas))
	for n, i := range ideas {
		out[n] = toIdeaResponse(i)
	}
	return out
}

// ideaFilter reads the query of GET /processes/:slug/ideas; every value is
// checked against an allow-list or parsed as a number.
func (h *handlers) ideaFilter(c *gin.Context) (idea.Filter, bool) {
	var f apperr.Fields
	limit, cursor, ok := h.pageParams(c, 20, 100)
	if !ok {
		return idea.Filter{}, false
	}
	out := idea.Filter{Limit: limit, Cursor: cursor, Sort: idea.Sort(c.DefaultQuery("sort", string(idea.SortNewest)))}
	switch out.Sort {
	case idea.SortSupported, idea.SortNewest, idea.SortDiscussed, idea.SortRandom, idea.SortRelevant:
	default:
		f.Add("sort", "enum", "supported, newest, discussed, random or relevant")
	}
	if s, ok := c.GetQuery("seed"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.Add("seed", "integer", "a whole number")
		}
		out.Seed = n
	}
	if s, ok := c.GetQuery("theme"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			f.Add("theme", "integer", "a theme id")
		}
		out.ThemeID = n
	}
	if s, ok := c.GetQuery("status"); ok {
		out.Status = idea.Status(s)
		if !out.Status.Valid() {
			f.Add("status", "enum", "one of the idea statuses")
		}
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"mine", &out.Mine}, {"supported", &out.Supported}} {
		if s, ok := c.GetQuery(b.name); ok {
			v, err := strconv.ParseBool(s)
			if err != nil {
				f.Add(b.name, "boolean", "true or false")
			}
			*b.dst = v
		}
	}
	out.Query = c.Query("q")
	if utf8.RuneCountInString(out.Query) > 200 || !utf8.ValidString(out.Query) || strings.ContainsRune(out.Query, 0) {
		f.Add("q", "length", "at most 200 characters")
	}
	if err := f.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return idea.Filter{}, false
	}
	if (out.Mine || out.Supported) && !actorFrom(c).Authenticated() {
		h.fail(c, errSignInToFilter)
		return idea.Filter{}, false
	}
	return out, true
}

var errSignInToFilter = apperr.Unauthenticated("auth.required", "sign in to list your own or supported ideas")

// listIdeas handles GET /api/v1/processes/:slug/ideas.
func (h *handlers) listIdeas(c *gin.Context) {
	f, ok := h.ideaFilter(c)
	if !ok {
		return
	}
	p, err := h.ideas.List(c.Request.Context(), actorFrom(c), c.Param("slug"), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := ideaPageResponse{Items: toIdeaList(p.Items)}
	if p.NextCursor != "" {
		res.NextCursor = &p.NextCursor
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(200, res)
}

// similarIdeas handles GET /api/v1/processes/:slug/ideas/similar.
func (h *handlers) similarIdeas(c *gin.Context) {
	text := c.Query("text")
	if n := utf8.RuneCountInString(text); n == 0 || n > 2000 || !utf8.ValidString(text) {
		h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "text", Code: "length", Message: "1 to 2000 characters"}))
		return
	}
	ideas, err := h.ideas.Similar(c.Request.Context(), actorFrom(c), c.Param("slug"), text)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(200, ideaListResponse{Items: toIdeaList(ideas)})
}

// exportIdeas handles GET /api/v1/processes/:slug/ideas/export.
func (h *handlers) exportIdeas(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	ideas, err := h.ideas.Export(c.Request.Context(), actorFrom(c), slug)
	if err != nil {
		h.fail(c, err)
		return
	}
	publicCache(c, "60")
	if format == "csv" {
		h.sendCSV(c, slug+"-ideas.csv", func(w io.Writer) error { return idea.WriteCSV(w, ideas) })
		return
	}
	c.JSON(200, ideaExportResponse{Process: slug, Ideas: ideas})
}

// createIdea handles POST /api/v1/processes/:slug/ideas.
func (h *handlers) createIdea(c *gin.Context) {
	var req createIdeaRequest
	if !h.bind(c, &req) {
		return
	}
	in := idea.CreateInput{Title: req.Title, Body: req.Body, ThemeID: req.ThemeID, Channel: idea.Channel(req.Channel),
		Contributor: req.Contributor}
	if req.ReceivedOn != nil {
		d, _ := time.Parse(time.DateOnly, *req.ReceivedOn) // the request's rules checked it is a date
		in.ReceivedOn = &d
	}
	if req.Paragraph != nil {
		in.DocumentID, in.ParagraphKey = &req.Paragraph.DocumentID, &req.Paragraph.Key
	}
	i, err := h.ideas.Create(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toIdeaResponse(i))
}

// getIdea handles GET /api/v1/ideas/:ideaID.
func (h *handlers) getIdea(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	i, err := h.ideas.Get(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(200, toIdeaResponse(i))
}

// editIdea handles PATCH /api/v1/ideas/:ideaID.
func (h *handlers) editIdea(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	var req editIdeaRequest
	if !h.bind(c, &req) {
		return
	}
	i, err := h.ideas.Edit(c.Request.Context(), actorFrom(c), id,
		idea.EditInput{Title: req.Title, Body: req.Body, ThemeID: req.ThemeID, Revision: req.Revision})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toIdeaResponse(i))
}

// withdrawIdea handles POST /api/v1/ideas/:ideaID/withdraw.
func (h *handlers) withdrawIdea(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	i, err := h.ideas.Withdraw(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toIdeaResponse(i))
}

// mergeIdea handles POST /api/v1/ideas/:ideaID/merge.
func (h *handlers) mergeIdea(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	var req mergeIdeaRequest
	if !h.bind(c, &req) {
		return
	}
	i, err := h.ideas.Merge(c.Request.Context(), actorFrom(c), id, req.Into)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toIdeaResponse(i))
}

// listIdeaComments handles GET /api/v1/ideas/:ideaID/comments.
func (h *handlers) listIdeaComments(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	limit, cursor, ok := h.pageParams(c, 200, 500)
	if !ok {
		return
	}
	if _, err := h.ideas.Get(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.comments.IdeaThread(c.Request.Context(), id, cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(200, toCommentPage(p))
}

// listMyIdeaVotes handles GET /api/v1/ideas/:ideaID/my-votes.
func (h *handlers) listMyIdeaVotes(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	if _, err := h.ideas.Get(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	votes, err := h.comments.MyVotesOnIdea(c.Request.Context(), actorFrom(c), id)
	h.answerMyVotes(c, votes, err)
}

// createIdeaComment handles POST /api/v1/ideas/:ideaID/comments.
func (h *handlers) createIdeaComment(c *gin.Context) {
	id, ok := h.pathID(c, "ideaID")
	if !ok {
		return
	}
	var req replyRequest
	if !h.bind(c, &req) {
		return
	}
	cm, err := h.comments.CreateOnIdea(c.Request.Context(), actorFrom(c), id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toCommentResponse(cm))
}
