package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/report"
)

// publishReportRequest is the body of POST /processes/:slug/reports.
type publishReportRequest struct {
	Phase          *string  `json:"phase" binding:"omitempty,max=40"`
	Representative []string `json:"representative" binding:"omitempty,max=20,dive,max=40"`
}

// reportJSON is a published report: its record and its content as hashed.
type reportJSON struct {
	Number        int             `json:"number"`
	Phase         *string         `json:"phase"`
	ContentSHA256 string          `json:"content_sha256"`
	PublishedAt   time.Time       `json:"published_at"`
	LedgerSeq     int64           `json:"ledger_seq"`
	Supersedes    *int            `json:"supersedes"`
	SupersededBy  *int            `json:"superseded_by"`
	Report        json.RawMessage `json:"report"`
}

// reportSummaryJSON is a published report in the list, without its content.
type reportSummaryJSON struct {
	Number        int       `json:"number"`
	Phase         *string   `json:"phase"`
	ContentSHA256 string    `json:"content_sha256"`
	PublishedAt   time.Time `json:"published_at"`
	LedgerSeq     int64     `json:"ledger_seq"`
	Supersedes    *int      `json:"supersedes"`
	SupersededBy  *int      `json:"superseded_by"`
}

func toReportSummary(p report.Published) reportSummaryJSON {
	return reportSummaryJSON{Number: p.Number, Phase: p.Phase, ContentSHA256: p.ContentHash, PublishedAt: p.PublishedAt.UTC(),
		LedgerSeq: p.LedgerSeq, Supersedes: p.SupersedesNumber, SupersededBy: p.SupersededBy}
}

func toReportJSON(p report.Published) reportJSON {
	s := toReportSummary(p)
	return reportJSON{Number: s.Number, Phase: s.Phase, ContentSHA256: s.ContentSHA256, PublishedAt: s.PublishedAt, LedgerSeq: s.LedgerSeq,
		Supersedes: s.Supersedes, SupersededBy: s.SupersededBy, Report: json.RawMessage(p.Content)}
}

// previewReport handles GET /api/v1/processes/:slug/reports/preview: the
// report as it would be published now (?phase=, ?representative=comment:1,idea:2).
func (h *handlers) previewReport(c *gin.Context) {
	in := report.Input{Phase: c.Query("phase")}
	if refs := c.Query("representative"); refs != "" {
		in.Representative = strings.Split(refs, ",")
	}
	r, err := h.reports.Preview(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, r)
}

// publishReport handles POST /api/v1/processes/:slug/reports.
func (h *handlers) publishReport(c *gin.Context) {
	var req publishReportRequest
	if !h.bind(c, &req) {
		return
	}
	in := report.Input{Representative: req.Representative}
	if req.Phase != nil {
		in.Phase = *req.Phase
	}
	p, err := h.reports.Publish(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toReportJSON(p))
}

// listReports handles GET /api/v1/processes/:slug/reports.
func (h *handlers) listReports(c *gin.Context) {
	rows, err := h.reports.Reports(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]reportSummaryJSON, len(rows))
	for i, r := range rows {
		out[i] = toReportSummary(r)
	}
	h.publicJSON(c, gin.H{"reports": out}, "60")
}

// publishedReport reads the report the route names, or answers the failure.
func (h *handlers) publishedReport(c *gin.Context) (report.Published, bool) {
	n, err := strconv.Atoi(c.Param("number"))
	if err != nil || n < 1 {
		h.fail(c, report.ErrNotFound)
		return report.Published{}, false
	}
	p, err := h.reports.Report(c.Request.Context(), actorFrom(c), c.Param("slug"), n)
	if err != nil {
		h.fail(c, err)
		return report.Published{}, false
	}
	return p, true
}

// getReport handles GET /api/v1/processes/:slug/reports/:number.
func (h *handlers) getReport(c *gin.Context) {
	p, ok := h.publishedReport(c)
	if !ok {
		return
	}
	h.publicJSON(c, toReportJSON(p), "60")
}

// exportReport handles GET /api/v1/processes/:slug/reports/:number/export:
// open data, the report's JSON byte for byte as hashed (?format=json) or
// every figure as CSV (?format=csv).
func (h *handlers) exportReport(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	p, ok := h.publishedReport(c)
	if !ok {
		return
	}
	publicCache(c, "300")
	name := c.Param("slug") + "-report-" + strconv.Itoa(p.Number)
	if format == "csv" {
		var r report.Report
		if err := json.Unmarshal([]byte(p.Content), &r); err != nil {
			h.fail(c, fmt.Errorf("api: report %d of %s: %w", p.Number, c.Param("slug"), err))
			return
		}
		h.sendCSV(c, name+".csv", func(w io.Writer) error { return report.WriteCSV(w, r) })
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.json"`)
	c.Data(http.StatusOK, "application/json", []byte(p.Content))
}

// getAnalytics handles GET /api/v1/processes/:slug/analytics: the team's
// live participation figures.
func (h *handlers) getAnalytics(c *gin.Context) {
	a, err := h.reports.Analytics(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, a)
}
