// A process's moderation settings and house rules, and its public moderation statistics.

package api

import (
	"io"

	"github.com/gin-gonic/gin"

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
	rules, err := h.moderation.HouseRules(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	res := houseRulesResponse{Rules: make([]houseRuleJSON, len(rules))}
	for n, r := range rules {
		res.Rules[n] = houseRuleJSON{Code: r.Code, Description: r.Description}
	}
	publicCache(c, "60")
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

// getModerationStats handles GET /api/v1/processes/:slug/moderation/stats.
func (h *handlers) getModerationStats(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	slug := c.Param("slug")
	st, err := h.moderation.Stats(c.Request.Context(), actorFrom(c), slug)
	if err != nil {
		h.fail(c, err)
		return
	}
	publicCache(c, "60")
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
