package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/process"
)

type decisionPointJSON struct {
	Label string `json:"label" binding:"max=2000"`
	Date  string `json:"date" binding:"max=64"`
}

// mandateRequest is a whole engagement mandate; it replaces the stored one.
// The bounds here only cap the body's size; the service checks the rules.
type mandateRequest struct {
	Purpose        string              `json:"purpose" binding:"max=50000"`
	OpenItems      []string            `json:"open_items" binding:"max=100,dive,max=5000"`
	FixedItems     []string            `json:"fixed_items" binding:"max=100,dive,max=5000"`
	UseOfInput     string              `json:"use_of_input" binding:"max=50000"`
	DecisionMaker  string              `json:"decision_maker" binding:"max=3000"`
	DecisionPoints []decisionPointJSON `json:"decision_points" binding:"max=100,dive"`
	IAP2Level      *string             `json:"iap2_level" binding:"omitempty,max=40"`
	ContactName    string              `json:"contact_name" binding:"max=2000"`
	ContactEmail   string              `json:"contact_email" binding:"max=2000"`
	PrivacyNotice  string              `json:"privacy_notice" binding:"max=100000"`
	// UpdatedAt is the mandate's updated_at as the editor read it (null when
	// there was none): a mandate saved since is not overwritten.
	UpdatedAt *string `json:"updated_at" binding:"omitempty,max=64"`
}

type mandateResponse struct {
	Purpose        string                  `json:"purpose"`
	OpenItems      []string                `json:"open_items"`
	FixedItems     []string                `json:"fixed_items"`
	UseOfInput     string                  `json:"use_of_input"`
	DecisionMaker  string                  `json:"decision_maker"`
	DecisionPoints []process.DecisionPoint `json:"decision_points"`
	IAP2Level      *process.IAP2Level      `json:"iap2_level"`
	ContactName    string                  `json:"contact_name"`
	ContactEmail   string                  `json:"contact_email"`
	PrivacyNotice  string                  `json:"privacy_notice"`
	PrivacyHTML    string                  `json:"privacy_html"`
	UpdatedAt      *time.Time              `json:"updated_at"`
	// Missing names the parts left empty, which owners are warned about.
	Missing []string `json:"missing"`
}

func toMandateResponse(m process.Mandate) mandateResponse {
	r := mandateResponse{Purpose: m.Purpose, OpenItems: append([]string{}, m.OpenItems...),
		FixedItems: append([]string{}, m.FixedItems...), UseOfInput: m.UseOfInput, DecisionMaker: m.DecisionMaker,
		DecisionPoints: append([]process.DecisionPoint{}, m.DecisionPoints...), IAP2Level: m.IAP2Level,
		ContactName: m.ContactName, ContactEmail: m.ContactEmail, PrivacyNotice: m.PrivacyNotice,
		PrivacyHTML: m.PrivacyHTML, UpdatedAt: utcPtr(m.UpdatedAt), Missing: m.Missing()}
	return r
}

// mandateWarnings are the warnings of a publication: one per empty part of
// the mandate, named like the mandate's fields.
func mandateWarnings(m process.Mandate) []apperr.FieldError {
	out := []apperr.FieldError{}
	for _, part := range m.Missing() {
		out = append(out, apperr.FieldError{Field: part, Code: "empty", Message: "this part of the engagement mandate is empty"})
	}
	return out
}

// putMandate handles PUT /api/v1/processes/:slug/mandate.
func (h *handlers) putMandate(c *gin.Context) {
	var req mandateRequest
	if !h.bind(c, &req) {
		return
	}
	in := process.MandateInput{Purpose: req.Purpose, OpenItems: req.OpenItems, FixedItems: req.FixedItems,
		UseOfInput: req.UseOfInput, DecisionMaker: req.DecisionMaker, ContactName: req.ContactName,
		ContactEmail: req.ContactEmail, PrivacyNotice: req.PrivacyNotice,
		DecisionPoints: make([]process.DecisionPoint, len(req.DecisionPoints))}
	for i, dp := range req.DecisionPoints {
		in.DecisionPoints[i] = process.DecisionPoint{Label: dp.Label, Date: dp.Date}
	}
	if req.IAP2Level != nil && *req.IAP2Level != "" {
		level := process.IAP2Level(*req.IAP2Level)
		in.IAP2Level = &level
	}
	if req.UpdatedAt != nil {
		t, err := time.Parse(time.RFC3339Nano, *req.UpdatedAt)
		if err != nil {
			h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "updated_at", Code: "date",
				Message: "the updated_at of the mandate as read, or null"}))
			return
		}
		in.UpdatedAt = &t
	}
	m, err := h.processes.PutMandate(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "mandate saved", "slug", c.Param("slug"), "by", actorFrom(c).UserID)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toMandateResponse(m))
}
