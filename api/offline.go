package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/idea"
	"cocreate/internal/offline"
)

// provenanceOf is how a contribution received offline came: its channel, its
// contributor as they agreed to be named (nil: anonymous) and the date
// received (validated as a date by the request's rules).
func provenanceOf(channel string, contributor *string, receivedOn string) contribution.Provenance {
	p := contribution.Provenance{Channel: contribution.Channel(channel), Contributor: contributor}
	if d, err := time.Parse(time.DateOnly, receivedOn); err == nil {
		p.ReceivedOn = &d
	}
	return p
}

type offlineIdeaRequest struct {
	Channel     string  `json:"channel" binding:"required,oneof=paper phone email workshop"`
	Contributor *string `json:"contributor" binding:"omitempty,max=320"`
	ReceivedOn  string  `json:"received_on" binding:"required,datetime=2006-01-02"`
	Title       string  `json:"title" binding:"required,max=600"`
	Body        string  `json:"body" binding:"required,max=40000"`
	ThemeID     int64   `json:"theme_id" binding:"required,min=1"`
}

type offlineCommentRequest struct {
	Channel      string  `json:"channel" binding:"required,oneof=paper phone email workshop"`
	Contributor  *string `json:"contributor" binding:"omitempty,max=320"`
	ReceivedOn   string  `json:"received_on" binding:"required,datetime=2006-01-02"`
	DocumentID   int64   `json:"document_id" binding:"required,min=1"`
	ParagraphKey string  `json:"paragraph_key" binding:"required,max=40"`
	Version      int     `json:"version" binding:"required,min=1"`
	Body         string  `json:"body" binding:"required,max=40000"`
}

type attachmentResponse struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	SizeBytes   int64  `json:"size_bytes"`
	URL         string `json:"url"`
}

type offlineEntryResponse struct {
	Kind         offline.Kind         `json:"kind"`
	ID           int64                `json:"id"`
	Title        *string              `json:"title"`
	Excerpt      string               `json:"excerpt"`
	Channel      contribution.Channel `json:"channel"`
	Contributor  *string              `json:"contributor"`
	ReceivedOn   *string              `json:"received_on"`
	CreatedAt    time.Time            `json:"created_at"`
	State        string               `json:"state"`
	DocumentID   *int64               `json:"document_id"`
	ParagraphKey *string              `json:"paragraph_key"`
	EnteredBy    string               `json:"entered_by"`
	Attachment   *attachmentResponse  `json:"attachment"`
}

type offlinePageResponse struct {
	Items      []offlineEntryResponse `json:"items"`
	NextCursor *string                `json:"next_cursor"`
}

// excerptRunes is how much of a contribution's text an entry shows.
const excerptRunes = 280

func excerpt(s string) string {
	r := []rune(s)
	if len(r) > excerptRunes {
		return string(r[:excerptRunes])
	}
	return s
}

func dateString(d *time.Time) *string {
	if d == nil {
		return nil
	}
	s := d.Format(time.DateOnly)
	return &s
}

func toAttachmentResponse(a *offline.Attachment) *attachmentResponse {
	if a == nil {
		return nil
	}
	return &attachmentResponse{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, SizeBytes: a.SizeBytes,
		URL: "/api/v1/contribution-attachments/" + strconv.FormatInt(a.ID, 10)}
}

func toOfflineEntry(e offline.Entry) offlineEntryResponse {
	return offlineEntryResponse{Kind: e.Kind, ID: e.ID, Title: e.Title, Excerpt: excerpt(e.Excerpt), Channel: e.Provenance.Channel,
		Contributor: e.Provenance.Contributor, ReceivedOn: dateString(e.Provenance.ReceivedOn), CreatedAt: e.CreatedAt.UTC(),
		State: e.State, DocumentID: e.DocumentID, ParagraphKey: e.ParagraphKey, EnteredBy: e.EnteredBy,
		Attachment: toAttachmentResponse(e.Attachment)}
}

// offlineForm reads the multipart form of an entry: its fields as JSON in the
// "contribution" part, into dst, and the optional scan in the "file" part.
// No other part is taken. On failure it has already answered.
func (h *handlers) offlineForm(c *gin.Context, dst any) (*offline.Scan, bool) {
	if err := c.Request.ParseMultipartForm(4 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(c, errUploadTooLarge)
		} else {
			h.fail(c, errMalformed.WithMessage("the request is not a readable multipart form"))
		}
		return nil, false
	}
	form := c.Request.MultipartForm
	for name := range form.Value {
		if name != "contribution" {
			h.fail(c, errUnknownField.WithMessage("unknown part %q", name))
			return nil, false
		}
	}
	for name := range form.File {
		if name != "file" {
			h.fail(c, errUnknownField.WithMessage("unknown part %q", name))
			return nil, false
		}
	}
	if v := form.Value["contribution"]; len(v) != 1 {
		h.fail(c, errMalformed.WithMessage("the form needs exactly one contribution part"))
		return nil, false
	} else if !h.decodeStrict(c, []byte(v[0]), dst) {
		return nil, false
	}
	if len(form.File["file"]) == 0 {
		return nil, true
	}
	if len(form.File["file"]) > 1 {
		h.fail(c, errMalformed.WithMessage("the form has more than one file"))
		return nil, false
	}
	f, ok := h.formFile(c, "file", offline.ScanTypes)
	if !ok {
		return nil, false
	}
	return &offline.Scan{Name: f.Name, ContentType: f.ContentType, Size: f.Size, Content: f.File}, true
}

// enterOfflineIdea handles POST /api/v1/processes/:slug/offline/ideas.
func (h *handlers) enterOfflineIdea(c *gin.Context) {
	var req offlineIdeaRequest
	scan, ok := h.offlineForm(c, &req)
	if !ok {
		return
	}
	i, att, err := h.offline.EnterIdea(c.Request.Context(), actorFrom(c), c.Param("slug"), offline.IdeaInput{
		Received: provenanceOf(req.Channel, req.Contributor, req.ReceivedOn), Title: req.Title, Body: req.Body, ThemeID: req.ThemeID}, scan)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "contribution entered on someone's behalf", "process", c.Param("slug"), "kind", "idea",
		"id", i.ID, "channel", string(i.Channel), "scan", att != nil, "by", actorFrom(c).UserID)
	c.JSON(http.StatusCreated, offlineEntryOfIdea(i, att))
}

func offlineEntryOfIdea(i idea.Idea, att *offline.Attachment) offlineEntryResponse {
	return toOfflineEntry(offline.Entry{Kind: offline.KindIdea, ID: i.ID, Title: &i.Title, Excerpt: i.Body, CreatedAt: i.CreatedAt,
		State: string(i.Moderation), EnteredBy: i.AuthorName, Attachment: att,
		Provenance: contribution.Provenance{Channel: i.Channel, Contributor: i.Contributor, ReceivedOn: i.ReceivedOn}})
}

// enterOfflineComment handles POST /api/v1/processes/:slug/offline/comments.
func (h *handlers) enterOfflineComment(c *gin.Context) {
	var req offlineCommentRequest
	scan, ok := h.offlineForm(c, &req)
	if !ok {
		return
	}
	cm, att, err := h.offline.EnterComment(c.Request.Context(), actorFrom(c), c.Param("slug"), offline.CommentInput{
		Received: provenanceOf(req.Channel, req.Contributor, req.ReceivedOn), DocumentID: req.DocumentID, ParagraphKey: req.ParagraphKey, Version: req.Version, Body: req.Body}, scan)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "contribution entered on someone's behalf", "process", c.Param("slug"), "kind", "comment",
		"id", cm.ID, "channel", string(cm.Channel), "scan", att != nil, "by", actorFrom(c).UserID)
	c.JSON(http.StatusCreated, offlineEntryOfComment(cm, att))
}

func offlineEntryOfComment(cm comment.Comment, att *offline.Attachment) offlineEntryResponse {
	doc, key := cm.DocumentID, cm.ParagraphKey
	return toOfflineEntry(offline.Entry{Kind: offline.KindComment, ID: cm.ID, Excerpt: cm.Body, CreatedAt: cm.CreatedAt,
		State: string(cm.Status), DocumentID: &doc, ParagraphKey: &key, EnteredBy: cm.AuthorName, Attachment: att,
		Provenance: contribution.Provenance{Channel: cm.Channel, Contributor: cm.Contributor, ReceivedOn: cm.ReceivedOn}})
}

// listOffline handles GET /api/v1/processes/:slug/offline.
func (h *handlers) listOffline(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, offline.MaxPageSize)
	if !ok {
		return
	}
	p, err := h.offline.List(c.Request.Context(), actorFrom(c), c.Param("slug"), cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := offlinePageResponse{Items: make([]offlineEntryResponse, len(p.Items))}
	for i, e := range p.Items {
		res.Items[i] = toOfflineEntry(e)
	}
	if p.NextCursor != "" {
		res.NextCursor = &p.NextCursor
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, res)
}

// getContributionAttachment handles GET /api/v1/contribution-attachments/:attachmentID:
// the private scan, as a download, to its process's owners and administrators.
func (h *handlers) getContributionAttachment(c *gin.Context) {
	id, ok := h.pathID(c, "attachmentID")
	if !ok {
		return
	}
	a, r, err := h.offline.Open(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer r.Close()
	h.log.InfoContext(c.Request.Context(), "scan of a contribution read", "attachment", id, "by", actorFrom(c).UserID)
	hd := c.Writer.Header()
	hd.Set("Content-Type", a.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(a.SizeBytes, 10))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	hd.Set("Content-Disposition", disposition)
	hd.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, r); err != nil {
		h.log.WarnContext(c.Request.Context(), "scan download interrupted", "attachment", id, "error", err.Error())
	}
}
