// Commitments of the adopted plan: the public dashboard and its open data,
// each commitment's page, and the owners' writes (create, replace, withdraw,
// the implementation settings).

package api

import (
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/commitment"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

type memberRequest struct {
	Name         string       `json:"name" binding:"max=1000"`
	Organisation string       `json:"organisation" binding:"max=1000"`
	Seat         process.Seat `json:"seat" binding:"max=40"`
	AccountEmail string       `json:"account_email" binding:"max=1000"`
}

type milestoneRequest struct {
	ID             int64  `json:"id" binding:"omitempty,min=1"`
	Title          string `json:"title" binding:"max=2000"`
	DueOn          string `json:"due_on" binding:"max=40"`
	CompletedOn    string `json:"completed_on" binding:"max=40"`
	EvidenceURL    string `json:"evidence_url" binding:"max=8000"`
	EvidenceItemID int64  `json:"evidence_item_id" binding:"omitempty,min=1"`
}

type sourceRequest struct {
	Kind         string `json:"kind" binding:"required,oneof=paragraph idea response"`
	ID           int64  `json:"id" binding:"omitempty,min=1"`
	DocumentID   int64  `json:"document_id" binding:"omitempty,min=1"`
	ParagraphKey string `json:"paragraph_key" binding:"max=64"`
}

// commitmentRequest creates a commitment, or (with revision) replaces one.
// Its status is not among its fields: it is computed, and a body that names
// it is refused (400 request.unknown_field).
type commitmentRequest struct {
	Revision        int                `json:"revision" binding:"omitempty,min=1"`
	Title           string             `json:"title" binding:"max=1000"`
	Description     string             `json:"description" binding:"max=20000"`
	LeadInstitution string             `json:"lead_institution" binding:"max=1000"`
	OtherActors     []string           `json:"other_actors" binding:"max=100,dive,max=1000"`
	Theme           string             `json:"theme" binding:"max=400"`
	StartsOn        string             `json:"starts_on" binding:"max=40"`
	EndsOn          string             `json:"ends_on" binding:"max=40"`
	Values          []string           `json:"values" binding:"max=20,dive,max=40"`
	Members         []memberRequest    `json:"members" binding:"max=200,dive"`
	Milestones      []milestoneRequest `json:"milestones" binding:"max=200,dive"`
	Sources         []sourceRequest    `json:"sources" binding:"max=200,dive"`
}

func (r commitmentRequest) input() commitment.CommitmentInput {
	in := commitment.CommitmentInput{Revision: r.Revision, Title: r.Title, Description: r.Description, LeadInstitution: r.LeadInstitution,
		OtherActors: r.OtherActors, Theme: r.Theme, StartsOn: r.StartsOn, EndsOn: r.EndsOn, Values: r.Values}
	for _, m := range r.Members {
		in.Members = append(in.Members, commitment.MemberInput{Name: m.Name, Organisation: m.Organisation, Seat: m.Seat, AccountEmail: m.AccountEmail})
	}
	for _, m := range r.Milestones {
		in.Milestones = append(in.Milestones, commitment.MilestoneInput{ID: m.ID, Title: m.Title, DueOn: m.DueOn, CompletedOn: m.CompletedOn,
			EvidenceURL: m.EvidenceURL, EvidenceItemID: m.EvidenceItemID})
	}
	for _, s := range r.Sources {
		in.Sources = append(in.Sources, commitment.SourceInput{Kind: s.Kind, ID: s.ID, DocumentID: s.DocumentID, ParagraphKey: s.ParagraphKey})
	}
	return in
}

type withdrawRequest struct {
	Revision int    `json:"revision" binding:"required,min=1"`
	Reason   string `json:"reason" binding:"max=8000"`
}

type holidayJSON struct {
	Day  string `json:"day" binding:"max=40"`
	Name string `json:"name" binding:"max=400"`
}

type settingsRequest struct {
	AtRiskDays       int           `json:"at_risk_days"`
	Holidays         []holidayJSON `json:"holidays" binding:"max=1000,dive"`
	SelfAssessmentID *int64        `json:"self_assessment_id" binding:"omitempty,min=1"`
}

type implementationSettingsJSON struct {
	Process              string        `json:"process"`
	AtRiskDays           int           `json:"at_risk_days"`
	Holidays             []holidayJSON `json:"holidays"`
	SelfAssessmentID     *int64        `json:"self_assessment_id"`
	UpdateIntervalMonths int           `json:"update_interval_months"`
	ReminderDays         int           `json:"reminder_days"`
	AnswerTargetDays     int           `json:"answer_target_days"`
}

func toImplementationSettingsJSON(slug string, st commitment.Settings) implementationSettingsJSON {
	out := implementationSettingsJSON{Process: slug, AtRiskDays: st.AtRiskDays, Holidays: make([]holidayJSON, len(st.Holidays)),
		SelfAssessmentID: st.SelfAssessmentID, UpdateIntervalMonths: commitment.UpdateIntervalMonths, ReminderDays: commitment.ReminderDays,
		AnswerTargetDays: commitment.AnswerTargetDays}
	for i, h := range st.Holidays {
		out.Holidays[i] = holidayJSON{Day: h.Day.String(), Name: h.Name}
	}
	return out
}

// dateJSON is a day as the API writes it: "2027-03-15".
func dateJSON(d *workdays.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

type nextMilestoneJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	DueOn string `json:"due_on"`
}

type commitmentSummaryJSON struct {
	ID               int64              `json:"id"`
	Title            string             `json:"title"`
	Theme            string             `json:"theme"`
	LeadInstitution  string             `json:"lead_institution"`
	StartsOn         string             `json:"starts_on"`
	EndsOn           string             `json:"ends_on"`
	Status           commitment.Status  `json:"status"`
	StatusReason     commitment.Why     `json:"status_reason"`
	StatusDays       int                `json:"status_days"`
	MilestonesTotal  int                `json:"milestones_total"`
	MilestonesDone   int                `json:"milestones_done"`
	PercentDone      int                `json:"percent_done"`
	LastUpdateOn     *string            `json:"last_update_on"`
	NextUpdateDueOn  string             `json:"next_update_due_on"`
	NextMilestone    *nextMilestoneJSON `json:"next_milestone"`
	OpenQuestions    int                `json:"open_questions"`
	OverdueQuestions int                `json:"overdue_questions"`
	WithdrawalReason *string            `json:"withdrawal_reason"`
}

type statusCountJSON struct {
	Status commitment.Status `json:"status"`
	Count  int               `json:"count"`
}

type selfAssessmentJSON struct {
	DocumentID int64      `json:"document_id"`
	Title      string     `json:"title"`
	Version    *int       `json:"version"`
	State      string     `json:"state"`
	OpensAt    *time.Time `json:"opens_at"`
	ClosesAt   *time.Time `json:"closes_at"`
	WindowDays *float64   `json:"window_days"`
	Short      bool       `json:"short"`
}

type dashboardJSON struct {
	Process              string                  `json:"process"`
	ProcessTitle         string                  `json:"process_title"`
	Today                string                  `json:"today"`
	AtRiskDays           int                     `json:"at_risk_days"`
	UpdateIntervalMonths int                     `json:"update_interval_months"`
	AnswerTargetDays     int                     `json:"answer_target_days"`
	Total                int                     `json:"total"`
	Summary              []statusCountJSON       `json:"summary"`
	Commitments          []commitmentSummaryJSON `json:"commitments"`
	OpenQuestions        int                     `json:"open_questions"`
	OverdueQuestions     []questionJSON          `json:"overdue_questions"`
	SelfAssessment       *selfAssessmentJSON     `json:"self_assessment"`
}

// percent is done out of total as a whole percentage, rounded down (100 only when all are done).
func percent(done, total int) int {
	if total == 0 {
		return 0
	}
	return int(math.Floor(float64(done) * 100 / float64(total)))
}

func toSummaryJSON(it commitment.Item) commitmentSummaryJSON {
	out := commitmentSummaryJSON{ID: it.ID, Title: it.Title, Theme: it.Theme, LeadInstitution: it.LeadInstitution, StartsOn: it.StartsOn.String(),
		EndsOn: it.EndsOn.String(), Status: it.Verdict.Status, StatusReason: it.Verdict.Why, StatusDays: it.Verdict.Days,
		MilestonesTotal: it.MilestonesTotal, MilestonesDone: it.MilestonesDone, PercentDone: percent(it.MilestonesDone, it.MilestonesTotal),
		LastUpdateOn: dateJSON(it.LastUpdateOn), NextUpdateDueOn: it.NextUpdateDue.String(), OpenQuestions: it.OpenQuestions,
		OverdueQuestions: it.OverdueQuestions, WithdrawalReason: it.WithdrawalReason}
	if m := it.NextMilestone; m != nil {
		out.NextMilestone = &nextMilestoneJSON{ID: m.ID, Title: m.Title, DueOn: m.DueOn.String()}
	}
	return out
}

func toDashboardJSON(d commitment.Dashboard) dashboardJSON {
	out := dashboardJSON{Process: d.Process.Slug, ProcessTitle: d.Process.Title, Today: d.Today.String(), AtRiskDays: d.AtRiskDays,
		UpdateIntervalMonths: commitment.UpdateIntervalMonths, AnswerTargetDays: commitment.AnswerTargetDays, Total: len(d.Items),
		Summary: make([]statusCountJSON, len(commitment.Statuses)), Commitments: make([]commitmentSummaryJSON, len(d.Items)),
		OpenQuestions: d.OpenQuestions, OverdueQuestions: make([]questionJSON, len(d.Overdue))}
	for i, s := range commitment.Statuses {
		out.Summary[i] = statusCountJSON{Status: s, Count: d.Counts[s]}
	}
	for i, it := range d.Items {
		out.Commitments[i] = toSummaryJSON(it)
	}
	for i, q := range d.Overdue {
		out.OverdueQuestions[i] = toQuestionJSON(q)
	}
	if sa := d.SelfAssessment; sa != nil {
		out.SelfAssessment = &selfAssessmentJSON{DocumentID: sa.DocumentID, Title: sa.Title, Version: sa.Version, State: sa.State,
			OpensAt: utcPtr(sa.OpensAt), ClosesAt: utcPtr(sa.ClosesAt), WindowDays: sa.WindowDays, Short: sa.Short}
	}
	return out
}

type memberJSON struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Organisation string       `json:"organisation"`
	Seat         process.Seat `json:"seat"`
	HasAccount   bool         `json:"has_account"`
	AccountEmail *string      `json:"account_email,omitempty"`
}

type repositoryRefJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

type milestoneJSON struct {
	ID             int64              `json:"id"`
	Title          string             `json:"title"`
	DueOn          string             `json:"due_on"`
	CompletedOn    *string            `json:"completed_on"`
	LateDays       int                `json:"late_days"`
	EvidenceURL    *string            `json:"evidence_url"`
	EvidenceItem   *repositoryRefJSON `json:"evidence_item"`
	EvidenceItemID *int64             `json:"evidence_item_id"`
}

type sourceJSON struct {
	Kind         string  `json:"kind"`
	ID           *int64  `json:"id"`
	DocumentID   *int64  `json:"document_id"`
	ParagraphKey *string `json:"paragraph_key"`
	Label        string  `json:"label"`
}

type viewerJSON struct {
	Manage            bool    `json:"manage"`
	Write             bool    `json:"write"`
	PublishGovernment bool    `json:"publish_government"`
	Sign              bool    `json:"sign"`
	Answer            bool    `json:"answer"`
	AnswerAs          *string `json:"answer_as"`
	Moderate          bool    `json:"moderate"`
}

func toViewerJSON(v commitment.Viewer) viewerJSON {
	out := viewerJSON{Manage: v.Manage, Write: v.Write, PublishGovernment: v.PublishGovernment, Sign: v.Sign, Answer: v.Answer, Moderate: v.Moderate}
	if v.AnswerAs != "" {
		as := v.AnswerAs
		out.AnswerAs = &as
	}
	return out
}

type commitmentJSON struct {
	ID               int64             `json:"id"`
	Process          string            `json:"process"`
	ProcessTitle     string            `json:"process_title"`
	Title            string            `json:"title"`
	Description      string            `json:"description"`
	DescriptionHTML  string            `json:"description_html"`
	LeadInstitution  string            `json:"lead_institution"`
	OtherActors      []string          `json:"other_actors"`
	Theme            string            `json:"theme"`
	StartsOn         string            `json:"starts_on"`
	EndsOn           string            `json:"ends_on"`
	Values           []string          `json:"values"`
	WithdrawnAt      *time.Time        `json:"withdrawn_at"`
	WithdrawalReason *string           `json:"withdrawal_reason"`
	Revision         int               `json:"revision"`
	Status           commitment.Status `json:"status"`
	StatusReason     commitment.Why    `json:"status_reason"`
	StatusDays       int               `json:"status_days"`
	NextUpdateDueOn  string            `json:"next_update_due_on"`
	AtRiskDays       int               `json:"at_risk_days"`
	Members          []memberJSON      `json:"members"`
	Milestones       []milestoneJSON   `json:"milestones"`
	Sources          []sourceJSON      `json:"sources"`
	Updates          []progressJSON    `json:"updates"`
	SigningRule      string            `json:"signing_rule"`
	Viewer           viewerJSON        `json:"viewer"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	TodayOn          string            `json:"today"`
}

func toMilestoneJSON(m commitment.Milestone, today workdays.Date) milestoneJSON {
	out := milestoneJSON{ID: m.ID, Title: m.Title, DueOn: m.DueOn.String(), CompletedOn: dateJSON(m.CompletedOn), EvidenceURL: m.EvidenceURL,
		EvidenceItemID: m.EvidenceItemID}
	if m.CompletedOn == nil && today > m.DueOn {
		out.LateDays = int(today - m.DueOn)
	}
	if m.EvidenceItemID != nil {
		title := ""
		if m.EvidenceTitle != nil {
			title = *m.EvidenceTitle
		}
		out.EvidenceItem = &repositoryRefJSON{ID: *m.EvidenceItemID, Title: title}
	}
	return out
}

func toCommitmentJSON(d commitment.Detail, today workdays.Date) commitmentJSON {
	out := commitmentJSON{ID: d.ID, Process: d.Process.Slug, ProcessTitle: d.Process.Title, Title: d.Title, Description: d.Description,
		DescriptionHTML: d.DescriptionHTML, LeadInstitution: d.LeadInstitution, OtherActors: d.OtherActors, Theme: d.Theme,
		StartsOn: d.StartsOn.String(), EndsOn: d.EndsOn.String(), Values: d.Values, WithdrawnAt: utcPtr(d.WithdrawnAt),
		WithdrawalReason: d.WithdrawalReason, Revision: d.Revision, Status: d.Verdict.Status, StatusReason: d.Verdict.Why,
		StatusDays: d.Verdict.Days, NextUpdateDueOn: d.NextUpdateDue.String(), AtRiskDays: d.AtRiskDays,
		Members: make([]memberJSON, len(d.Members)), Milestones: make([]milestoneJSON, len(d.Milestones)), Sources: make([]sourceJSON, len(d.Sources)),
		Updates: make([]progressJSON, len(d.Updates)), SigningRule: d.SigningRule, Viewer: toViewerJSON(d.Viewer),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), TodayOn: today.String()}
	if out.OtherActors == nil {
		out.OtherActors = []string{}
	}
	if out.Values == nil {
		out.Values = []string{}
	}
	for i, m := range d.Members {
		out.Members[i] = memberJSON{ID: m.ID, Name: m.Name, Organisation: m.Organisation, Seat: m.Seat, HasAccount: m.UserID != nil}
		if d.Viewer.Manage {
			email := ""
			if m.AccountEmail != nil {
				email = *m.AccountEmail
			}
			out.Members[i].AccountEmail = &email
		}
	}
	for i, m := range d.Milestones {
		out.Milestones[i] = toMilestoneJSON(m, today)
	}
	for i, s := range d.Sources {
		id := s.IdeaID
		if s.ResponseID != nil {
			id = s.ResponseID
		}
		out.Sources[i] = sourceJSON{Kind: s.Kind, ID: id, DocumentID: s.DocumentID, ParagraphKey: s.ParagraphKey, Label: s.Label}
	}
	for i, u := range d.Updates {
		out.Updates[i] = toProgressJSON(u)
	}
	return out
}

// dashboardProcess returns the id of the process with slug, remembered once
// found (h.processIDs): a slug never changes, and the read cache keeps the
// dashboard's generation by the process's id.
func (h *handlers) dashboardProcess(c *gin.Context) (int64, bool) {
	slug := c.Param("slug")
	if id, ok := h.processIDs.Load(slug); ok {
		return id.(int64), true
	}
	id, err := h.processes.IDOf(c.Request.Context(), slug)
	if err != nil {
		h.fail(c, err)
		return 0, false
	}
	h.processIDs.Store(slug, id)
	return id, true
}

// getDashboard handles GET /api/v1/processes/:slug/commitments: the public
// dashboard, served from the read cache (each write that changes it bumps
// the process's generation).
func (h *handlers) getDashboard(c *gin.Context) {
	id, ok := h.dashboardProcess(c)
	if !ok {
		return
	}
	h.cachedPublicJSON(c, processScope(id), "dashboard:"+strconv.FormatInt(id, 10), "5", func() (any, bool, error) {
		d, err := h.commitments.Dashboard(c.Request.Context(), actorFrom(c), c.Param("slug"))
		if err != nil {
			return nil, false, err
		}
		return toDashboardJSON(d), d.Process.Public(), nil
	})
}

// exportCommitments handles GET /api/v1/processes/:slug/commitments/export:
// JSON (everything), or one table as CSV (?format=csv&table=...).
func (h *handlers) exportCommitments(c *gin.Context) {
	format, ok := h.exportFormat(c, "json")
	if !ok {
		return
	}
	table := c.DefaultQuery("table", "commitments")
	if format == "csv" && !slices.Contains(commitment.ExportTables, table) {
		h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "table", Code: "enum", Message: "commitments, milestones or updates"}))
		return
	}
	e, err := h.commitments.Export(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	if !e.Process.Public() {
		c.Header("Cache-Control", "private, no-store")
	}
	if format == "csv" {
		h.sendCSV(c, e.Process.Slug+"-"+table+".csv", func(w io.Writer) error { return e.WriteCSV(w, table) })
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+e.Process.Slug+`-commitments.json"`)
	c.JSON(http.StatusOK, toExportJSON(e))
}

type exportedCommitmentJSON struct {
	commitmentSummaryJSON
	Description string          `json:"description"`
	OtherActors []string        `json:"other_actors"`
	Values      []string        `json:"values"`
	Members     []memberJSON    `json:"working_group"`
	Milestones  []milestoneJSON `json:"milestones"`
	Updates     []progressJSON  `json:"updates"`
}

type exportJSON struct {
	Process     string                   `json:"process"`
	Today       string                   `json:"today"`
	AtRiskDays  int                      `json:"at_risk_days"`
	Commitments []exportedCommitmentJSON `json:"commitments"`
}

func toExportJSON(e commitment.Export) exportJSON {
	out := exportJSON{Process: e.Process.Slug, Today: e.Today.String(), AtRiskDays: e.AtRiskDays, Commitments: make([]exportedCommitmentJSON, len(e.Items))}
	for i, it := range e.Items {
		x := exportedCommitmentJSON{commitmentSummaryJSON: toSummaryJSON(it), Description: it.Description, OtherActors: it.OtherActors,
			Values: it.Values, Members: []memberJSON{}, Milestones: []milestoneJSON{}, Updates: []progressJSON{}}
		for _, m := range e.Members[it.ID] {
			x.Members = append(x.Members, memberJSON{ID: m.ID, Name: m.Name, Organisation: m.Organisation, Seat: m.Seat})
		}
		for _, m := range e.Milestones[it.ID] {
			x.Milestones = append(x.Milestones, toMilestoneJSON(m, e.Today))
		}
		for _, u := range e.Updates[it.ID] {
			x.Updates = append(x.Updates, toProgressJSON(u))
		}
		if x.OtherActors == nil {
			x.OtherActors = []string{}
		}
		if x.Values == nil {
			x.Values = []string{}
		}
		out.Commitments[i] = x
	}
	return out
}

// createCommitment handles POST /api/v1/processes/:slug/commitments.
func (h *handlers) createCommitment(c *gin.Context) {
	var req commitmentRequest
	if !h.bind(c, &req) {
		return
	}
	in := req.input()
	in.Revision = 0
	d, err := h.commitments.Create(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, toCommitmentJSON(d, workdays.DateOf(h.now())))
}

// getCommitment handles GET /api/v1/commitments/:commitmentID.
func (h *handlers) getCommitment(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	actor := actorFrom(c)
	d, err := h.commitments.Get(c.Request.Context(), actor, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	res := toCommitmentJSON(d, workdays.DateOf(h.now()))
	if actor.Authenticated() || !d.Process.Public() {
		// What the caller may do, drafts and addresses are theirs alone.
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, res)
		return
	}
	h.publicJSON(c, res, "5")
}

// replaceCommitment handles PUT /api/v1/commitments/:commitmentID.
func (h *handlers) replaceCommitment(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	var req commitmentRequest
	if !h.bind(c, &req) {
		return
	}
	d, err := h.commitments.Replace(c.Request.Context(), actorFrom(c), id, req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toCommitmentJSON(d, workdays.DateOf(h.now())))
}

// withdrawCommitment handles POST /api/v1/commitments/:commitmentID/withdraw.
func (h *handlers) withdrawCommitment(c *gin.Context) {
	id, ok := h.pathID(c, "commitmentID")
	if !ok {
		return
	}
	var req withdrawRequest
	if !h.bind(c, &req) {
		return
	}
	d, err := h.commitments.Withdraw(c.Request.Context(), actorFrom(c), id, req.Revision, req.Reason)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toCommitmentJSON(d, workdays.DateOf(h.now())))
}

// getImplementationSettings handles GET /api/v1/processes/:slug/implementation-settings.
func (h *handlers) getImplementationSettings(c *gin.Context) {
	st, err := h.commitments.Settings(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, toImplementationSettingsJSON(c.Param("slug"), st))
}

// putImplementationSettings handles PUT /api/v1/processes/:slug/implementation-settings.
func (h *handlers) putImplementationSettings(c *gin.Context) {
	var req settingsRequest
	if !h.bind(c, &req) {
		return
	}
	in := commitment.SettingsInput{AtRiskDays: req.AtRiskDays, SelfAssessmentID: req.SelfAssessmentID}
	for _, hd := range req.Holidays {
		in.Holidays = append(in.Holidays, commitment.HolidayInput{Day: hd.Day, Name: hd.Name})
	}
	st, err := h.commitments.SetSettings(c.Request.Context(), actorFrom(c), c.Param("slug"), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toImplementationSettingsJSON(c.Param("slug"), st))
}
