package api

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/forum"
	"cocreate/internal/process"
)

type forumMemberJSON struct {
	MemberRef    string       `json:"member_ref"`
	Name         string       `json:"name"`
	Seat         process.Seat `json:"seat"`
	Organisation string       `json:"organisation"`
}

type forumJSON struct {
	Process     string            `json:"process"`
	SigningRule forum.Rule        `json:"signing_rule"`
	TargetDays  int               `json:"target_days"`
	Members     []forumMemberJSON `json:"members"`
	Seats       map[string]int    `json:"seats"`
	Viewer      forumViewerJSON   `json:"viewer"`
}

type forumViewerJSON struct {
	Member    bool          `json:"member"`
	MemberRef *string       `json:"member_ref"`
	Seat      *process.Seat `json:"seat"`
	Manage    bool          `json:"manage"`
}

func toForumJSON(f forum.Forum) forumJSON {
	out := forumJSON{Process: f.Process.Slug, SigningRule: f.Settings.SigningRule, TargetDays: f.Settings.TargetDays,
		Members: []forumMemberJSON{}, Seats: map[string]int{"government": 0, "civil_society": 0, "other": 0},
		Viewer: forumViewerJSON{Member: f.Viewer.Member, Manage: f.Viewer.Manage}}
	for _, m := range f.Members {
		out.Members = append(out.Members, forumMemberJSON{MemberRef: m.MemberRef, Name: m.Name, Seat: m.Seat, Organisation: m.Organisation})
		out.Seats[string(m.Seat)]++
	}
	if f.Viewer.Member {
		ref, seat := f.Viewer.MemberRef, f.Viewer.Seat
		out.Viewer.MemberRef, out.Viewer.Seat = &ref, &seat
	}
	return out
}

// getForum handles GET /api/v1/processes/:slug/forum.
func (h *handlers) getForum(c *gin.Context) {
	f, err := h.forum.Get(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, toForumJSON(f))
}

type forumSettingsRequest struct {
	SigningRule string `json:"signing_rule" binding:"required"`
	TargetDays  int    `json:"target_days" binding:"required"`
}

// putForumSettings handles PUT /api/v1/processes/:slug/forum/settings.
func (h *handlers) putForumSettings(c *gin.Context) {
	var req forumSettingsRequest
	if !h.bind(c, &req) {
		return
	}
	f, err := h.forum.SetSettings(c.Request.Context(), actorFrom(c), c.Param("slug"),
		forum.Settings{SigningRule: forum.Rule(req.SigningRule), TargetDays: req.TargetDays})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toForumJSON(f))
}

type contributionJSON struct {
	Kind         forum.Kind `json:"kind"`
	ID           int64      `json:"id"`
	Excerpt      string     `json:"excerpt"`
	Author       string     `json:"author"`
	CreatedAt    time.Time  `json:"created_at"`
	AgeDays      int        `json:"age_days"`
	DocumentID   *int64     `json:"document_id"`
	ParagraphKey *string    `json:"paragraph_key"`
	IdeaID       *int64     `json:"idea_id"`
	ThemeID      *int64     `json:"theme_id"`
	ClusterID    *int64     `json:"cluster_id"`
	ResponseID   *int64     `json:"response_id"`
}

func (h *handlers) toContributions(sms []forum.Summary) []contributionJSON {
	now := h.now()
	out := make([]contributionJSON, len(sms))
	for i, s := range sms {
		out[i] = contributionJSON{Kind: s.Kind, ID: s.ID, Excerpt: s.Excerpt, Author: s.Author, CreatedAt: s.CreatedAt.UTC(),
			AgeDays: int(now.Sub(s.CreatedAt).Hours() / 24), DocumentID: s.DocumentID, ParagraphKey: s.ParagraphKey,
			IdeaID: s.IdeaID, ThemeID: s.ThemeID, ClusterID: s.ClusterID, ResponseID: s.ResponseID}
	}
	return out
}

// queryID reads an optional positive id from the query into f's errors.
func queryID(c *gin.Context, f *apperr.Fields, name string) int64 {
	s, ok := c.GetQuery(name)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		f.Add(name, "integer", "a positive whole number")
		return 0
	}
	return n
}

// listUnanswered handles GET /api/v1/processes/:slug/forum/unanswered.
func (h *handlers) listUnanswered(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 50, 200)
	if !ok {
		return
	}
	var fe apperr.Fields
	f := forum.UnansweredFilter{Limit: limit, Cursor: cursor, Kind: forum.Kind(c.Query("kind")), ParagraphKey: c.Query("paragraph_key"),
		DocumentID: queryID(c, &fe, "document_id"), ThemeID: queryID(c, &fe, "theme_id"), ClusterID: queryID(c, &fe, "cluster_id")}
	if f.Kind != "" && f.Kind != forum.KindComment && f.Kind != forum.KindIdea {
		fe.Add("kind", "enum", "comment or idea")
	}
	if len(f.ParagraphKey) > 64 {
		fe.Add("paragraph_key", "length", "at most 64 characters")
	}
	if err := fe.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return
	}
	items, next, err := h.forum.Unanswered(c.Request.Context(), c.Param("slug"), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := gin.H{"items": h.toContributions(items), "next_cursor": nil}
	if next != "" {
		res["next_cursor"] = next
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, res)
}

type clusterJSON struct {
	ID             int64              `json:"id"`
	Process        string             `json:"process"`
	Title          string             `json:"title"`
	Origin         string             `json:"origin"`
	Size           int                `json:"size"`
	Representative *contributionJSON  `json:"representative"`
	CreatedAt      time.Time          `json:"created_at"`
	ResponseID     *int64             `json:"response_id"`
	Members        []contributionJSON `json:"members,omitempty"`
}

func (h *handlers) toClusterJSON(cl forum.Cluster, members bool) clusterJSON {
	out := clusterJSON{ID: cl.ID, Process: cl.Process, Title: cl.Title, Origin: cl.Origin, Size: cl.Size, CreatedAt: cl.CreatedAt.UTC(), ResponseID: cl.ResponseID}
	if cl.Representative != nil {
		rep := h.toContributions([]forum.Summary{*cl.Representative})[0]
		out.Representative = &rep
	}
	if members {
		out.Members = h.toContributions(cl.Members)
		if out.Members == nil {
			out.Members = []contributionJSON{}
		}
	}
	return out
}

// listClusters handles GET /api/v1/processes/:slug/forum/clusters.
func (h *handlers) listClusters(c *gin.Context) {
	cls, err := h.forum.Clusters(c.Request.Context(), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]clusterJSON, len(cls))
	for i, cl := range cls {
		out[i] = h.toClusterJSON(cl, false)
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

type contributionRef struct {
	Kind string `json:"kind" binding:"required,oneof=comment idea"`
	ID   int64  `json:"id" binding:"required,min=1"`
}

func toRefs(in []contributionRef) []forum.Ref {
	out := make([]forum.Ref, len(in))
	for i, r := range in {
		out[i] = forum.Ref{Kind: forum.Kind(r.Kind), ID: r.ID}
	}
	return out
}

type clusterRequest struct {
	Title   string            `json:"title" binding:"required,max=200"`
	Origin  string            `json:"origin" binding:"omitempty,oneof=manual suggested"`
	Members []contributionRef `json:"members" binding:"required,min=1,max=1000,dive"`
}

// createCluster handles POST /api/v1/processes/:slug/forum/clusters.
func (h *handlers) createCluster(c *gin.Context) {
	var req clusterRequest
	if !h.bind(c, &req) {
		return
	}
	cl, err := h.forum.CreateCluster(c.Request.Context(), actorFrom(c), c.Param("slug"),
		forum.ClusterInput{Title: req.Title, Origin: req.Origin, Members: toRefs(req.Members)})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.toClusterJSON(cl, true))
}

// getCluster handles GET /api/v1/clusters/:clusterID.
func (h *handlers) getCluster(c *gin.Context) {
	id, ok := h.pathID(c, "clusterID")
	if !ok {
		return
	}
	cl, err := h.forum.Cluster(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, h.toClusterJSON(cl, true))
}

type refsRequest struct {
	Members []contributionRef `json:"members" binding:"required,min=1,max=1000,dive"`
}

// addClusterMembers handles POST /api/v1/clusters/:clusterID/members.
func (h *handlers) addClusterMembers(c *gin.Context) {
	id, ok := h.pathID(c, "clusterID")
	if !ok {
		return
	}
	var req refsRequest
	if !h.bind(c, &req) {
		return
	}
	cl, err := h.forum.AddMembers(c.Request.Context(), actorFrom(c), id, toRefs(req.Members))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.toClusterJSON(cl, true))
}

type suggestionJSON struct {
	Members      []contributionJSON `json:"members"`
	Size         int                `json:"size"`
	Similarity   float64            `json:"similarity"`
	ClusterID    *int64             `json:"cluster_id"`
	ClusterTitle *string            `json:"cluster_title"`
}

// listClusterSuggestions handles GET /api/v1/processes/:slug/forum/suggestions.
func (h *handlers) listClusterSuggestions(c *gin.Context) {
	sgs, err := h.forum.Suggestions(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]suggestionJSON, len(sgs))
	for i, s := range sgs {
		out[i] = suggestionJSON{Members: h.toContributions(s.Members), Size: len(s.Members), Similarity: s.Similarity,
			ClusterID: s.ClusterID, ClusterTitle: s.ClusterTitle}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// dismissClusterSuggestion handles POST /api/v1/processes/:slug/forum/suggestions/dismiss.
func (h *handlers) dismissClusterSuggestion(c *gin.Context) {
	var req refsRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.forum.Dismiss(c.Request.Context(), actorFrom(c), c.Param("slug"), toRefs(req.Members)); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type coverRequest struct {
	Kind         string `json:"kind" binding:"required,oneof=comment idea cluster paragraph"`
	ID           int64  `json:"id" binding:"omitempty,min=1"`
	DocumentID   int64  `json:"document_id" binding:"omitempty,min=1"`
	ParagraphKey string `json:"paragraph_key" binding:"omitempty,max=64"`
}

type responseRequest struct {
	Revision         int            `json:"revision"`
	Disposition      string         `json:"disposition" binding:"required"`
	Reasoning        string         `json:"reasoning" binding:"required"`
	LedTo            string         `json:"led_to"`
	Covers           []coverRequest `json:"covers" binding:"required,min=1,max=1000,dive"`
	Supersedes       *int64         `json:"supersedes"`
	CorrectionReason *string        `json:"correction_reason"`
}

func (r responseRequest) input() forum.ResponseInput {
	in := forum.ResponseInput{Revision: r.Revision, Disposition: forum.Disposition(r.Disposition), Reasoning: r.Reasoning, LedTo: r.LedTo,
		Supersedes: r.Supersedes, CorrectionReason: r.CorrectionReason}
	for _, c := range r.Covers {
		in.Covers = append(in.Covers, forum.CoverInput{Kind: c.Kind, ID: c.ID, DocumentID: c.DocumentID, ParagraphKey: c.ParagraphKey})
	}
	return in
}

type coverJSON struct {
	Kind         string  `json:"kind"`
	ID           *int64  `json:"id"`
	IdeaID       *int64  `json:"idea_id"`
	DocumentID   *int64  `json:"document_id"`
	ParagraphKey *string `json:"paragraph_key"`
	Label        string  `json:"label"`
	Count        int     `json:"count"`
}

type signatureJSON struct {
	Kind         string     `json:"kind"`
	MemberRef    string     `json:"member_ref"`
	Name         *string    `json:"name"`
	Seat         string     `json:"seat"`
	Organisation string     `json:"organisation"`
	Note         *string    `json:"note"`
	SignedAt     *time.Time `json:"signed_at"`
}

type ledgerRefJSON struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

type responseJSON struct {
	ID               int64             `json:"id"`
	Process          string            `json:"process"`
	State            string            `json:"state"`
	Disposition      forum.Disposition `json:"disposition"`
	Reasoning        string            `json:"reasoning"`
	ReasoningHTML    string            `json:"reasoning_html"`
	LedTo            string            `json:"led_to"`
	Covers           []coverJSON       `json:"covers"`
	Signatures       []signatureJSON   `json:"signatures"`
	SigningRule      forum.Rule        `json:"signing_rule"`
	MissingSeats     []process.Seat    `json:"missing_seats"`
	Revision         int               `json:"revision"`
	Supersedes       *int64            `json:"supersedes"`
	SupersededBy     *int64            `json:"superseded_by"`
	CorrectionReason *string           `json:"correction_reason"`
	CreatedAt        time.Time         `json:"created_at"`
	PublishedAt      *time.Time        `json:"published_at"`
	Ledger           *ledgerRefJSON    `json:"ledger"`
	Answered         int               `json:"answered"`
}

func toResponseJSON(r forum.Response) responseJSON {
	out := responseJSON{ID: r.ID, Process: r.Process, State: r.State, Disposition: r.Disposition, Reasoning: r.Reasoning,
		ReasoningHTML: r.ReasoningHTML, LedTo: r.LedTo, Covers: make([]coverJSON, len(r.Covers)), Signatures: make([]signatureJSON, len(r.Signatures)),
		SigningRule: r.SigningRule, MissingSeats: r.MissingSeats, Revision: r.Revision, Supersedes: r.Supersedes, SupersededBy: r.SupersededBy,
		CorrectionReason: r.CorrectionReason, CreatedAt: r.CreatedAt.UTC(), Answered: r.Answered}
	for i, c := range r.Covers {
		out.Covers[i] = coverJSON{Kind: c.Kind, ID: c.ID, IdeaID: c.IdeaID, DocumentID: c.DocumentID, ParagraphKey: c.ParagraphKey, Label: c.Label, Count: c.Count}
	}
	for i, s := range r.Signatures {
		out.Signatures[i] = signatureJSON{Kind: s.Kind, MemberRef: s.MemberRef, Name: s.Name, Seat: s.Seat, Organisation: s.Organisation,
			Note: s.Note, SignedAt: s.SignedAt}
	}
	if out.MissingSeats == nil {
		out.MissingSeats = []process.Seat{}
	}
	if r.PublishedAt != nil {
		at := r.PublishedAt.UTC()
		out.PublishedAt = &at
	}
	if r.LedgerSeq != nil {
		out.Ledger = &ledgerRefJSON{Seq: *r.LedgerSeq, Hash: r.LedgerHash}
	}
	return out
}

// listDraftResponses handles GET /api/v1/processes/:slug/forum/responses.
func (h *handlers) listDraftResponses(c *gin.Context) {
	rs, err := h.forum.Drafts(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]responseJSON, len(rs))
	for i, r := range rs {
		out[i] = toResponseJSON(r)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// createResponse handles POST /api/v1/processes/:slug/forum/responses.
func (h *handlers) createResponse(c *gin.Context) {
	var req responseRequest
	if !h.bind(c, &req) {
		return
	}
	if req.Revision != 0 {
		h.fail(c, errUnknownField.WithMessage(`unknown field "revision"`))
		return
	}
	r, err := h.forum.CreateResponse(c.Request.Context(), actorFrom(c), c.Param("slug"), req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, toResponseJSON(r))
}

// getResponse handles GET /api/v1/responses/:responseID.
func (h *handlers) getResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	r, err := h.forum.GetResponse(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	if r.Published() {
		c.Header("Cache-Control", "no-cache")
	} else {
		c.Header("Cache-Control", "no-store")
	}
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// editResponse handles PATCH /api/v1/responses/:responseID.
func (h *handlers) editResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req responseRequest
	if !h.bind(c, &req) {
		return
	}
	if req.Supersedes != nil {
		h.fail(c, errUnknownField.WithMessage(`unknown field "supersedes": what a draft corrects is set when it is made`))
		return
	}
	r, err := h.forum.EditResponse(c.Request.Context(), actorFrom(c), id, req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// discardResponse handles DELETE /api/v1/responses/:responseID.
func (h *handlers) discardResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	if err := h.forum.DiscardResponse(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type signRequest struct {
	Revision int `json:"revision" binding:"required,min=1"`
}

// signResponse handles POST /api/v1/responses/:responseID/sign.
func (h *handlers) signResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req signRequest
	if !h.bind(c, &req) {
		return
	}
	r, err := h.forum.Sign(c.Request.Context(), actorFrom(c), id, req.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

type dissentRequest struct {
	Revision int    `json:"revision" binding:"required,min=1"`
	Note     string `json:"note" binding:"required"`
}

// dissentFromResponse handles POST /api/v1/responses/:responseID/dissent.
func (h *handlers) dissentFromResponse(c *gin.Context) {
	id, ok := h.pathID(c, "responseID")
	if !ok {
		return
	}
	var req dissentRequest
	if !h.bind(c, &req) {
		return
	}
	r, err := h.forum.Dissent(c.Request.Context(), actorFrom(c), id, req.Revision, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// getCoverage handles GET /api/v1/processes/:slug/coverage.
func (h *handlers) getCoverage(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	cov, rows, err := h.forum.Coverage(c.Request.Context(), slug)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	if format == "csv" {
		h.sendCSV(c, slug+"-coverage.csv", func(w io.Writer) error {
			return forum.WriteCoverageCSV(w, rows, h.cfg.PublicURL, cov.GeneratedAt)
		})
		return
	}
	byKind := make([]gin.H, len(cov.ByKind))
	for i, k := range cov.ByKind {
		byKind[i] = gin.H{"kind": k.Kind, "total": k.Total, "answered": k.Answered}
	}
	c.JSON(http.StatusOK, gin.H{
		"process": cov.Process, "target_days": cov.TargetDays, "total": cov.Total, "answered": cov.Answered,
		"unanswered": cov.Unanswered, "past_target": cov.PastTarget, "by_kind": byKind,
		"unanswered_age": gin.H{"median_days": cov.MedianDays, "oldest_days": cov.OldestDays,
			"under_7_days": cov.Under7, "from_7_to_20_days": cov.From7To20, "over_20_days": cov.Over20},
	})
}
