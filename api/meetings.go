// Meetings: of the forum, open meetings with civil society, working groups
// and with the minister; their registrations, written input to their agenda,
// minutes, and how often the forum met.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/meeting"
)

type registrationJSON struct {
	Status   string `json:"status"`
	Position *int   `json:"position"`
}

type attendeeJSON struct {
	MembershipID int64   `json:"membership_id"`
	Name         string  `json:"name"`
	Seat         string  `json:"seat"`
	Organisation string  `json:"organisation"`
	MemberRef    *string `json:"member_ref"`
}

type minutesJSON struct {
	Version          int                `json:"version"`
	Body             string             `json:"body"`
	BodyHTML         string             `json:"body_html"`
	RepositoryItem   *repositoryRefJSON `json:"repository_item"`
	OthersPresent    int                `json:"others_present"`
	Attendees        []attendeeJSON     `json:"attendees"`
	CorrectionReason *string            `json:"correction_reason"`
	PublishedAt      time.Time          `json:"published_at"`
}

type meetingJSON struct {
	ID          int64      `json:"id"`
	Process     string     `json:"process"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	State       string     `json:"state"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	TimeZone    string     `json:"time_zone"`
	StartsLocal string     `json:"starts_local"`
	EndsLocal   string     `json:"ends_local"`
	Place       string     `json:"place"`
	RemoteURL   *string    `json:"remote_url"`
	Agenda      string     `json:"agenda"`
	AgendaHTML  string     `json:"agenda_html"`
	Capacity    *int       `json:"capacity"`
	Confirmed   int        `json:"confirmed"`
	Waiting     int        `json:"waiting"`
	Inputs      int        `json:"inputs"`
	Versions    int        `json:"minutes_versions"`
	Revision    int        `json:"revision"`
	PublishedAt *time.Time `json:"published_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

type meetingDetailJSON struct {
	meetingJSON
	Minutes []minutesJSON `json:"minutes"`
	Viewer  struct {
		Manage       bool              `json:"manage"`
		Registration *registrationJSON `json:"registration"`
	} `json:"viewer"`
}

// meetingState says where a meeting stands: a draft, or upcoming, under way
// or over at now.
func meetingState(m meeting.Meeting, now time.Time) string {
	switch {
	case !m.Published():
		return "draft"
	case now.Before(m.StartsAt):
		return "upcoming"
	case now.Before(m.EndsAt):
		return "in_progress"
	}
	return "past"
}

func (h *handlers) toMeetingJSON(m meeting.Meeting) meetingJSON {
	loc := m.Location()
	return meetingJSON{ID: m.ID, Process: m.Process, Kind: string(m.Kind), Title: m.Title, State: meetingState(m, h.now()),
		StartsAt: m.StartsAt.UTC(), EndsAt: m.EndsAt.UTC(), TimeZone: m.TimeZone, StartsLocal: meeting.Wall(m.StartsAt, loc),
		EndsLocal: meeting.Wall(m.EndsAt, loc), Place: m.Place, RemoteURL: m.RemoteURL, Agenda: m.Agenda, AgendaHTML: m.AgendaHTML,
		Capacity: m.Capacity, Confirmed: m.Confirmed, Waiting: m.Waiting, Inputs: m.Inputs, Versions: m.Versions, Revision: m.Revision,
		PublishedAt: utcPtr(m.PublishedAt), UpdatedAt: m.UpdatedAt.UTC()}
}

func (h *handlers) toMeetingDetailJSON(m meeting.Meeting) meetingDetailJSON {
	out := meetingDetailJSON{meetingJSON: h.toMeetingJSON(m), Minutes: make([]minutesJSON, len(m.Minutes))}
	out.Viewer.Manage = m.Viewer.Manage
	if r := m.Viewer.Registration; r != nil {
		out.Viewer.Registration = &registrationJSON{Status: r.Status}
		if r.Status == meeting.StatusWaiting {
			pos := r.Position
			out.Viewer.Registration.Position = &pos
		}
	}
	for i, v := range m.Minutes {
		j := minutesJSON{Version: v.Version, Body: v.Body, BodyHTML: v.BodyHTML, OthersPresent: v.OthersPresent,
			Attendees: make([]attendeeJSON, len(v.Attendees)), CorrectionReason: v.CorrectionReason, PublishedAt: v.PublishedAt.UTC()}
		if v.RepositoryItemID != nil {
			j.RepositoryItem = &repositoryRefJSON{ID: *v.RepositoryItemID}
			if v.RepositoryTitle != nil {
				j.RepositoryItem.Title = *v.RepositoryTitle
			}
		}
		for k, a := range v.Attendees {
			j.Attendees[k] = attendeeJSON{MembershipID: a.MembershipID, Name: a.Name, Seat: a.Seat, Organisation: a.Organisation, MemberRef: a.MemberRef}
		}
		out.Minutes[i] = j
	}
	return out
}

// listMeetings handles GET /api/v1/processes/:slug/meetings.
func (h *handlers) listMeetings(c *gin.Context) {
	limit, cursor, ok := h.pageParams(c, 20, meeting.MaxPageSize)
	if !ok {
		return
	}
	when := meeting.When(c.DefaultQuery("when", string(meeting.Upcoming)))
	if when != meeting.Upcoming && when != meeting.Past {
		h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "when", Code: "enum", Message: "upcoming or past"}))
		return
	}
	page, err := h.meetings.List(c.Request.Context(), actorFrom(c), c.Param("slug"), when, cursor, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	items := make([]meetingJSON, len(page.Items))
	for i, m := range page.Items {
		items[i] = h.toMeetingJSON(m)
	}
	res := gin.H{"items": items, "next_cursor": nil, "manage": page.Manage}
	if page.NextCursor != "" {
		res["next_cursor"] = page.NextCursor
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, res)
}

type meetingRequest struct {
	Kind      string `json:"kind" binding:"required"`
	Title     string `json:"title"`
	Starts    string `json:"starts"`
	Ends      string `json:"ends"`
	TimeZone  string `json:"time_zone"`
	Place     string `json:"place"`
	RemoteURL string `json:"remote_url"`
	Agenda    string `json:"agenda"`
	Capacity  *int   `json:"capacity"`
	Revision  int    `json:"revision"`
}

func (r meetingRequest) input() meeting.Input {
	return meeting.Input{Kind: meeting.Kind(r.Kind), Title: r.Title, Starts: r.Starts, Ends: r.Ends, TimeZone: r.TimeZone, Place: r.Place,
		RemoteURL: r.RemoteURL, Agenda: r.Agenda, Capacity: r.Capacity, Revision: r.Revision}
}

// createMeeting handles POST /api/v1/processes/:slug/meetings.
func (h *handlers) createMeeting(c *gin.Context) {
	var req meetingRequest
	if !h.bind(c, &req) {
		return
	}
	if req.Revision != 0 {
		h.fail(c, errUnknownField.WithMessage(`unknown field "revision"`))
		return
	}
	m, err := h.meetings.Create(c.Request.Context(), actorFrom(c), c.Param("slug"), req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, h.toMeetingDetailJSON(m))
}

// getMeeting handles GET /api/v1/meetings/:meetingID.
func (h *handlers) getMeeting(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	m, err := h.meetings.Get(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toMeetingDetailJSON(m))
}

// editMeeting handles PATCH /api/v1/meetings/:meetingID.
func (h *handlers) editMeeting(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	var req meetingRequest
	if !h.bind(c, &req) {
		return
	}
	m, err := h.meetings.Update(c.Request.Context(), actorFrom(c), id, req.input())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toMeetingDetailJSON(m))
}

// publishMeeting handles POST /api/v1/meetings/:meetingID/publish.
func (h *handlers) publishMeeting(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	m, err := h.meetings.Publish(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toMeetingDetailJSON(m))
}

// registerForMeeting handles PUT /api/v1/meetings/:meetingID/registration.
func (h *handlers) registerForMeeting(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	m, err := h.meetings.Register(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toMeetingDetailJSON(m))
}

// unregisterFromMeeting handles DELETE /api/v1/meetings/:meetingID/registration.
func (h *handlers) unregisterFromMeeting(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	m, err := h.meetings.Unregister(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toMeetingDetailJSON(m))
}

// listRegistrations handles GET /api/v1/meetings/:meetingID/registrations.
func (h *handlers) listRegistrations(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	rs, err := h.meetings.Registrations(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	items := make([]gin.H, len(rs))
	for i, r := range rs {
		var pos *int
		if r.Status == meeting.StatusWaiting {
			p := r.Position
			pos = &p
		}
		items[i] = gin.H{"name": r.Name, "status": r.Status, "position": pos, "registered_at": r.RegisteredAt.UTC()}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type agendaInputJSON struct {
	ID         int64     `json:"id"`
	AuthorName string    `json:"author_name"`
	Mine       bool      `json:"mine"`
	Body       string    `json:"body"`
	BodyHTML   string    `json:"body_html"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

func toAgendaInputJSON(in meeting.AgendaInput, viewer int64) agendaInputJSON {
	return agendaInputJSON{ID: in.ID, AuthorName: in.AuthorName, Mine: viewer != 0 && in.AuthorID == viewer, Body: in.Body,
		BodyHTML: in.BodyHTML, Status: in.Status, CreatedAt: in.CreatedAt.UTC()}
}

// listMeetingInputs handles GET /api/v1/meetings/:meetingID/inputs.
func (h *handlers) listMeetingInputs(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	actor := actorFrom(c)
	ins, err := h.meetings.Inputs(c.Request.Context(), actor, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	items := make([]agendaInputJSON, len(ins))
	for i, in := range ins {
		items[i] = toAgendaInputJSON(in, actor.UserID)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type agendaInputRequest struct {
	Body string `json:"body" binding:"required"`
}

// addMeetingInput handles POST /api/v1/meetings/:meetingID/inputs.
func (h *handlers) addMeetingInput(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	var req agendaInputRequest
	if !h.bind(c, &req) {
		return
	}
	actor := actorFrom(c)
	in, err := h.meetings.AddInput(c.Request.Context(), actor, id, req.Body)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, toAgendaInputJSON(in, actor.UserID))
}

type minutesRequest struct {
	Body             string  `json:"body"`
	RepositoryItemID *int64  `json:"repository_item_id" binding:"omitempty,min=1"`
	Attendees        []int64 `json:"attendees" binding:"max=500"`
	OthersPresent    int     `json:"others_present"`
	Corrects         int     `json:"corrects"`
	CorrectionReason string  `json:"correction_reason"`
}

// publishMinutes handles POST /api/v1/meetings/:meetingID/minutes.
func (h *handlers) publishMinutes(c *gin.Context) {
	id, ok := h.pathID(c, "meetingID")
	if !ok {
		return
	}
	var req minutesRequest
	if !h.bind(c, &req) {
		return
	}
	m, err := h.meetings.PublishMinutes(c.Request.Context(), actorFrom(c), id, meeting.MinutesInput{Body: req.Body,
		RepositoryItemID: req.RepositoryItemID, Attendees: req.Attendees, OthersPresent: req.OthersPresent, Corrects: req.Corrects,
		CorrectionReason: req.CorrectionReason})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, h.toMeetingDetailJSON(m))
}

// getMeetingFrequency handles GET /api/v1/processes/:slug/meetings/frequency.
func (h *handlers) getMeetingFrequency(c *gin.Context) {
	f, err := h.meetings.Frequency(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	quarters := make([]gin.H, len(f.Quarters))
	for i, q := range f.Quarters {
		quarters[i] = gin.H{"year": q.Year, "quarter": q.Quarter, "held": q.Held, "current": q.Current, "met": q.Held >= f.Target}
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, gin.H{"process": c.Param("slug"), "target_per_quarter": f.Target, "quarters": quarters})
}
