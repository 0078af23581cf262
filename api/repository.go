package api

import (
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/repository"
)

type addRepositoryLinkRequest struct {
	Kind     string `json:"kind" binding:"max=40"`
	Title    string `json:"title" binding:"max=1000"`
	Date     string `json:"date" binding:"max=40"`
	Language string `json:"language" binding:"max=64"`
	URL      string `json:"url" binding:"max=4000"`
}

type repositoryFileResponse struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	SizeBytes   int64  `json:"size_bytes"`
	SHA256      string `json:"sha256"`
	DownloadURL string `json:"download_url"`
}

// repositoryItemResponse is an item as the public sees it: no uploader.
type repositoryItemResponse struct {
	ID       int64                   `json:"id"`
	Kind     repository.Kind         `json:"kind"`
	Title    string                  `json:"title"`
	Date     string                  `json:"date"`
	Language string                  `json:"language"`
	File     *repositoryFileResponse `json:"file"`
	URL      *string                 `json:"url"`
	AddedAt  time.Time               `json:"added_at"`
}

type repositoryPageResponse struct {
	Items      []repositoryItemResponse `json:"items"`
	NextCursor *string                  `json:"next_cursor"`
	// UploadMaxBytes lets the upload form refuse a file before sending it.
	UploadMaxBytes int64 `json:"upload_max_bytes"`
}

type repositoryExportResponse struct {
	Process string                `json:"process"`
	Items   []repository.Exported `json:"items"`
}

func toRepositoryItem(it repository.Item) repositoryItemResponse {
	r := repositoryItemResponse{ID: it.ID, Kind: it.Kind, Title: it.Title, Date: it.Date, Language: it.Language, URL: it.URL,
		AddedAt: it.CreatedAt.UTC()}
	if f := it.File; f != nil {
		r.File = &repositoryFileResponse{Name: f.Name, ContentType: f.ContentType, SizeBytes: f.Size,
			SHA256: hex.EncodeToString(f.SHA256), DownloadURL: repository.DownloadPath(it.ID)}
	}
	return r
}

// listRepository handles GET /api/v1/processes/:slug/repository.
func (h *handlers) listRepository(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, repository.MaxPageSize)
	if !ok {
		return
	}
	page, err := h.repository.List(c.Request.Context(), actorFrom(c), c.Param("slug"),
		repository.Filter{Kind: repository.Kind(c.Query("kind")), Cursor: cursor, Limit: limit})
	if err != nil {
		h.fail(c, err)
		return
	}
	res := repositoryPageResponse{Items: make([]repositoryItemResponse, len(page.Items)), UploadMaxBytes: h.cfg.UploadMaxBytes}
	for i, it := range page.Items {
		res.Items[i] = toRepositoryItem(it)
	}
	if page.NextCursor != "" {
		res.NextCursor = &page.NextCursor
	}
	if !page.Process.Public() {
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, res)
		return
	}
	// Short: the owner's own upload must show at once (the SPA revalidates after a write).
	h.publicJSON(c, res, "5")
}

// exportRepository handles GET /api/v1/processes/:slug/repository/export.
func (h *handlers) exportRepository(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	items, p, err := h.repository.Export(c.Request.Context(), actorFrom(c), slug, h.cfg.PublicURL)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Public() {
		c.Header("Cache-Control", "public, max-age=60")
	} else {
		c.Header("Cache-Control", "private, no-store")
	}
	if format == "csv" {
		h.sendCSV(c, slug+"-repository.csv", func(w io.Writer) error { return repository.WriteCSV(w, items) })
		return
	}
	c.JSON(http.StatusOK, repositoryExportResponse{Process: slug, Items: items})
}

// repositoryFormFields are the fields of the upload form besides the file.
var repositoryFormFields = map[string]bool{"kind": true, "title": true, "date": true, "language": true}

// addRepositoryFile handles POST /api/v1/processes/:slug/repository/files, a
// multipart form: file, kind, title, date, language.
func (h *handlers) addRepositoryFile(c *gin.Context) {
	ctx := c.Request.Context()
	actor := actorFrom(c)
	slug := c.Param("slug")
	// Who may not upload here is told so before the file is read.
	if err := h.repository.CheckManage(ctx, actor, slug); err != nil {
		h.fail(c, err)
		return
	}
	f, ok := h.formFile(c, "file", nil)
	if !ok {
		return
	}
	defer f.File.Close()
	values := c.Request.MultipartForm.Value
	for name, v := range values {
		if !repositoryFormFields[name] || len(v) > 1 {
			h.fail(c, errUnknownField.WithMessage("the form field %q is not taken here, or is sent twice", name))
			return
		}
	}
	for name, v := range c.Request.MultipartForm.File {
		if name != "file" || len(v) > 1 {
			h.fail(c, errUnknownField.WithMessage("send one file, in the form field \"file\""))
			return
		}
	}
	value := func(name string) string {
		if v := values[name]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	it, err := h.repository.AddFile(ctx, actor, slug,
		repository.Meta{Kind: repository.Kind(value("kind")), Title: value("title"), Date: value("date"), Language: value("language")},
		repository.FileInput{Name: f.Name, ContentType: f.ContentType, Size: f.Size, Body: f.File})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toRepositoryItem(it))
}

// addRepositoryLink handles POST /api/v1/processes/:slug/repository/links.
func (h *handlers) addRepositoryLink(c *gin.Context) {
	var req addRepositoryLinkRequest
	if !h.bind(c, &req) {
		return
	}
	it, err := h.repository.AddLink(c.Request.Context(), actorFrom(c), c.Param("slug"),
		repository.Meta{Kind: repository.Kind(req.Kind), Title: req.Title, Date: req.Date, Language: req.Language}, req.URL)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toRepositoryItem(it))
}

// deleteRepositoryItem handles DELETE /api/v1/repository/:itemID.
func (h *handlers) deleteRepositoryItem(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	if err := h.repository.Delete(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// downloadRepositoryFile handles GET /api/v1/repository/:itemID/file: the
// stored bytes as an attachment of the type detected at upload, never to be
// sniffed or run by the browser. The file of an item never changes, so its
// sha256 is a strong ETag, and range requests are answered.
func (h *handlers) downloadRepositoryFile(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	d, err := h.repository.Open(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer d.Body.Close()
	f := d.Item.File
	hd := c.Writer.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Disposition", attachment(f.Name))
	hd.Set("X-Content-Type-Options", "nosniff")
	// Opened in a tab after all, the file may run nothing and load nothing.
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("ETag", `"`+hex.EncodeToString(f.SHA256)+`"`)
	if d.Public {
		hd.Set("Cache-Control", "public, max-age=300")
	} else {
		hd.Set("Cache-Control", "private, no-store")
	}
	if rs, ok := d.Body.(io.ReadSeeker); ok {
		// ServeContent answers If-None-Match (304) and Range (206) itself.
		http.ServeContent(c.Writer, c.Request, "", d.Item.CreatedAt, rs)
		return
	}
	if matchesETag(c.GetHeader("If-None-Match"), hd.Get("ETag")) {
		c.Status(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, d.Body); err != nil {
		h.log.WarnContext(c.Request.Context(), "download interrupted", "item", id, "error", err.Error())
	}
}

// attachment is a Content-Disposition that saves the file under name: an
// ASCII fallback for old clients and the exact name in UTF-8 (RFC 6266,
// RFC 5987).
func attachment(name string) string {
	var fallback, exact strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%':
			fallback.WriteByte('_')
		default:
			fallback.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			exact.WriteByte(b)
		} else {
			exact.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{b})))
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + exact.String()
}
