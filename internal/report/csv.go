package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"cocreate/internal/opendata"
)

// WriteCSV writes every figure of r as a row: section, figure, group, value
// (the feedback section's group is the phase, question id and prompt).
// A suppressed cell's value is "fewer than 5"; text cells are neutralised
// against spreadsheet formulas.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	row := func(section, figure, group, value string) {
		_ = cw.Write([]string{section, figure, opendata.SafeCell(group), opendata.SafeCell(value)})
	}
	num := strconv.Itoa
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	row("section", "figure", "group", "value")
	row("report", "process", "", r.Process.Slug)
	row("report", "title", "", r.Process.Title)
	phase := ""
	if r.Scope.Phase != nil {
		phase = *r.Scope.Phase
	}
	row("report", "phase", "", phase)
	row("report", "from", "", date(r.Scope.From))
	row("report", "until", "", date(r.Scope.Until))
	row("report", "generated_at", "", r.GeneratedAt.UTC().Format(time.RFC3339))
	row("report", "min_group_size", "", num(r.MinGroupSize))

	a := r.WeAsked
	row("we_asked", "purpose", "", a.Purpose)
	for _, s := range a.OpenItems {
		row("we_asked", "open_item", "", s)
	}
	for _, s := range a.FixedItems {
		row("we_asked", "fixed_item", "", s)
	}
	row("we_asked", "use_of_input", "", a.UseOfInput)
	row("we_asked", "decision_maker", "", a.DecisionMaker)
	if a.IAP2Level != nil {
		row("we_asked", "iap2_level", "", *a.IAP2Level)
	}
	for _, d := range a.DecisionPoints {
		row("we_asked", "decision_point", d.Label, d.Date)
	}
	for _, ph := range a.Phases {
		row("we_asked", "phase_opens_at", ph.Kind, date(&ph.OpensAt))
		row("we_asked", "phase_closes_at", ph.Kind, date(&ph.ClosesAt))
	}
	for _, d := range a.Documents {
		for _, v := range d.Versions {
			g := d.Title + " v" + num(v.Number)
			row("we_asked", "document_published_at", g, date(&v.PublishedAt))
			row("we_asked", "document_opens_at", g, date(v.OpensAt))
			row("we_asked", "document_closes_at", g, date(v.ClosesAt))
		}
	}
	for _, t := range a.Themes {
		row("we_asked", "theme", "", t)
	}

	y := r.YouSaid
	row("you_said", "participants", "", y.Participants.String())
	k := y.Contributions
	for _, c := range []struct {
		n string
		v int
	}{{"comments", k.Comments}, {"replies", k.Replies}, {"ideas", k.Ideas}, {"votes", k.Votes}, {"supports", k.Supports}, {"offline", k.Offline}} {
		row("you_said", "contributions", c.n, num(c.v))
	}
	for _, c := range y.ByChannel {
		row("you_said", "comments_by_channel", c.Channel, c.Comments.String())
		row("you_said", "ideas_by_channel", c.Channel, c.Ideas.String())
	}
	for _, c := range y.ByWeek {
		row("you_said", "contributions_by_week", c.Week, c.Contributions.String())
	}
	for _, c := range y.ByTheme {
		row("you_said", "ideas_by_theme", c.Theme, c.Ideas.String())
	}
	for _, c := range y.Paragraphs {
		row("you_said", "paragraph_comments", num64(c.Document)+"#"+c.Key+" "+c.Text, c.Comments.String())
	}
	for _, c := range y.Clusters {
		row("you_said", "cluster_contributions", c.Title, c.Contributions.String())
	}
	for _, q := range y.Representative {
		row("you_said", "representative", q.Ref+" "+q.Author, q.Text)
	}

	d := r.WeDid
	row("we_did", "responses", "", num(d.Responses))
	for _, c := range d.ByDisposition {
		row("we_did", "responses_by_disposition", c.Disposition, num(c.Responses))
	}
	row("we_did", "coverage_contributions", "", num(d.Coverage.Contributions))
	row("we_did", "coverage_answered", "", num(d.Coverage.Answered))
	row("we_did", "coverage_percent", "", strconv.FormatFloat(d.Coverage.Percent, 'f', 1, 64))
	t := d.ResponseTimes
	opt := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	row("we_did", "response_target_working_days", "", num(t.TargetDays))
	row("we_did", "response_median_working_days", "", opt(t.MedianDays))
	row("we_did", "response_p90_working_days", "", opt(t.P90Days))
	row("we_did", "answered_late", "", num(t.AnsweredLate))
	row("we_did", "unanswered_overdue", "", num(t.UnansweredOverdue))
	row("we_did", "overdue", "", num(t.Overdue))
	for _, c := range d.DraftChanges {
		g := c.Title + " v" + num(c.FirstVersion) + "-v" + num(c.FinalVersion)
		row("we_did", "paragraphs_unchanged", g, num(c.Unchanged))
		row("we_did", "paragraphs_edited", g, num(c.Edited))
		row("we_did", "paragraphs_added", g, num(c.Added))
		row("we_did", "paragraphs_removed", g, num(c.Removed))
	}
	for _, c := range d.Commitments {
		state := "active"
		if c.Withdrawn {
			state = "withdrawn"
		}
		row("we_did", "commitment", c.Title+" ("+c.LeadInstitution+")", state)
	}

	m := r.Moderation
	row("moderation", "held", "", num(m.Held))
	row("moderation", "published", "", num(m.Published))
	row("moderation", "pending", "", num(m.Pending))
	for _, c := range m.HeldCauses {
		row("moderation", "held_by_cause", c.Reason, c.Items.String())
	}
	for _, c := range m.Rejected {
		row("moderation", "rejected_by_reason", c.Reason, c.Items.String())
	}
	row("moderation", "appeals_made", "", m.Appeals.Made.String())
	row("moderation", "appeals_upheld", "", m.Appeals.Upheld.String())
	row("moderation", "appeals_overturned", "", m.Appeals.Overturned.String())
	row("moderation", "appeals_pending", "", m.Appeals.Pending.String())

	for _, f := range r.Feedback {
		answers := func(n *int) string {
			if n == nil {
				return "fewer than 5"
			}
			return num(*n)
		}
		row("feedback", "answers", f.Phase, answers(f.Answers))
		for _, q := range f.Questions {
			g := f.Phase + " " + q.ID + " " + q.Prompt
			row("feedback", "question_answered", g, answers(q.Answered))
			for _, c := range q.Counts {
				row("feedback", "answers_by_value", g+": "+c.Value, num(c.Count))
			}
			if q.Mean != nil {
				row("feedback", "mean", g, strconv.FormatFloat(*q.Mean, 'f', 2, 64))
			}
			for _, t := range q.Texts {
				row("feedback", "text", g, t.Body)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func num64(n int64) string { return strconv.FormatInt(n, 10) }
