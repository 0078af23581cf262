// Package meeting holds a process's meetings: of its multi-stakeholder forum,
// open meetings with civil society, working groups and meetings with the
// minister. A meeting has a time with its zone, a place and/or a remote link,
// an agenda published beforehand, registration with a capacity and a waiting
// list for open meetings, written input to the agenda from anyone (held by
// moderation like comments), and minutes with attendance afterwards, which
// never change once published (a correction is a new version). It also
// counts how often the forum met, quarter by quarter, against the target its
// terms of reference set.
package meeting

import (
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // zones are checked against the IANA database built in, whatever the host has

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/forum"
	"cocreate/internal/process"
)

// Kind is what sort of meeting it is.
type Kind string

// The kinds of meeting.
const (
	KindForum        Kind = "forum"         // a meeting of the multi-stakeholder forum
	KindOpen         Kind = "open"          // an open meeting with civil society; takes registrations
	KindWorkingGroup Kind = "working_group" // a working group of the forum
	KindMinister     Kind = "minister"      // with the minister
)

// Kinds lists the kinds in the order they are offered.
var Kinds = []Kind{KindForum, KindOpen, KindWorkingGroup, KindMinister}

// Meeting is one meeting, with its registration counts.
type Meeting struct {
	ID          int64      `gorm:"column:id"`
	ProcessID   int64      `gorm:"column:process_id"`
	Process     string     `gorm:"column:process_slug"`
	Kind        Kind       `gorm:"column:kind"`
	Title       string     `gorm:"column:title"`
	StartsAt    time.Time  `gorm:"column:starts_at"`
	EndsAt      time.Time  `gorm:"column:ends_at"`
	TimeZone    string     `gorm:"column:time_zone"`
	Place       string     `gorm:"column:place"`
	RemoteURL   *string    `gorm:"column:remote_url"`
	Agenda      string     `gorm:"column:agenda"`
	AgendaHTML  string     `gorm:"column:agenda_html"`
	Capacity    *int       `gorm:"column:capacity"` // open meetings; nil: no limit
	Revision    int        `gorm:"column:revision"`
	PublishedAt *time.Time `gorm:"column:published_at"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	UpdatedAt   time.Time  `gorm:"column:updated_at"`
	Confirmed   int        `gorm:"column:confirmed"` // registrations with a place
	Waiting     int        `gorm:"column:waiting"`   // on the waiting list
	Inputs      int        `gorm:"column:inputs"`    // published written input
	Versions    int        `gorm:"column:versions"`  // of its minutes

	Minutes []Minutes `gorm:"-"` // Get only, newest version first
	Viewer  Viewer    `gorm:"-"`
}

// Published reports whether the public sees the meeting.
func (m Meeting) Published() bool { return m.PublishedAt != nil }

// Location is the meeting's time zone (checked when it was stored).
func (m Meeting) Location() *time.Location {
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Viewer is what the caller is to a meeting.
type Viewer struct {
	Manage       bool
	Registration *Registration
}

// Registration is a person's registration for an open meeting: a place
// (confirmed), or a place on the waiting list (Position, from 1).
type Registration struct {
	Status   string `gorm:"column:status"`
	Position int    `gorm:"column:position"`
}

// The statuses of a registration.
const (
	StatusConfirmed = "confirmed"
	StatusWaiting   = "waiting"
)

// Options configure the service.
type Options struct {
	Now       func() time.Time
	PublicURL string // links in e-mail
	Log       *slog.Logger
	// Screen is the moderation screen written input to an agenda passes; nil
	// publishes everything.
	Screen contribution.Screen
}

// Service holds the rules of meetings.
type Service struct {
	db    *gorm.DB
	store *Store
	procs *process.Service
	forum *forum.Service
	opt   Options
}

// NewService returns the meeting service.
func NewService(db *gorm.DB, procs *process.Service, f *forum.Service, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, store: NewStore(db), procs: procs, forum: f, opt: opt}
}

// CodeInvalid is the code of bad meeting input.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "meeting.invalid")

// Errors of meetings.
var (
	ErrNotFound            = apperr.NotFound("meeting.not_found", "no such meeting")
	ErrForbidden           = apperr.Forbidden("meeting.forbidden", "only the process's owners may do this")
	ErrStale               = apperr.Conflict("meeting.stale", "the meeting changed since you read it: reload it")
	ErrAlreadyPublished    = apperr.Conflict("meeting.already_published", "the meeting is published already")
	ErrNotPublished        = apperr.Conflict("meeting.not_published", "publish the meeting first")
	ErrNoRegistration      = apperr.Conflict("meeting.no_registration", "only open meetings take registrations")
	ErrRegistrationClosed  = apperr.Conflict("meeting.registration_closed", "the meeting is over: registration is closed")
	ErrNotRegistered       = apperr.Conflict("meeting.not_registered", "you are not registered for this meeting")
	ErrInputClosed         = apperr.Conflict("meeting.input_closed", "the meeting has started: written input to its agenda is closed")
	ErrNotHeld             = apperr.Conflict("meeting.not_held", "minutes are published once the meeting has started")
	ErrMinutesPublished    = apperr.Conflict("meeting.minutes_published", "published minutes never change: publish a correction as a new version")
	ErrMinutesStale        = apperr.Conflict("meeting.minutes_stale", "a newer version of the minutes was published since you read them: reload them")
	ErrContributeForbidden = apperr.Forbidden("meeting.contribute_forbidden", "a signed-in, active account with a confirmed address may do this")
	ErrBadCursor           = apperr.Malformed("meeting.bad_cursor", "the cursor is not one this server gave")
)

// readable returns the meeting with id when actor may see it: published, in
// a process they may read; a draft, to the process's owners. Others get
// ErrNotFound, so a draft's existence does not show.
func (s *Service) readable(ctx context.Context, actor auth.Principal, id int64, forUpdate bool) (Meeting, process.Access, error) {
	m, err := s.store.Meeting(ctx, id, forUpdate)
	if err != nil {
		return Meeting{}, process.Access{}, err
	}
	p, err := s.procs.GetByID(ctx, m.ProcessID)
	if err != nil {
		return Meeting{}, process.Access{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Meeting{}, process.Access{}, ErrNotFound
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Meeting{}, process.Access{}, err
	}
	if !m.Published() && !a.Can(process.Manage) {
		return Meeting{}, process.Access{}, ErrNotFound
	}
	m.Viewer.Manage = a.Can(process.Manage)
	return m, a, nil
}

// managed returns the meeting with id, locked, for one of its process's
// owners: ErrNotFound for those who may not see it, ErrForbidden for the
// others.
func (s *Service) managed(ctx context.Context, actor auth.Principal, id int64) (Meeting, error) {
	m, a, err := s.readable(ctx, actor, id, true)
	if err != nil {
		return Meeting{}, err
	}
	if !a.Can(process.Manage) {
		return Meeting{}, ErrForbidden
	}
	return m, nil
}
