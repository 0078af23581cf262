// Package process owns co-creation processes: one cycle of co-creating an action
// plan, with ordered phases whose open window says what people can do now.
package process

import (
	"time"

	"cocreate/internal/database"
)

// PhaseKind is one stage of a co-creation cycle.
type PhaseKind string

// The phase kinds, in the order a cycle goes through them.
const (
	PhaseAgendaSetting  PhaseKind = "agenda_setting"
	PhaseIdeaCollection PhaseKind = "idea_collection"
	PhaseDrafting       PhaseKind = "drafting"
	PhasePublicComment  PhaseKind = "public_comment"
	PhaseResponse       PhaseKind = "response"
	PhaseImplementation PhaseKind = "implementation"
)

// PhaseOrder lists the kinds in cycle order; a process's phases follow it.
var PhaseOrder = []PhaseKind{
	PhaseAgendaSetting, PhaseIdeaCollection, PhaseDrafting,
	PhasePublicComment, PhaseResponse, PhaseImplementation,
}

func (k PhaseKind) rank() int {
	for i, o := range PhaseOrder {
		if o == k {
			return i
		}
	}
	return -1
}

// Process is one row of processes with its phases in order.
type Process struct {
	ID          int64              `gorm:"column:id;primaryKey"`
	Slug        string             `gorm:"column:slug"`
	Title       string             `gorm:"column:title"`
	Summary     string             `gorm:"column:summary"`
	SummaryHTML string             `gorm:"column:summary_html"`
	Languages   database.TextArray `gorm:"column:languages"`
	CreatedAt   time.Time          `gorm:"column:created_at"`
	UpdatedAt   time.Time          `gorm:"column:updated_at"`
	// PublishedAt is when the process was opened to the public; nil while its
	// owners prepare it (only they and administrators see it then).
	PublishedAt *time.Time `gorm:"column:published_at"`
	Phases      []Phase    `gorm:"-"`
}

// Public reports whether the process is open to the public.
func (p Process) Public() bool { return p.PublishedAt != nil }

// TableName maps Process to its table.
func (Process) TableName() string { return "processes" }

// Phase is one window of a process, [OpensAt, ClosesAt).
type Phase struct {
	ProcessID int64     `gorm:"column:process_id;primaryKey"`
	Kind      PhaseKind `gorm:"column:kind;primaryKey"`
	Position  int       `gorm:"column:position"`
	OpensAt   time.Time `gorm:"column:opens_at"`
	ClosesAt  time.Time `gorm:"column:closes_at"`
}

// TableName maps Phase to its table.
func (Phase) TableName() string { return "process_phases" }

// PhaseState says whether a phase is before, inside or after its window at a time.
type PhaseState string

// The states of a phase relative to now.
const (
	PhaseUpcoming PhaseState = "upcoming"
	PhaseOpen     PhaseState = "open"
	PhaseClosed   PhaseState = "closed"
)

// StateAt returns the phase's state at t.
func (ph Phase) StateAt(t time.Time) PhaseState {
	switch {
	case t.Before(ph.OpensAt):
		return PhaseUpcoming
	case t.Before(ph.ClosesAt):
		return PhaseOpen
	default:
		return PhaseClosed
	}
}

// Stage is where a whole process stands at a time.
type Stage string

// The stages of a process relative to now.
const (
	StageUpcoming      Stage = "upcoming"
	StageActive        Stage = "active"
	StageBetweenPhases Stage = "between_phases"
	StageEnded         Stage = "ended"
)

// CurrentPhase returns the phase open at t, if any.
func (p Process) CurrentPhase(t time.Time) (Phase, bool) {
	for _, ph := range p.Phases {
		if ph.StateAt(t) == PhaseOpen {
			return ph, true
		}
	}
	return Phase{}, false
}

// StageAt says whether the process has not started, has a phase open, sits in a
// gap between phases, or is over at t. A process without phases is upcoming.
func (p Process) StageAt(t time.Time) Stage {
	if _, ok := p.CurrentPhase(t); ok {
		return StageActive
	}
	if len(p.Phases) == 0 || t.Before(p.Phases[0].OpensAt) {
		return StageUpcoming
	}
	if !t.Before(p.Phases[len(p.Phases)-1].ClosesAt) {
		return StageEnded
	}
	return StageBetweenPhases
}
