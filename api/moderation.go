package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/moderation"
)

type moderationTargetJSON struct {
	Type             string  `json:"type"`
	ID               int64   `json:"id"`
	DocumentID       *int64  `json:"document_id"`
	ParagraphKey     *string `json:"paragraph_key"`
	IdeaID           *int64  `json:"idea_id"`
	MeetingID        *int64  `json:"meeting_id,omitempty"` // agenda input: its meeting
	ProgressUpdateID *int64  `json:"progress_update_id,omitempty"`
	CommitmentID     *int64  `json:"commitment_id,omitempty"`
	SurveyPhase      *string `json:"survey_phase,omitempty"` // survey text: the phase whose survey it answers
}

type decisionJSON struct {
	ID          int64              `json:"id"`
	Outcome     moderation.Outcome `json:"outcome"`
	Reason      *moderation.Reason `json:"reason"`
	Explanation string             `json:"explanation"`
	ModeratorID *int64             `json:"moderator_id"`
	OnAppeal    bool               `json:"on_appeal"`
	ItemVersion int                `json:"item_version"`
	CreatedAt   time.Time          `json:"created_at"`
}

// itemEditJSON is the published text a waiting edit would replace.
type itemEditJSON struct {
	PreviousTitle    *string `json:"previous_title"`
	PreviousBody     string  `json:"previous_body"`
	PreviousBodyHTML string  `json:"previous_body_html"`
}

type moderationItemJSON struct {
	ID           int64                `json:"id"`
	ProcessID    int64                `json:"process_id"`
	Target       moderationTargetJSON `json:"target"`
	Cause        moderation.Cause     `json:"cause"`
	State        string               `json:"state"`
	Version      int                  `json:"version"`
	Campaign     bool                 `json:"campaign"`
	Screen       []moderation.Verdict `json:"screen"`
	FlagWeight   float64              `json:"flag_weight"`
	Flags        int                  `json:"flags"`
	Title        *string              `json:"title"`
	Body         string               `json:"body"`
	BodyHTML     string               `json:"body_html"`
	Status       string               `json:"status"`
	Author       authorResponse       `json:"author"`
	ClaimedByMe  bool                 `json:"claimed_by_me"`
	LeaseUntil   *time.Time           `json:"lease_until"`
	CreatedAt    time.Time            `json:"created_at"`
	LastDecision *decisionJSON        `json:"last_decision"`
	// Edit, when an edit of the published contribution waits, is the text it
	// would replace; Title, Body and BodyHTML are then the edit's.
	Edit *itemEditJSON `json:"edit"`
}

type flagJSON struct {
	Reason    moderation.Reason `json:"reason"`
	Note      string            `json:"note"`
	Weight    float64           `json:"weight"`
	CreatedAt time.Time         `json:"created_at"`
}

type recentJSON struct {
	Type      string    `json:"type"`
	ID        int64     `json:"id"`
	Excerpt   string    `json:"excerpt"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

type historyJSON struct {
	Approved int          `json:"approved"`
	Rejected int          `json:"rejected"`
	Recent   []recentJSON `json:"recent"`
}

type moderationItemDetailJSON struct {
	Item         moderationItemJSON `json:"item"`
	Context      string             `json:"context"`
	FlagList     []flagJSON         `json:"flag_list"`
	Decisions    []decisionJSON     `json:"decisions"`
	OriginalBody *string            `json:"original_body"`
	History      historyJSON        `json:"history"`
	AppealNote   *string            `json:"appeal_note"`
}

type queueCountsJSON struct {
	Mode       int `json:"mode"`
	NewAccount int `json:"new_account"`
	Screen     int `json:"screen"`
	Flags      int `json:"flags"`
	Edit       int `json:"edit"`
	Appeal     int `json:"appeal"`
	Escalated  int `json:"escalated"`
	Total      int `json:"total"`
}

type moderationQueueJSON struct {
	Items      []moderationItemJSON `json:"items"`
	Counts     queueCountsJSON      `json:"counts"`
	NextCursor *string              `json:"next_cursor"`
}

type claimRequest struct {
	Cause    moderation.Cause `json:"cause" binding:"omitempty,oneof=mode new_account screen flags edit appeal escalated"`
	Target   string           `json:"target" binding:"omitempty,oneof=comment idea agenda_input survey_text"`
	Document int64            `json:"document" binding:"omitempty,min=1"`
}

type decisionRequest struct {
	Outcome       moderation.Outcome `json:"outcome" binding:"required,oneof=approve reject redact escalate"`
	Reason        moderation.Reason  `json:"reason"`
	Explanation   string             `json:"explanation" binding:"max=8000"`
	RedactedBody  string             `json:"redacted_body" binding:"max=40000"`
	RedactedTitle string             `json:"redacted_title" binding:"max=600"`
	Version       int                `json:"version" binding:"required,min=1"`
}

type bulkItemJSON struct {
	ID      int64 `json:"id" binding:"required,min=1"`
	Version int   `json:"version" binding:"required,min=1"`
}

type bulkRequest struct {
	Items       []bulkItemJSON     `json:"items" binding:"required,min=1,max=200,dive"`
	Outcome     moderation.Outcome `json:"outcome" binding:"required,oneof=approve reject"`
	Reason      moderation.Reason  `json:"reason"` // required to reject
	Explanation string             `json:"explanation" binding:"max=8000"`
}

type bulkResultJSON struct {
	ID     int64  `json:"id"`
	Result string `json:"result"`
}

func targetOf(i moderation.Item) moderationTargetJSON {
	switch {
	case i.CommentID != nil:
		return moderationTargetJSON{Type: "comment", ID: *i.CommentID, DocumentID: i.DocumentID, ParagraphKey: i.ParagraphKey, IdeaID: i.TargetIdeaID,
			ProgressUpdateID: i.TargetUpdateID, CommitmentID: i.TargetCommitmentID}
	case i.MeetingInputID != nil:
		return moderationTargetJSON{Type: "agenda_input", ID: *i.MeetingInputID, MeetingID: i.MeetingID}
	case i.SurveyTextID != nil:
		return moderationTargetJSON{Type: "survey_text", ID: *i.SurveyTextID, SurveyPhase: i.SurveyPhase}
	}
	return moderationTargetJSON{Type: "idea", ID: *i.IdeaID, IdeaID: i.IdeaID}
}

func toDecisionJSON(d moderation.Decision) decisionJSON {
	return decisionJSON{ID: d.ID, Outcome: d.Outcome, Reason: d.Reason, Explanation: d.Explanation, ModeratorID: d.ModeratorID,
		OnAppeal: d.OnAppeal, ItemVersion: d.ItemVersion, CreatedAt: d.CreatedAt.UTC()}
}

func toItemJSON(i moderation.Item, me int64) moderationItemJSON {
	r := moderationItemJSON{ID: i.ID, ProcessID: i.ProcessID, Target: targetOf(i), Cause: i.ShownCause(), State: i.State, Version: i.Version,
		Campaign: i.Campaign, Screen: i.Screen, FlagWeight: i.FlagWeight, Flags: i.Flags, Title: i.Title, Body: i.Body,
		BodyHTML: i.BodyHTML, Status: i.Status, Author: authorResponse{ID: i.AuthorID, Name: i.AuthorName},
		ClaimedByMe: i.ClaimedBy != nil && *i.ClaimedBy == me, LeaseUntil: utcPtr(i.LeaseUntil), CreatedAt: i.CreatedAt.UTC()}
	if r.Screen == nil {
		r.Screen = []moderation.Verdict{}
	}
	if i.LastDecision != nil {
		d := toDecisionJSON(*i.LastDecision)
		r.LastDecision = &d
	}
	if i.PreviousBody != nil {
		r.Edit = &itemEditJSON{PreviousTitle: i.PreviousTitle, PreviousBody: *i.PreviousBody, PreviousBodyHTML: deref(i.PreviousBodyHTML)}
	}
	return r
}

// queueFilter reads the queue's filters; each maps to a fixed condition.
func (h *handlers) queueFilter(c *gin.Context) (moderation.QueueFilter, bool) {
	limit, cursor, ok := h.pageParams(c, 50, 200)
	if !ok {
		return moderation.QueueFilter{}, false
	}
	f := moderation.QueueFilter{Limit: limit, Cursor: cursor, Cause: moderation.Cause(c.Query("cause")), Target: c.Query("target")}
	var fe apperr.Fields
	switch f.Cause {
	case "", moderation.CauseMode, moderation.CauseNewAccount, moderation.CauseScreen, moderation.CauseFlags, moderation.CauseEdit,
		moderation.CauseAppeal, moderation.CauseEscalated:
	default:
		fe.Add("cause", "enum", "mode, new_account, screen, flags, edit, appeal or escalated")
	}
	if f.Target != "" && f.Target != "comment" && f.Target != "idea" && f.Target != "agenda_input" && f.Target != "survey_text" {
		fe.Add("target", "enum", "comment, idea, agenda_input or survey_text")
	}
	if s, ok := c.GetQuery("document"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			fe.Add("document", "integer", "a draft's id")
		}
		f.DocumentID = n
	}
	if s, ok := c.GetQuery("older_than_hours"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100000 {
			fe.Add("older_than_hours", "integer", "a whole number of hours")
		}
		f.OlderThan = time.Duration(n) * time.Hour
	}
	if err := fe.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return moderation.QueueFilter{}, false
	}
	return f, true
}

// listModerationQueue handles GET /api/v1/processes/:slug/moderation/queue.
func (h *handlers) listModerationQueue(c *gin.Context) {
	f, ok := h.queueFilter(c)
	if !ok {
		return
	}
	actor := actorFrom(c)
	q, err := h.moderation.List(c.Request.Context(), actor, c.Param("slug"), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := moderationQueueJSON{Items: make([]moderationItemJSON, len(q.Items)), Counts: queueCountsJSON{
		Mode: q.Counts[moderation.CauseMode], NewAccount: q.Counts[moderation.CauseNewAccount], Screen: q.Counts[moderation.CauseScreen],
		Flags: q.Counts[moderation.CauseFlags], Edit: q.Counts[moderation.CauseEdit], Appeal: q.Counts[moderation.CauseAppeal],
		Escalated: q.Counts[moderation.CauseEscalated]}}
	for _, n := range q.Counts {
		res.Counts.Total += n
	}
	for n, i := range q.Items {
		res.Items[n] = toItemJSON(i, actor.UserID)
	}
	if q.NextCursor != "" {
		res.NextCursor = &q.NextCursor
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// claimModerationItem handles POST /api/v1/processes/:slug/moderation/claim.
func (h *handlers) claimModerationItem(c *gin.Context) {
	var req claimRequest
	if !h.bind(c, &req) {
		return
	}
	actor := actorFrom(c)
	it, err := h.moderation.Claim(c.Request.Context(), actor, c.Param("slug"),
		moderation.QueueFilter{Cause: req.Cause, Target: req.Target, DocumentID: req.Document})
	if err == moderation.ErrNotFound {
		c.Status(204)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toItemJSON(it, actor.UserID))
}

// getModerationItem handles GET /api/v1/moderation/items/:itemID.
func (h *handlers) getModerationItem(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	actor := actorFrom(c)
	d, err := h.moderation.Detail(c.Request.Context(), actor, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := moderationItemDetailJSON{Item: toItemJSON(d.Item, actor.UserID), Context: d.Context, FlagList: []flagJSON{},
		Decisions: []decisionJSON{}, OriginalBody: d.OriginalBody, AppealNote: d.AppealNote,
		History: historyJSON{Approved: d.History.Approved, Rejected: d.History.Rejected, Recent: []recentJSON{}}}
	for _, f := range d.FlagList {
		res.FlagList = append(res.FlagList, flagJSON{Reason: f.Reason, Note: f.Note, Weight: f.Weight, CreatedAt: f.CreatedAt.UTC()})
	}
	for _, x := range d.Decisions {
		res.Decisions = append(res.Decisions, toDecisionJSON(x))
	}
	for _, r := range d.History.Recent {
		res.History.Recent = append(res.History.Recent, recentJSON{Type: r.Type, ID: r.ID, Excerpt: r.Excerpt, Status: r.Status, CreatedAt: r.CreatedAt.UTC()})
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// decideModerationItem handles POST /api/v1/moderation/items/:itemID/decisions.
func (h *handlers) decideModerationItem(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	var req decisionRequest
	if !h.bind(c, &req) {
		return
	}
	actor := actorFrom(c)
	it, err := h.moderation.Decide(c.Request.Context(), actor, id, moderation.DecisionInput{Outcome: req.Outcome, Reason: req.Reason,
		Explanation: req.Explanation, RedactedBody: req.RedactedBody, RedactedTitle: req.RedactedTitle, Version: req.Version})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "moderation decision", "item_id", id, "outcome", req.Outcome, "reason", req.Reason,
		"moderator_id", actor.UserID)
	c.JSON(200, toItemJSON(it, actor.UserID))
}

// decideModerationBulk handles POST /api/v1/processes/:slug/moderation/bulk.
func (h *handlers) decideModerationBulk(c *gin.Context) {
	var req bulkRequest
	if !h.bind(c, &req) {
		return
	}
	items := make([]moderation.BulkItem, len(req.Items))
	for n, i := range req.Items {
		items[n] = moderation.BulkItem{ID: i.ID, Version: i.Version}
	}
	actor := actorFrom(c)
	results, err := h.moderation.Bulk(c.Request.Context(), actor, c.Param("slug"), items,
		moderation.DecisionInput{Outcome: req.Outcome, Reason: req.Reason, Explanation: req.Explanation})
	if err != nil {
		h.fail(c, err)
		return
	}
	res := struct {
		Results []bulkResultJSON `json:"results"`
	}{Results: make([]bulkResultJSON, len(results))}
	for n, r := range results {
		res.Results[n] = bulkResultJSON{ID: r.ID, Result: r.Result}
		if r.Result == "decided" {
			h.log.InfoContext(c.Request.Context(), "moderation decision", "item_id", r.ID, "outcome", req.Outcome, "reason", req.Reason,
				"moderator_id", actor.UserID, "bulk", true)
		}
	}
	c.JSON(200, res)
}
