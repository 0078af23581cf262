// Package report makes a process's close-out report, "we asked, you said, we
// did": generated from committed data in one snapshot, previewed by its
// owners, then published frozen (its JSON stored with its hash and recorded in
// the process's ledger), and told to the people who took part.
package report

import "time"

// MinGroup is the smallest group a per-group count is shown for: a cell of
// 1 to MinGroup-1 people or contributions reads "fewer than 5".
const MinGroup = 5

// Cell is a count of a group that could identify people: its value, or, when
// it is between 1 and MinGroup-1, no value and Suppressed set. In JSON:
// {"value": 12, "suppressed": false} or {"value": null, "suppressed": true}.
type Cell struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

// Count is n as a cell, suppressed when 0 < n < MinGroup.
func Count(n int) Cell {
	if n > 0 && n < MinGroup {
		return Cell{Suppressed: true}
	}
	return Cell{Value: &n}
}

// String is the cell as the CSV writes it.
func (c Cell) String() string {
	if c.Suppressed || c.Value == nil {
		return "fewer than 5"
	}
	return itoa(*c.Value)
}

// Report is a close-out report: what the owner previews and what is frozen.
type Report struct {
	Format       int        `json:"format"` // 1
	Process      ProcessRef `json:"process"`
	Scope        Scope      `json:"scope"`
	GeneratedAt  time.Time  `json:"generated_at"`
	MinGroupSize int        `json:"min_group_size"`
	WeAsked      WeAsked    `json:"we_asked"`
	YouSaid      YouSaid    `json:"you_said"`
	WeDid        WeDid      `json:"we_did"`
	Moderation   Moderation `json:"moderation"`
	// Feedback is what participants said of the process in the surveys of
	// the phases in scope (absent from reports published before it existed).
	Feedback []FeedbackSurvey `json:"feedback"`
}

// ProcessRef names the process.
type ProcessRef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

// Scope is what the report covers: the whole process (Phase nil, no dates)
// or one phase, from its opening (included) to its close (excluded).
type Scope struct {
	Phase *string    `json:"phase"`
	From  *time.Time `json:"from"`
	Until *time.Time `json:"until"`
}

// WeAsked is what the process put to the public.
type WeAsked struct {
	Purpose        string          `json:"purpose"`
	OpenItems      []string        `json:"open_items"` // the questions open to input
	FixedItems     []string        `json:"fixed_items"`
	UseOfInput     string          `json:"use_of_input"`
	DecisionMaker  string          `json:"decision_maker"`
	IAP2Level      *string         `json:"iap2_level"`
	DecisionPoints []DecisionPoint `json:"decision_points"`
	Phases         []PhaseDates    `json:"phases"`
	Documents      []DocumentDates `json:"documents"`
	Themes         []string        `json:"themes"` // the idea themes the public was asked about
}

// DecisionPoint is a dated step at which a decision is taken.
type DecisionPoint struct {
	Label string `json:"label"`
	Date  string `json:"date"` // YYYY-MM-DD
}

// PhaseDates is a phase's window.
type PhaseDates struct {
	Kind     string    `json:"kind"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
}

// DocumentDates is a draft and its published versions.
type DocumentDates struct {
	ID       int64          `json:"id"`
	Title    string         `json:"title"`
	Versions []VersionDates `json:"versions"`
}

// VersionDates is one published version with its consultation window.
type VersionDates struct {
	Number      int        `json:"number"`
	PublishedAt time.Time  `json:"published_at"`
	OpensAt     *time.Time `json:"opens_at"`
	ClosesAt    *time.Time `json:"closes_at"`
}

// YouSaid is who took part and what they said.
type YouSaid struct {
	Participants   Cell             `json:"participants"` // accounts that commented, replied, voted, proposed or supported online
	Contributions  KindCounts       `json:"contributions"`
	ByChannel      []ChannelCount   `json:"by_channel"`
	ByWeek         []WeekCount      `json:"by_week"`
	ByTheme        []ThemeCount     `json:"by_theme"`
	Paragraphs     []ParagraphCount `json:"paragraphs"`
	Clusters       []ClusterCount   `json:"clusters"`
	Representative []Quote          `json:"representative"`
}

// KindCounts are the published contributions of each kind in scope (totals:
// not groups of people, so never suppressed).
type KindCounts struct {
	Comments int `json:"comments"` // on paragraphs, ideas and progress updates; replies excluded
	Replies  int `json:"replies"`
	Ideas    int `json:"ideas"` // withdrawn and merged ideas excluded
	Votes    int `json:"votes"`
	Supports int `json:"supports"`
	Offline  int `json:"offline"` // comments and ideas received on paper, by phone, e-mail or at a workshop
}

// ChannelCount is how many published comments and ideas came by a channel.
type ChannelCount struct {
	Channel  string `json:"channel"`
	Comments Cell   `json:"comments"`
	Ideas    Cell   `json:"ideas"`
}

// WeekCount is how many published comments and ideas were made in the ISO
// week starting on Week (a Monday).
type WeekCount struct {
	Week          string `json:"week"` // YYYY-MM-DD
	Contributions Cell   `json:"contributions"`
}

// ThemeCount is how many published ideas a theme holds.
type ThemeCount struct {
	Theme string `json:"theme"`
	Ideas Cell   `json:"ideas"`
}

// ParagraphCount is one of the most discussed paragraphs, with its text in
// the document's latest published version.
type ParagraphCount struct {
	Document int64  `json:"document"`
	Key      string `json:"key"`
	Text     string `json:"text"`
	Comments Cell   `json:"comments"`
}

// ClusterCount is a cluster and how many published contributions it holds.
type ClusterCount struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Contributions Cell   `json:"contributions"`
}

// Quote is a representative contribution the owner picked: public, with the
// pseudonym or the name its author agreed to publish, never an account.
type Quote struct {
	Ref       string    `json:"ref"` // comment:12, idea:3
	Author    string    `json:"author"`
	Channel   string    `json:"channel"`
	CreatedAt time.Time `json:"created_at"`
	Text      string    `json:"text"`
}

// WeDid is what the forum answered and what came of it.
type WeDid struct {
	Responses     int                 `json:"responses"`
	ByDisposition []DispositionCount  `json:"by_disposition"`
	Coverage      CoverageFigures     `json:"coverage"`
	ResponseTimes ResponseTimes       `json:"response_times"`
	DraftChanges  []DraftChange       `json:"draft_changes"`
	Commitments   []CommitmentSummary `json:"commitments"`
}

// DispositionCount is how many published responses had a disposition, with
// the ledger filtered to them.
type DispositionCount struct {
	Disposition string `json:"disposition"`
	Responses   int    `json:"responses"`
	Ledger      string `json:"ledger"` // the API path of the ledger filtered to the disposition
}

// CoverageFigures are the share of published contributions with a published response.
type CoverageFigures struct {
	Contributions int     `json:"contributions"`
	Answered      int     `json:"answered"`
	Percent       float64 `json:"percent"` // one decimal
}

// ResponseTimes are working days from a contribution to its first answer,
// against the forum's target (20 working days unless the forum set another).
type ResponseTimes struct {
	TargetDays        int      `json:"target_days"`
	Answered          int      `json:"answered"`
	MedianDays        *float64 `json:"median_days"`
	P90Days           *float64 `json:"p90_days"`
	AnsweredLate      int      `json:"answered_late"`
	UnansweredOverdue int      `json:"unanswered_overdue"`
	Overdue           int      `json:"overdue"` // answered late + unanswered overdue
}

// DraftChange counts the paragraphs that changed between a draft's first and
// final published versions.
type DraftChange struct {
	Document     int64  `json:"document"`
	Title        string `json:"title"`
	FirstVersion int    `json:"first_version"`
	FinalVersion int    `json:"final_version"`
	Unchanged    int    `json:"unchanged"`
	Edited       int    `json:"edited"`
	Added        int    `json:"added"`
	Removed      int    `json:"removed"`
}

// CommitmentSummary is a commitment that came out of the process.
type CommitmentSummary struct {
	ID              int64  `json:"id"`
	Title           string `json:"title"`
	LeadInstitution string `json:"lead_institution"`
	Withdrawn       bool   `json:"withdrawn"`
}

// Moderation are the moderation figures in scope.
type Moderation struct {
	Held       int           `json:"held"`      // items held or flagged
	Published  int           `json:"published"` // of which the last decision published
	Pending    int           `json:"pending"`   // not decided yet
	Rejected   []ReasonCount `json:"rejected"`
	Appeals    AppealFigures `json:"appeals"`
	HeldCauses []ReasonCount `json:"held_causes"`
}

// ReasonCount is how many items had a reason (or cause).
type ReasonCount struct {
	Reason string `json:"reason"`
	Items  Cell   `json:"items"`
}

// AppealFigures are the appeals and their outcomes.
type AppealFigures struct {
	Made       Cell `json:"made"`
	Upheld     Cell `json:"upheld"`     // rejected again
	Overturned Cell `json:"overturned"` // published on appeal
	Pending    Cell `json:"pending"`
}

// FeedbackSurvey is the results of the feedback survey of one phase in the
// report's scope, as the survey gives them: nothing counted below MinGroup
// answers, and only the free texts a moderator approved.
type FeedbackSurvey struct {
	Phase        string             `json:"phase"`
	OpensAt      time.Time          `json:"opens_at"`
	ClosesAt     time.Time          `json:"closes_at"`
	Edited       bool               `json:"edited"` // the owners replaced the default questions
	FewerThanMin bool               `json:"fewer_than_min"`
	Answers      *int               `json:"answers"` // nil below MinGroup
	Questions    []FeedbackQuestion `json:"questions"`
}

// FeedbackQuestion is one question's results.
type FeedbackQuestion struct {
	ID           string          `json:"id"`
	Kind         string          `json:"kind"`
	Prompt       string          `json:"prompt"`
	Options      []string        `json:"options"`
	FewerThanMin bool            `json:"fewer_than_min"`
	Answered     *int            `json:"answered"` // published texts for free text; nil below MinGroup
	Counts       []FeedbackCount `json:"counts"`
	Mean         *float64        `json:"mean"` // a scale's, two decimals
	Texts        []FeedbackText  `json:"texts"`
}

// FeedbackCount is how many answers gave one value ("1".."5", "yes"/"no", an option).
type FeedbackCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// FeedbackText is a free-text answer a moderator approved: as written and as
// sanitised HTML.
type FeedbackText struct {
	ID       int64  `json:"id"`
	Body     string `json:"body"`
	BodyHTML string `json:"body_html"`
}
