package api

import (
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/comment"
)

type quoteRequest struct {
	Exact string `json:"exact" binding:"required,max=8000"`
	Start *int   `json:"start" binding:"required,min=0"`
	End   *int   `json:"end" binding:"required,min=1"`
}

type createCommentRequest struct {
	ParagraphKey string        `json:"paragraph_key" binding:"required,max=40"`
	Version      int           `json:"version" binding:"required,min=1"`
	Body         string        `json:"body" binding:"required,max=40000"`
	Quote        *quoteRequest `json:"quote"`
}

type replyRequest struct {
	Body string `json:"body" binding:"required,max=40000"`
}

type editCommentRequest struct {
	Body     string `json:"body" binding:"required,max=40000"`
	Revision int    `json:"revision" binding:"required,min=1"`
}

type voteRequest struct {
	Value string `json:"value" binding:"required,oneof=agree disagree"`
}

type quoteResponse struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
}

type anchorResponse struct {
	Version    int     `json:"version"`
	Key        *string `json:"key"`
	Status     string  `json:"status"`
	Confidence float64 `json:"confidence"`
	Start      *int    `json:"start"`
	End        *int    `json:"end"`
}

type authorResponse struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type commentResponse struct {
	ID           int64           `json:"id"`
	DocumentID   *int64          `json:"document_id"`
	IdeaID       *int64          `json:"idea_id"`
	UpdateID     *int64          `json:"progress_update_id,omitempty"`
	ParentID     *int64          `json:"parent_id"`
	RootID       int64           `json:"root_id"`
	Depth        int             `json:"depth"`
	Version      *int            `json:"version"`
	ParagraphKey *string         `json:"paragraph_key"`
	WrittenOn    *string         `json:"written_on"`
	Quote        *quoteResponse  `json:"quote"`
	Anchor       *anchorResponse `json:"anchor"`
	Author       *authorResponse `json:"author"`
	Body         string          `json:"body"`
	BodyHTML     string          `json:"body_html"`
	Status       comment.Status  `json:"status"`
	Revision     int             `json:"revision"`
	Deleted      bool            `json:"deleted"`
	CreatedAt    time.Time       `json:"created_at"`
	EditedAt     *time.Time      `json:"edited_at"`
	Agree        int             `json:"agree"`
	Disagree     int             `json:"disagree"`
	ResponseID   *int64          `json:"response_id"`
	// How it reached the process: online, or received offline and entered
	// by an owner for its contributor (null: anonymous) on the date received.
	Channel     string  `json:"channel"`
	Contributor *string `json:"contributor"`
	ReceivedOn  *string `json:"received_on"`
	// EditPending says an edit of the comment waits for a moderator; its
	// text (PendingBody) goes only to its author.
	EditPending bool    `json:"edit_pending"`
	PendingBody *string `json:"pending_body,omitempty"`
}

type commentPageResponse struct {
	Items      []commentResponse `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

type voteStateResponse struct {
	CommentID int64   `json:"comment_id"`
	Agree     int     `json:"agree"`
	Disagree  int     `json:"disagree"`
	Mine      *string `json:"mine"`
}

type myVotesResponse struct {
	Votes map[string]string `json:"votes"`
}

func voteName(v comment.Vote) *string {
	var s string
	switch v {
	case comment.Agree:
		s = "agree"
	case comment.Disagree:
		s = "disagree"
	default:
		return nil
	}
	return &s
}

func toCommentResponse(c comment.Comment) commentResponse {
	r := commentResponse{ID: c.ID, IdeaID: c.IdeaID, UpdateID: c.ProgressUpdateID, ParentID: c.ParentID, RootID: c.RootID, Depth: c.Depth, WrittenOn: c.WrittenOn,
		Body: c.Body, BodyHTML: c.BodyHTML, Status: c.Status, Revision: c.Revision, Deleted: c.DeletedAt != nil,
		CreatedAt: c.CreatedAt.UTC(), EditedAt: utcPtr(c.EditedAt), Agree: c.Agree, Disagree: c.Disagree, ResponseID: c.ResponseID,
		Channel: string(c.Channel), Contributor: c.Contributor, ReceivedOn: dateString(c.ReceivedOn), EditPending: c.PendingBody != nil}
	if c.IdeaID == nil && c.ProgressUpdateID == nil {
		r.DocumentID, r.Version, r.ParagraphKey = &c.DocumentID, &c.VersionNumber, &c.ParagraphKey
		r.Anchor = &anchorResponse{Version: c.AnchorVersionNumber, Key: c.AnchorKey, Status: c.AnchorStatus,
			Confidence: c.AnchorConfidence, Start: c.AnchorStart, End: c.AnchorEnd}
	}
	if c.QuoteExact != nil {
		r.Quote = &quoteResponse{Exact: *c.QuoteExact, Prefix: deref(c.QuotePrefix), Suffix: deref(c.QuoteSuffix),
			Start: *c.QuoteStart, End: *c.QuoteEnd}
	}
	if c.DeletedAt == nil {
		r.Author = &authorResponse{ID: c.AuthorID, Name: c.AuthorName}
	}
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func toCommentPage(p comment.Page) commentPageResponse {
	r := commentPageResponse{Items: make([]commentResponse, len(p.Items))}
	for i, c := range p.Items {
		r.Items[i] = toCommentResponse(c)
	}
	if p.NextCursor != "" {
		r.NextCursor = &p.NextCursor
	}
	return r
}

// threadMaxAge is how long browsers may keep a thread page, in seconds.
const threadMaxAge = "5"

// listParagraphComments handles GET /api/v1/documents/:documentID/paragraphs/:key/comments.
func (h *handlers) listParagraphComments(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	limit, cursor, ok := h.pageParams(c, 200, 500)
	if !ok {
		return
	}
	key := c.Param("key")
	ctx := c.Request.Context()
	// A vote on the thread has only its comments' counts read again.
	recount := func(old any) (any, error) {
		p := old.(commentPageResponse)
		ids := make([]int64, len(p.Items))
		for i, it := range p.Items {
			ids[i] = it.ID
		}
		sums, err := h.comments.VoteCounts(ctx, ids)
		if err != nil {
			return nil, err
		}
		p.Items = slices.Clone(p.Items) // a cached answer may share them
		for i := range p.Items {
			s := sums[p.Items[i].ID]
			p.Items[i].Agree, p.Items[i].Disagree = s.Agree, s.Disagree
		}
		return p, nil
	}
	h.cachedScopedJSON(c, cacheScope{doc: id, thread: key}, "thread:"+strconv.FormatInt(id, 10)+":"+key+":"+cursor+":"+strconv.Itoa(limit), threadMaxAge,
		func() (any, bool, error) {
			public, err := h.documents.Check(c.Request.Context(), actorFrom(c), id)
			if err != nil {
				return nil, false, err
			}
			p, err := h.comments.Thread(c.Request.Context(), id, key, cursor, limit)
			if err != nil {
				return nil, false, err
			}
			return toCommentPage(p), public, nil
		}, recount)
}

// listOrphanedComments handles GET /api/v1/documents/:documentID/orphaned-comments.
func (h *handlers) listOrphanedComments(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	limit, cursor, ok := h.pageParams(c, 200, 500)
	if !ok {
		return
	}
	h.cachedPublicJSON(c, id, "orphaned:"+strconv.FormatInt(id, 10)+":"+cursor+":"+strconv.Itoa(limit), threadMaxAge,
		func() (any, bool, error) {
			public, err := h.documents.Check(c.Request.Context(), actorFrom(c), id)
			if err != nil {
				return nil, false, err
			}
			p, err := h.comments.Orphaned(c.Request.Context(), id, cursor, limit)
			if err != nil {
				return nil, false, err
			}
			return toCommentPage(p), public, nil
		})
}

// createComment handles POST /api/v1/documents/:documentID/comments.
func (h *handlers) createComment(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	var req createCommentRequest
	if !h.bind(c, &req) {
		return
	}
	in := comment.CreateInput{Key: req.ParagraphKey, Version: req.Version, Body: req.Body}
	if req.Quote != nil {
		in.Quote = &comment.QuoteInput{Exact: req.Quote.Exact, Start: *req.Quote.Start, End: *req.Quote.End}
	}
	cm, err := h.comments.Create(c.Request.Context(), actorFrom(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toCommentResponse(cm))
}

// replyToComment handles POST /api/v1/comments/:commentID/replies.
func (h *handlers) replyToComment(c *gin.Context) {
	id, ok := h.pathID(c, "commentID")
	if !ok {
		return
	}
	var req replyRequest
	if !h.bind(c, &req) {
		return
	}
	cm, err := h.comments.Reply(c.Request.Context(), actorFrom(c), id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, toCommentResponse(cm))
}

// editComment handles PATCH /api/v1/comments/:commentID.
func (h *handlers) editComment(c *gin.Context) {
	id, ok := h.pathID(c, "commentID")
	if !ok {
		return
	}
	var req editCommentRequest
	if !h.bind(c, &req) {
		return
	}
	cm, err := h.comments.Edit(c.Request.Context(), actorFrom(c), id, req.Body, req.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	r := toCommentResponse(cm)
	r.PendingBody = cm.PendingBody // the author's own edit
	c.JSON(200, r)
}

// deleteComment handles DELETE /api/v1/comments/:commentID.
func (h *handlers) deleteComment(c *gin.Context) {
	id, ok := h.pathID(c, "commentID")
	if !ok {
		return
	}
	_, err := h.comments.Delete(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Status(204)
}

// voteOnComment handles PUT /api/v1/comments/:commentID/vote.
func (h *handlers) voteOnComment(c *gin.Context) {
	id, ok := h.pathID(c, "commentID")
	if !ok {
		return
	}
	var req voteRequest
	if !h.bind(c, &req) {
		return
	}
	v := comment.Agree
	if req.Value == "disagree" {
		v = comment.Disagree
	}
	st, err := h.comments.Cast(c.Request.Context(), actorFrom(c), id, v)
	h.answerVote(c, st, err)
}

// retractVote handles DELETE /api/v1/comments/:commentID/vote.
func (h *handlers) retractVote(c *gin.Context) {
	id, ok := h.pathID(c, "commentID")
	if !ok {
		return
	}
	st, err := h.comments.Retract(c.Request.Context(), actorFrom(c), id)
	h.answerVote(c, st, err)
}

func (h *handlers) answerVote(c *gin.Context, st comment.VoteState, err error) {
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, voteStateResponse{CommentID: st.CommentID, Agree: st.Agree, Disagree: st.Disagree, Mine: voteName(st.Mine)})
}

// listMyVotes handles GET /api/v1/documents/:documentID/my-votes.
func (h *handlers) listMyVotes(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	if _, err := h.documents.Check(c.Request.Context(), actorFrom(c), id); err != nil {
		h.fail(c, err)
		return
	}
	votes, err := h.comments.MyVotes(c.Request.Context(), actorFrom(c), id)
	h.answerMyVotes(c, votes, err)
}

func (h *handlers) answerMyVotes(c *gin.Context, votes map[int64]comment.Vote, err error) {
	if err != nil {
		h.fail(c, err)
		return
	}
	res := myVotesResponse{Votes: make(map[string]string, len(votes))}
	for cid, v := range votes {
		res.Votes[strconv.FormatInt(cid, 10)] = *voteName(v)
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// listMyComments handles GET /api/v1/me/comments.
func (h *handlers) listMyComments(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, 100)
	if !ok {
		return
	}
	p, err := h.comments.Mine(c.Request.Context(), actorFrom(c), cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := toCommentPage(p)
	for n := range res.Items {
		res.Items[n].PendingBody = p.Items[n].PendingBody // the author's own edits
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// exportAnnotations handles GET /api/v1/documents/:documentID/annotations.
func (h *handlers) exportAnnotations(c *gin.Context) {
	id, ok := h.pathID(c, "documentID")
	if !ok {
		return
	}
	format, ok := h.exportFormat(c, "jsonld")
	if !ok {
		return
	}
	d, _, _, err := h.documents.Get(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	cs, err := h.comments.Published(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	publicCache(c, "60")
	if format == "csv" {
		h.sendCSV(c, "document-"+strconv.FormatInt(id, 10)+"-comments.csv", func(w io.Writer) error { return comment.WriteCSV(w, cs) })
		return
	}
	c.Header("Content-Type", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`)
	c.JSON(200, comment.Annotations(h.cfg.PublicURL, d, cs))
}
