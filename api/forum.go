package api

import (
	"io"
	"net/http"
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

// decisionRuleJSON is a decision rule with the parameters it uses.
type decisionRuleJSON struct {
	Name           forum.Rule `json:"name"`
	QualifiedNum   *int       `json:"qualified_num"`
	QualifiedDen   *int       `json:"qualified_den"`
	ConsensusHours *int       `json:"consensus_hours"`
}

func toDecisionRuleJSON(r forum.DecisionRule) decisionRuleJSON {
	out := decisionRuleJSON{Name: r.Name}
	switch r.Name {
	case forum.RuleQualified:
		out.QualifiedNum, out.QualifiedDen = &r.Num, &r.Den
	case forum.RuleConsensus:
		out.ConsensusHours = &r.ConsensusHours
	}
	return out
}

type forumJSON struct {
	Process     string            `json:"process"`
	SigningRule forum.Rule        `json:"signing_rule"`
	Rule        decisionRuleJSON  `json:"rule"`
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
	out := forumJSON{Process: f.Process.Slug, SigningRule: f.Settings.SigningRule, Rule: toDecisionRuleJSON(f.Settings.Rule()),
		TargetDays: f.Settings.TargetDays,
		Members:    []forumMemberJSON{}, Seats: map[string]int{"government": 0, "civil_society": 0, "other": 0},
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
	SigningRule    string `json:"signing_rule" binding:"required"`
	TargetDays     int    `json:"target_days" binding:"required"`
	QualifiedNum   int    `json:"qualified_num"`
	QualifiedDen   int    `json:"qualified_den"`
	ConsensusHours int    `json:"consensus_hours"`
}

// putForumSettings handles PUT /api/v1/processes/:slug/forum/settings.
func (h *handlers) putForumSettings(c *gin.Context) {
	var req forumSettingsRequest
	if !h.bind(c, &req) {
		return
	}
	f, err := h.forum.SetSettings(c.Request.Context(), actorFrom(c), c.Param("slug"),
		forum.Settings{SigningRule: forum.Rule(req.SigningRule), TargetDays: req.TargetDays, QualifiedNum: req.QualifiedNum,
			QualifiedDen: req.QualifiedDen, ConsensusHours: req.ConsensusHours})
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
	items, next, err := h.forum.Unanswered(c.Request.Context(), actorFrom(c), c.Param("slug"), f)
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

// getCoverage handles GET /api/v1/processes/:slug/coverage.
func (h *handlers) getCoverage(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	cov, rows, err := h.forum.Coverage(c.Request.Context(), actorFrom(c), slug)
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
