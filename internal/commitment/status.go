package commitment

import "cocreate/internal/workdays"

// Status is a commitment's status. It is computed from the commitment's
// milestones and updates by Rule, never typed by anyone.
type Status string

// The statuses, in the order the dashboard's summary lists them.
const (
	StatusNotStarted Status = "not_started"
	StatusOnTrack    Status = "on_track"
	StatusAtRisk     Status = "at_risk"
	StatusDelayed    Status = "delayed"
	StatusCompleted  Status = "completed"
	StatusWithdrawn  Status = "withdrawn"
)

// Statuses lists every status in the summary's order.
var Statuses = []Status{StatusNotStarted, StatusOnTrack, StatusAtRisk, StatusDelayed, StatusCompleted, StatusWithdrawn}

// Why says which part of the rule gave a commitment its status.
type Why string

// The reasons, one per clause of Rule.
const (
	WhyWithdrawn  Why = "withdrawn"       // withdrawn by an owner, with a reason
	WhyAllDone    Why = "all_done"        // every milestone is completed
	WhyNotBegun   Why = "not_begun"       // its start date is still ahead
	WhyLate       Why = "milestone_late"  // a milestone is late (Days: by how many days)
	WhyNoUpdate   Why = "no_update"       // no progress update for more than UpdateInterval (Days: since the last, or since the start)
	WhyFlagged    Why = "flagged_at_risk" // the last update reported a milestone at risk
	WhyNoProgress Why = "no_progress"     // begun, but no milestone done and no update yet
	WhyOnTrack    Why = "on_track"        // none of the above
)

// UpdateIntervalMonths is how often a commitment's progress is published at
// the least: OGP asks for an update at least every six months.
const UpdateIntervalMonths = 6

// ReminderDays is how long before an update falls due its owners are reminded.
const ReminderDays = 14

// DefaultAtRiskDays is N until an owner sets it: a milestone late by up to N
// days puts its commitment at risk, later than that delays it.
const DefaultAtRiskDays = 30

// MilestoneFact is what the rule reads of a milestone.
type MilestoneFact struct {
	Due       workdays.Date
	Completed *workdays.Date
}

// Facts are what the rule reads of a commitment on a day.
type Facts struct {
	Withdrawn  bool
	Start, End workdays.Date
	Milestones []MilestoneFact
	// LastUpdate is the day the latest progress update was published; nil
	// before the first.
	LastUpdate *workdays.Date
	// FlaggedAtRisk: the latest update reported one of the milestones at risk.
	FlaggedAtRisk bool
}

// Verdict is a commitment's status on a day and why.
type Verdict struct {
	Status Status
	Why    Why
	Days   int // for WhyLate: days the latest milestone is late; for WhyNoUpdate: days since the last update (or the start)
}

// NextUpdateDue is the day a commitment's next progress update falls due:
// UpdateIntervalMonths after its latest update, or after its start before the first.
func (f Facts) NextUpdateDue() workdays.Date {
	from := f.Start
	if f.LastUpdate != nil {
		from = *f.LastUpdate
	}
	return from.AddMonths(UpdateIntervalMonths)
}

// Rule is the one rule that gives a commitment its status on day today, with
// atRiskDays the process's N. The clauses are tried in order; the first that
// holds decides:
//
//  1. withdrawn: an owner withdrew it (with a public reason).
//  2. completed: it has milestones and every one is completed.
//  3. not started: its start date is after today.
//  4. delayed: a milestone is late by more than N days; or no progress update
//     was published for more than six months (since the last update, or
//     since the start before the first).
//  5. at risk: a milestone is late by 1 to N days; or the last update
//     reported a milestone at risk.
//  6. not started: it has begun, but no milestone is completed and no update
//     was published yet.
//  7. on track: anything else.
//
// A milestone is late on the days after its due date until it is completed;
// due today is not late. Dates are calendar days in UTC. Every commitment has
// at least one milestone, each inside the commitment's dates, so a commitment
// whose end has passed without all its milestones done has a late one.
func Rule(f Facts, today workdays.Date, atRiskDays int) Verdict {
	if f.Withdrawn {
		return Verdict{Status: StatusWithdrawn, Why: WhyWithdrawn}
	}
	done, late := 0, 0
	for _, m := range f.Milestones {
		if m.Completed != nil {
			done++
			continue
		}
		if d := int(today - m.Due); d > late {
			late = d
		}
	}
	if len(f.Milestones) > 0 && done == len(f.Milestones) {
		return Verdict{Status: StatusCompleted, Why: WhyAllDone}
	}
	if today < f.Start {
		return Verdict{Status: StatusNotStarted, Why: WhyNotBegun}
	}
	if late > atRiskDays {
		return Verdict{Status: StatusDelayed, Why: WhyLate, Days: late}
	}
	if today > f.NextUpdateDue() {
		from := f.Start
		if f.LastUpdate != nil {
			from = *f.LastUpdate
		}
		return Verdict{Status: StatusDelayed, Why: WhyNoUpdate, Days: int(today - from)}
	}
	if late > 0 {
		return Verdict{Status: StatusAtRisk, Why: WhyLate, Days: late}
	}
	if f.FlaggedAtRisk {
		return Verdict{Status: StatusAtRisk, Why: WhyFlagged}
	}
	if done == 0 && f.LastUpdate == nil {
		return Verdict{Status: StatusNotStarted, Why: WhyNoProgress}
	}
	return Verdict{Status: StatusOnTrack, Why: WhyOnTrack}
}
