package api

import (
	"io"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
	"cocreate/internal/moderation"
)

type houseRuleJSON struct {
	Code        moderation.Reason `json:"code" binding:"required"`
	Description string            `json:"description" binding:"max=4000"`
}

type houseRulesResponse struct {
	Rules []houseRuleJSON `json:"rules"`
}

type screenRulesJSON struct {
	BannedTerms *bool `json:"banned_terms" binding:"required"`
	Links       *int  `json:"links"`
	Duplicate   *bool `json:"duplicate" binding:"required"`
	Campaign    *int  `json:"campaign"`
	Rate        *bool `json:"rate" binding:"required"`
	Shouting    *bool `json:"shouting" binding:"required"`
}

type moderationSettingsJSON struct {
	Mode          moderation.Mode     `json:"mode" binding:"required"`
	HoldFirst     *int                `json:"hold_first" binding:"required"`
	TimeboxHours  *int                `json:"timebox_hours"`
	FlagThreshold *int                `json:"flag_threshold" binding:"required"`
	Rules         *screenRulesJSON    `json:"rules" binding:"required"`
	BannedTerms   map[string][]string `json:"banned_terms" binding:"required,max=50"`
	HouseRules    []houseRuleJSON     `json:"house_rules" binding:"required,max=20,dive"`
}

type moderationTargetJSON struct {
	Type         string  `json:"type"`
	ID           int64   `json:"id"`
	DocumentID   *int64  `json:"document_id"`
	ParagraphKey *string `json:"paragraph_key"`
	IdeaID       *int64  `json:"idea_id"`
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
	Cause    moderation.Cause `json:"cause" binding:"omitempty,oneof=mode new_account screen flags appeal escalated"`
	Target   string           `json:"target" binding:"omitempty,oneof=comment idea"`
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

type appealRequest struct {
	Note string `json:"note" binding:"required,max=8000"`
}

type flagRequest struct {
	Reason moderation.Reason `json:"reason" binding:"required"`
	Note   string            `json:"note" binding:"max=4000"`
}

type myModerationItemJSON struct {
	ID                int64                `json:"id"`
	ProcessSlug       string               `json:"process_slug"`
	Target            moderationTargetJSON `json:"target"`
	State             string               `json:"state"`
	Status            string               `json:"status"`
	Excerpt           string               `json:"excerpt"`
	Outcome           *moderation.Outcome  `json:"outcome"`
	Reason            *moderation.Reason   `json:"reason"`
	ReasonDescription *string              `json:"reason_description"`
	Explanation       *string              `json:"explanation"`
	DecidedAt         *time.Time           `json:"decided_at"`
	AppealableUntil   *time.Time           `json:"appealable_until"`
	Appealed          bool                 `json:"appealed"`
}

type causeCountJSON struct {
	Cause moderation.Cause `json:"cause"`
	Count int              `json:"count"`
}

type decisionCountJSON struct {
	Cause   moderation.Cause   `json:"cause"`
	Outcome moderation.Outcome `json:"outcome"`
	Reason  *moderation.Reason `json:"reason"`
	Count   int                `json:"count"`
}

type appealsJSON struct {
	Made       int `json:"made"`
	Upheld     int `json:"upheld"`
	Overturned int `json:"overturned"`
	Pending    int `json:"pending"`
}

type moderationStatsJSON struct {
	Process               string              `json:"process"`
	Held                  []causeCountJSON    `json:"held"`
	Decided               []decisionCountJSON `json:"decided"`
	Appeals               appealsJSON         `json:"appeals"`
	MedianHoursToDecision *float64            `json:"median_hours_to_decision"`
}

func targetOf(i moderation.Item) moderationTargetJSON {
	if i.CommentID != nil {
		return moderationTargetJSON{Type: "comment", ID: *i.CommentID, DocumentID: i.DocumentID, ParagraphKey: i.ParagraphKey, IdeaID: i.TargetIdeaID}
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
	return r
}

func toSettingsJSON(s moderation.Settings) moderationSettingsJSON {
	b := func(v bool) *bool { return &v }
	hold, flags := s.HoldFirst, s.FlagThreshold
	r := moderationSettingsJSON{Mode: s.Mode, HoldFirst: &hold, TimeboxHours: s.TimeboxHours, FlagThreshold: &flags,
		Rules: &screenRulesJSON{BannedTerms: b(s.Rules.BannedTerms), Links: s.Rules.Links, Duplicate: b(s.Rules.Duplicate),
			Campaign: s.Rules.Campaign, Rate: b(s.Rules.Rate), Shouting: b(s.Rules.Shouting)},
		BannedTerms: s.BannedTerms}
	if r.BannedTerms == nil {
		r.BannedTerms = map[string][]string{}
	}
	for _, h := range s.HouseRuleList() {
		r.HouseRules = append(r.HouseRules, houseRuleJSON{Code: h.Code, Description: h.Description})
	}
	return r
}

// getHouseRules handles GET /api/v1/processes/:slug/house-rules.
func (h *handlers) getHouseRules(c *gin.Context) {
	rules, err := h.moderation.HouseRules(c.Request.Context(), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := houseRulesResponse{Rules: make([]houseRuleJSON, len(rules))}
	for n, r := range rules {
		res.Rules[n] = houseRuleJSON{Code: r.Code, Description: r.Description}
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.JSON(200, res)
}

// getModerationSettings handles GET /api/v1/processes/:slug/moderation/settings.
func (h *handlers) getModerationSettings(c *gin.Context) {
	s, err := h.moderation.Settings(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, toSettingsJSON(s))
}

// putModerationSettings handles PUT /api/v1/processes/:slug/moderation/settings.
func (h *handlers) putModerationSettings(c *gin.Context) {
	var req moderationSettingsJSON
	if !h.bind(c, &req) {
		return
	}
	in := moderation.Settings{Mode: req.Mode, HoldFirst: *req.HoldFirst, TimeboxHours: req.TimeboxHours, FlagThreshold: *req.FlagThreshold,
		Rules: moderation.Rules{BannedTerms: *req.Rules.BannedTerms, Links: req.Rules.Links, Duplicate: *req.Rules.Duplicate,
			Campaign: req.Rules.Campaign, Rate: *req.Rules.Rate, Shouting: *req.Rules.Shouting},
		BannedTerms: req.BannedTerms, HouseRules: map[moderation.Reason]string{}}
	for _, r := range req.HouseRules {
		in.HouseRules[r.Code] = r.Description
	}
	s, err := h.moderation.PutSettings(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toSettingsJSON(s))
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
	case "", moderation.CauseMode, moderation.CauseNewAccount, moderation.CauseScreen, moderation.CauseFlags, moderation.CauseAppeal,
		moderation.CauseEscalated:
	default:
		fe.Add("cause", "enum", "mode, new_account, screen, flags, appeal or escalated")
	}
	if f.Target != "" && f.Target != "comment" && f.Target != "idea" {
		fe.Add("target", "enum", "comment or idea")
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
		Flags: q.Counts[moderation.CauseFlags], Appeal: q.Counts[moderation.CauseAppeal], Escalated: q.Counts[moderation.CauseEscalated]}}
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

func toMyItemJSON(m moderation.Mine) myModerationItemJSON {
	excerpt := m.Body
	if m.Title != nil {
		excerpt = *m.Title
	}
	if r := []rune(excerpt); len(r) > 200 {
		excerpt = string(r[:200]) + "…"
	}
	return myModerationItemJSON{ID: m.ID, ProcessSlug: m.ProcessSlug, Target: targetOf(m.Item), State: m.State, Status: m.Status, Excerpt: excerpt,
		Outcome: m.Outcome, Reason: m.Reason, ReasonDescription: m.ReasonDescription, Explanation: m.Explanation,
		DecidedAt: utcPtr(m.DecidedAt), AppealableUntil: utcPtr(m.AppealableUntil), Appealed: m.Appealed}
}

// appealModerationDecision handles POST /api/v1/moderation/items/:itemID/appeal.
func (h *handlers) appealModerationDecision(c *gin.Context) {
	id, ok := h.pathID(c, "itemID")
	if !ok {
		return
	}
	var req appealRequest
	if !h.bind(c, &req) {
		return
	}
	m, err := h.moderation.Appeal(c.Request.Context(), actorFrom(c), id, req.Note)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(200, toMyItemJSON(m))
}

// listMyModeration handles GET /api/v1/me/moderation.
func (h *handlers) listMyModeration(c *gin.Context) {
	items, err := h.moderation.MyItems(c.Request.Context(), actorFrom(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := struct {
		Items []myModerationItemJSON `json:"items"`
	}{Items: make([]myModerationItemJSON, len(items))}
	for n, m := range items {
		res.Items[n] = toMyItemJSON(m)
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(200, res)
}

// flagComment handles POST /api/v1/comments/:commentID/flags.
func (h *handlers) flagComment(c *gin.Context) { h.flag(c, contribution.KindComment, "commentID") }

// flagIdea handles POST /api/v1/ideas/:ideaID/flags.
func (h *handlers) flagIdea(c *gin.Context) { h.flag(c, contribution.KindIdea, "ideaID") }

func (h *handlers) flag(c *gin.Context, kind contribution.Kind, param string) {
	id, ok := h.pathID(c, param)
	if !ok {
		return
	}
	var req flagRequest
	if !h.bind(c, &req) {
		return
	}
	hidden, err := h.moderation.Flag(c.Request.Context(), actorFrom(c), kind, id, moderation.FlagInput{Reason: req.Reason, Note: req.Note})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(201, gin.H{"hidden": hidden})
}

// getModerationStats handles GET /api/v1/processes/:slug/moderation/stats.
func (h *handlers) getModerationStats(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	st, err := h.moderation.Stats(c.Request.Context(), slug)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	if format == "csv" {
		h.sendCSV(c, slug+"-moderation.csv", func(w io.Writer) error { return moderation.WriteStatsCSV(w, st) })
		return
	}
	res := moderationStatsJSON{Process: slug, Held: []causeCountJSON{}, Decided: []decisionCountJSON{}, MedianHoursToDecision: st.MedianHoursToDecision,
		Appeals: appealsJSON{Made: st.Appeals.Made, Upheld: st.Appeals.Upheld, Overturned: st.Appeals.Overturned, Pending: st.Appeals.Pending}}
	for _, x := range st.Held {
		res.Held = append(res.Held, causeCountJSON{Cause: x.Cause, Count: x.Count})
	}
	for _, x := range st.Decided {
		res.Decided = append(res.Decided, decisionCountJSON{Cause: x.Cause, Outcome: x.Outcome, Reason: x.Reason, Count: x.Count})
	}
	c.JSON(200, res)
}
