package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/document"
)

type createDocumentRequest struct {
	Title    string `json:"title" binding:"required,max=200"`
	Language string `json:"language" binding:"required,max=35"`
}

type importVersionRequest struct {
	Format   string  `json:"format" binding:"required,max=20"`
	Source   string  `json:"source" binding:"required"`
	Note     string  `json:"note" binding:"max=8000"`
	OpensAt  *string `json:"opens_at" binding:"omitempty,max=64"`
	ClosesAt *string `json:"closes_at" binding:"omitempty,max=64"`
}

type publishVersionRequest struct {
	OpensAt  *string `json:"opens_at" binding:"omitempty,max=64"`
	ClosesAt *string `json:"closes_at" binding:"omitempty,max=64"`
}

type versionSummaryResponse struct {
	Number       int             `json:"number"`
	SourceFormat document.Format `json:"source_format"`
	Note         string          `json:"note"`
	OpensAt      *time.Time      `json:"opens_at"`
	ClosesAt     *time.Time      `json:"closes_at"`
	CreatedAt    time.Time       `json:"created_at"`
	PublishedAt  *time.Time      `json:"published_at"`
}

type documentResponse struct {
	ID           int64                    `json:"id"`
	ProcessSlug  string                   `json:"process_slug"`
	Title        string                   `json:"title"`
	Language     string                   `json:"language"`
	LatestNumber *int                     `json:"latest_number"`
	CreatedAt    time.Time                `json:"created_at"`
	Versions     []versionSummaryResponse `json:"versions"`
}

type documentListResponse struct {
	Items []documentResponse `json:"items"`
}

type countsResponse struct {
	Comments int `json:"comments"`
	Agree    int `json:"agree"`
	Disagree int `json:"disagree"`
}

type blockResponse struct {
	Key        string          `json:"key"`
	Kind       document.Kind   `json:"kind"`
	Level      int             `json:"level"`
	Section    string          `json:"section"`
	Text       string          `json:"text"`
	Change     document.Change `json:"change"`
	Similarity *float64        `json:"similarity"`
	Counts     *countsResponse `json:"counts"`
}

type versionResponse struct {
	DocumentID    int64             `json:"document_id"`
	Title         string            `json:"title"`
	Language      string            `json:"language"`
	Number        int               `json:"number"`
	Latest        bool              `json:"latest"`
	SourceFormat  document.Format   `json:"source_format"`
	Note          string            `json:"note"`
	OpensAt       *time.Time        `json:"opens_at"`
	ClosesAt      *time.Time        `json:"closes_at"`
	CreatedAt     time.Time         `json:"created_at"`
	PublishedAt   *time.Time        `json:"published_at"`
	Commenting    bool              `json:"commenting"`
	OrphanedCount int               `json:"orphaned_count"`
	Blocks        []blockResponse   `json:"blocks"`
	Dropped       []droppedResponse `json:"dropped"`
}

// droppedResponse is a line the importer left out of a version's text as
// page furniture, why, and how many times.
type droppedResponse struct {
	Text   string              `json:"text"`
	Reason document.DropReason `json:"reason"`
	Count  int                 `json:"count"`
}

type diffResponse struct {
	From       int                      `json:"from"`
	To         int                      `json:"to"`
	Paragraphs []document.ParagraphDiff `json:"paragraphs"`
}

// timeField reads an optional RFC 3339 date-time; a bad one is added to f.
func timeField(f *apperr.Fields, name string, src *string) *time.Time {
	if src == nil {
		return nil
	}
	t, err := time.Parse(time.RFC3339, *src)
	if err != nil {
		f.Add(name, "date", "an RFC 3339 date-time such as 2027-03-01T09:00:00Z")
		return nil
	}
	return &t
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toVersionSummary(v document.Version) versionSummaryResponse {
	return versionSummaryResponse{Number: v.Number, SourceFormat: v.SourceFormat, Note: v.Note, OpensAt: utcPtr(v.OpensAt),
		ClosesAt: utcPtr(v.ClosesAt), CreatedAt: v.CreatedAt.UTC(), PublishedAt: utcPtr(v.PublishedAt)}
}

func toDocumentResponse(d document.Document, slug string, latest *int, vs []document.Version) documentResponse {
	r := documentResponse{ID: d.ID, ProcessSlug: slug, Title: d.Title, Language: d.Language, LatestNumber: latest,
		CreatedAt: d.CreatedAt.UTC(), Versions: make([]versionSummaryResponse, 0, len(vs))}
	for _, v := range vs {
		r.Versions = append(r.Versions, toVersionSummary(v))
	}
	return r
}

func toVersionResponse(d document.Document, v document.Version, blocks []document.Block) versionResponse {
	r := versionResponse{DocumentID: d.ID, Title: d.Title, Language: d.Language, Number: v.Number, SourceFormat: v.SourceFormat,
		Note: v.Note, OpensAt: utcPtr(v.OpensAt), ClosesAt: utcPtr(v.ClosesAt), CreatedAt: v.CreatedAt.UTC(),
		PublishedAt: utcPtr(v.PublishedAt), Blocks: make([]blockResponse, len(blocks)), Dropped: make([]droppedResponse, len(v.Dropped))}
	for i, d := range v.Dropped {
		r.Dropped[i] = droppedResponse{Text: d.Text, Reason: d.Reason, Count: d.Count}
	}
	for i, b := range blocks {
		r.Blocks[i] = blockResponse{Key: b.Key, Kind: b.Kind, Level: b.Level, Section: b.Section, Text: b.Text,
			Change: b.Change, Similarity: b.Similarity}
	}
	return r
}

// listDocuments handles GET /api/v1/processes/:slug/documents.
func (h *handlers) listDocuments(c *gin.Context) {
	docs, err := h.documents.ListForProcess(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := documentListResponse{Items: make([]documentResponse, len(docs))}
	for i, d := range docs {
		res.Items[i] = toDocumentResponse(d.Document, c.Param("slug"), d.LatestNumber, nil)
	}
	h.publicJSON(c, res, publicMaxAge)
}

// createDocument handles POST /api/v1/processes/:slug/documents.
func (h *handlers) createDocument(c *gin.Context) {
	var req createDocumentRequest
	if !h.bind(c, &req) {
		return
	}
	d, err := h.documents.Create(c.Request.Context(), actorFrom(c), c.Param("slug"),
		document.CreateInput{Title: req.Title, Language: req.Language})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toDocumentResponse(d, c.Param("slug"), nil, nil))
}

// getDocument handles GET /api/v1/documents/:documentID.
func (h *handlers) getDocument(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	d, p, vs, err := h.documents.Get(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	var latest *int
	for _, v := range vs {
		if v.Published() {
			n := v.Number
			latest = &n
		}
	}
	c.Header("Cache-Control", "private, no-cache")
	c.JSON(200, toDocumentResponse(d, p.Slug, latest, vs))
}

// importVersion handles POST /api/v1/documents/:documentID/versions.
func (h *handlers) importVersion(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	var req importVersionRequest
	if !h.bind(c, &req) {
		return
	}
	in := document.ImportInput{Format: document.Format(req.Format), Source: req.Source, Note: req.Note}
	var f apperr.Fields
	in.OpensAt = timeField(&f, "opens_at", req.OpensAt)
	in.ClosesAt = timeField(&f, "closes_at", req.ClosesAt)
	if err := f.Err(document.CodeInvalid); err != nil {
		h.fail(c, err)
		return
	}
	d, v, blocks, err := h.documents.Import(c.Request.Context(), actorFrom(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toVersionResponse(d, v, blocks))
}

// publishVersion handles POST /api/v1/documents/:documentID/versions/:number/publish.
func (h *handlers) publishVersion(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	n, ok := h.versionNumber(c)
	if !ok {
		return
	}
	if n == 0 {
		h.fail(c, document.ErrVersionNotFound)
		return
	}
	// A body sets the version's own comment window as it is published; no
	// body (whatever its Content-Type says) keeps the window it was imported with.
	var window *document.Window
	if c.Request.ContentLength != 0 {
		var req publishVersionRequest
		if !h.bind(c, &req) {
			return
		}
		var f apperr.Fields
		window = &document.Window{OpensAt: timeField(&f, "opens_at", req.OpensAt), ClosesAt: timeField(&f, "closes_at", req.ClosesAt)}
		if err := f.Err(document.CodeInvalid); err != nil {
			h.fail(c, err)
			return
		}
	}
	if _, err := h.documents.PublishWith(c.Request.Context(), actorFrom(c), id, n, window); err != nil {
		h.fail(c, err)
		return
	}
	// The answer is the public read of the new version, counts and all, so it
	// agrees with what a read right after says.
	r, _, err := h.versionAnswer(c.Request.Context(), actorFrom(c), id, n)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, r)
}

// getVersion handles GET /api/v1/documents/:documentID/versions/:number. The
// latest published version carries per-paragraph counts; public answers are
// cached per document until its next write, and a write to one of its threads
// has only the counts read again.
func (h *handlers) getVersion(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	n, ok := h.versionNumber(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	build := func() (any, bool, error) { return h.versionAnswer(ctx, actorFrom(c), id, n) }
	recount := func(old any) (any, error) {
		r := old.(versionResponse)
		if !r.Latest {
			return r, nil // an earlier version shows no counts
		}
		return r, h.withCounts(ctx, &r, id)
	}
	h.cachedScopedJSON(c, cacheScope{doc: id, counts: true}, "version:"+strconv.FormatInt(id, 10)+":"+c.Param("number"), "5", build, recount)
}

// versionAnswer builds the answer about version n of a document (0: the
// latest published) and says whether it is public (a draft, or anything of a
// process not published yet, is not: never cached). The latest published
// version carries per-paragraph counts, the orphaned count and whether
// commenting is open.
func (h *handlers) versionAnswer(ctx context.Context, actor auth.Principal, id int64, n int) (versionResponse, bool, error) {
	public, err := h.documents.Check(ctx, actor, id)
	if err != nil {
		return versionResponse{}, false, err
	}
	d, v, blocks, err := h.documents.Version(ctx, actor, id, n)
	if err != nil {
		return versionResponse{}, false, err
	}
	r := toVersionResponse(d, v, blocks)
	if !v.Published() {
		return r, false, nil
	}
	latest, err := h.documents.LatestNumber(ctx, id)
	if err != nil {
		return versionResponse{}, false, err
	}
	if r.Latest = latest == v.Number; !r.Latest {
		return r, public, nil
	}
	if err := h.withCounts(ctx, &r, id); err != nil {
		return versionResponse{}, false, err
	}
	return r, public, nil
}

// withCounts sets the per-paragraph counts, the orphaned count and whether
// commenting is open on r, the latest published version of document id. r's
// blocks are replaced, not changed in place: a cached answer may share them.
func (h *handlers) withCounts(ctx context.Context, r *versionResponse, id int64) error {
	counts, orphaned, err := h.comments.ParagraphCounts(ctx, id)
	if err != nil {
		return err
	}
	blocks := slices.Clone(r.Blocks)
	for i := range blocks {
		k := counts[blocks[i].Key]
		blocks[i].Counts = &countsResponse{Comments: k.Comments, Agree: k.Agree, Disagree: k.Disagree}
	}
	r.Blocks, r.OrphanedCount = blocks, orphaned
	r.Commenting, err = h.comments.Commenting(ctx, id)
	return err
}

// diffVersions handles GET /api/v1/documents/:documentID/diff.
func (h *handlers) diffVersions(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	var f apperr.Fields
	from, err1 := strconv.Atoi(c.Query("from"))
	to, err2 := strconv.Atoi(c.Query("to"))
	if err1 != nil || from < 1 {
		f.Add("from", "required", "a version number")
	}
	if err2 != nil || to < 1 {
		f.Add("to", "required", "a version number")
	}
	if err := f.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return
	}
	ps, _, err := h.documents.Diff(c.Request.Context(), actorFrom(c), id, from, to)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.publicJSON(c, diffResponse{From: from, To: to, Paragraphs: ps}, "300")
}

// uploadRate is the slowest upload a file route waits for: READ_TIMEOUT is
// sized for JSON bodies, not for a 25 MB draft on a slow line.
const uploadRate = 128 << 10 // bytes a second

// extendDeadlines gives a file route time to receive its upload and then to
// work on it for up to work (the connection's deadlines are otherwise
// READ_TIMEOUT and WRITE_TIMEOUT from the request's start). Only routes that
// have checked who is asking call it.
func (h *handlers) extendDeadlines(c *gin.Context, work time.Duration) {
	receive := max(h.cfg.ReadTimeout, time.Duration(h.cfg.UploadMaxBytes/uploadRate)*time.Second)
	rc := http.NewResponseController(c.Writer)
	now := time.Now()
	// Writers that cannot move their deadlines (tests' recorders) have none to move.
	_ = rc.SetReadDeadline(now.Add(receive))
	_ = rc.SetWriteDeadline(now.Add(receive + work + h.cfg.WriteTimeout))
}

// formTime reads an optional RFC 3339 date-time from a multipart form field
// (empty is absent); a bad one is added to f.
func formTime(f *apperr.Fields, c *gin.Context, name string) *time.Time {
	s := strings.TrimSpace(c.Request.FormValue(name))
	if s == "" {
		return nil
	}
	return timeField(f, name, &s)
}

// importVersionFile handles POST /api/v1/documents/:documentID/imports: a new
// unpublished version from an uploaded file (multipart: file, and optionally
// note, opens_at and closes_at). Word and OpenDocument files are converted
// by pandoc; a file that cannot be read stores nothing. Not idempotent by key:
// an import replaces the document's earlier unpublished version anyway.
func (h *handlers) importVersionFile(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	// Whoever may not import is refused before their upload is read.
	if err := h.documents.MayImport(ctx, actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	h.extendDeadlines(c, h.cfg.ImportTimeout)
	file, ok := h.formFileOf(c, "file", document.FileTypes)
	if !ok {
		return
	}
	defer func() { _ = file.File.Close() }()
	var f apperr.Fields
	in := document.FileInput{Name: file.Name, ContentType: file.ContentType, Size: file.Size, Body: file.File,
		Note: c.Request.FormValue("note"), OpensAt: formTime(&f, c, "opens_at"), ClosesAt: formTime(&f, c, "closes_at")}
	if err := f.Err(document.CodeInvalid); err != nil {
		h.fail(c, err)
		return
	}
	d, v, blocks, err := h.imports.Import(ctx, actorFrom(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toVersionResponse(d, v, blocks))
}

type changeCountsResponse struct {
	New     int `json:"new"`
	Edited  int `json:"edited"`
	Moved   int `json:"moved"`
	Same    int `json:"same"`
	Deleted int `json:"deleted"`
}

type commentForecastResponse struct {
	Exact    int `json:"exact"`
	Moved    int `json:"moved"`
	Fuzzy    int `json:"fuzzy"`
	Orphaned int `json:"orphaned"`
}

type versionPreviewResponse struct {
	Version        versionResponse          `json:"version"`
	PreviousNumber *int                     `json:"previous_number"`
	Changes        changeCountsResponse     `json:"changes"`
	Diff           []document.ParagraphDiff `json:"diff"`
	Comments       commentForecastResponse  `json:"comments"`
}

// previewVersion handles GET /api/v1/documents/:documentID/versions/:number/preview:
// an unpublished version as readers will see it, what changed from the
// latest published one, and where its comments would go. Nothing is written.
func (h *handlers) previewVersion(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	n, ok := h.versionNumber(c)
	if !ok {
		return
	}
	if n == 0 {
		h.fail(c, document.ErrVersionNotFound)
		return
	}
	ctx := c.Request.Context()
	pv, err := h.documents.Preview(ctx, actorFrom(c), id, n)
	if err != nil {
		h.fail(c, err)
		return
	}
	fc, err := h.comments.Forecast(ctx, pv.Publication)
	if err != nil {
		h.fail(c, err)
		return
	}
	ch := pv.Changes
	res := versionPreviewResponse{Version: toVersionResponse(pv.Document, pv.Version, pv.Blocks),
		Changes:  changeCountsResponse{New: ch.New, Edited: ch.Edited, Moved: ch.Moved, Same: ch.Same, Deleted: ch.Deleted},
		Diff:     pv.Diff,
		Comments: commentForecastResponse{Exact: fc.Exact, Moved: fc.Moved, Fuzzy: fc.Fuzzy, Orphaned: fc.Orphaned}}
	if pv.Previous != nil {
		prev := pv.Previous.Number
		res.PreviousNumber = &prev
	}
	if res.Diff == nil {
		res.Diff = []document.ParagraphDiff{}
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, res)
}
