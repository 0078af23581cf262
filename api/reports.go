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
// report as it would be published now (?phase=, ?representative=comment:1,idea:2);
// with Prefer: respond-async, a job that makes it in the background (202).
func (h *handlers) previewReport(c *gin.Context) {
	in := report.Input{Phase: c.Query("phase")}
	if refs := c.Query("representative"); refs != "" {
		in.Representative = strings.Split(refs, ",")
	}
	if respondAsync(c) {
		h.startReportJob(c, report.JobPreview, in)
		return
	}
	r, err := h.reports.Preview(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, r)
}

// publishReport handles POST /api/v1/processes/:slug/reports; with Prefer:
// respond-async, a job that publishes it in the background (202).
func (h *handlers) publishReport(c *gin.Context) {
	var req publishReportRequest
	if !h.bind(c, &req) {
		return
	}
	in := report.Input{Representative: req.Representative}
	if req.Phase != nil {
		in.Phase = *req.Phase
	}
	if respondAsync(c) {
		h.startReportJob(c, report.JobPublish, in)
		return
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

// respondAsync tells whether the request asks to be answered at once and
// the work done in the background (RFC 7240's Prefer: respond-async).
func respondAsync(c *gin.Context) bool {
	for _, v := range c.Request.Header.Values("Prefer") {
		for _, pref := range strings.Split(v, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(pref), ";")
			if strings.EqualFold(strings.TrimSpace(name), "respond-async") {
				return true
			}
		}
	}
	return false
}

// reportJobJSON is a report made in the background: where it stands and,
// once done, its result.
type reportJobJSON struct {
	ID             int64               `json:"id"`
	Action         report.JobAction    `json:"action"`
	Phase          *string             `json:"phase"`
	Representative []string            `json:"representative"`
	State          report.JobState     `json:"state"`
	Progress       reportJobProgress   `json:"progress"`
	Attempts       int                 `json:"attempts"`
	CreatedAt      time.Time           `json:"created_at"`
	FinishedAt     *time.Time          `json:"finished_at"`
	Error          *reportJobErrorJSON `json:"error"`
	ReportNumber   *int                `json:"report_number"`
	Result         *string             `json:"result"`
	Preview        json.RawMessage     `json:"preview,omitempty"`
}

// reportJobProgress is how many of a job's steps are done.
type reportJobProgress struct {
	Step  int `json:"step"`
	Total int `json:"total"`
}

// reportJobErrorJSON is why a job failed (or why its last attempt did).
type reportJobErrorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// reportJobURL is the job's address.
func reportJobURL(slug string, id int64) string {
	return "/api/v1/processes/" + slug + "/report-jobs/" + strconv.FormatInt(id, 10)
}

func toReportJobJSON(slug string, j report.Job) reportJobJSON {
	out := reportJobJSON{ID: j.ID, Action: j.Action, Phase: j.Phase, Representative: []string(j.Representative), State: j.State,
		Progress: reportJobProgress{Step: j.Step, Total: j.Total}, Attempts: j.Attempts, CreatedAt: j.CreatedAt.UTC(),
		FinishedAt: utcPtr(j.FinishedAt), ReportNumber: j.ReportNumber}
	if out.Representative == nil {
		out.Representative = []string{}
	}
	if j.ErrorCode != nil {
		e := reportJobErrorJSON{Code: *j.ErrorCode}
		if j.Error != nil {
			e.Message = *j.Error
		}
		if e.Code == "internal" {
			// The database's words stay in the job's row, for the operator.
			e.Message = "the report could not be made; the job's record holds the details"
		}
		out.Error = &e
	}
	if j.ReportNumber != nil {
		link := "/api/v1/processes/" + slug + "/reports/" + strconv.Itoa(*j.ReportNumber)
		out.Result = &link
	}
	if j.State == report.JobDone && j.Preview != nil {
		link := reportJobURL(slug, j.ID)
		out.Result, out.Preview = &link, json.RawMessage(*j.Preview)
	}
	return out
}

// startReportJob answers a respond-async preview or publication: 202 with
// the job and its address in Location, once the input is checked.
func (h *handlers) startReportJob(c *gin.Context, action report.JobAction, in report.Input) {
	slug := c.Param("slug")
	j, err := h.reports.StartJob(c.Request.Context(), actorFrom(c), slug, action, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Location", reportJobURL(slug, j.ID))
	c.Header("Preference-Applied", "respond-async")
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusAccepted, toReportJobJSON(slug, j))
}

// getReportJob handles GET /api/v1/processes/:slug/report-jobs/:jobID: where a
// report made in the background stands, and its result once done.
func (h *handlers) getReportJob(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("jobID"), 10, 64)
	if err != nil {
		id = 0
	}
	j, err := h.reports.Job(c.Request.Context(), actorFrom(c), c.Param("slug"), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, toReportJobJSON(c.Param("slug"), j))
}
