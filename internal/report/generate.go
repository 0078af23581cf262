package report

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/database"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// MaxRepresentative bounds the contributions an owner picks as representative.
const MaxRepresentative = 20

// Input says what to report on: the whole process (Phase "") or one of its
// phases, and the contributions the owner picked as representative
// ("comment:12", "idea:3").
type Input struct {
	Phase          string
	Representative []string
}

// wholeFrom and wholeUntil bound a report of the whole process.
var (
	wholeFrom  = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	wholeUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// channels are the ways a contribution arrives, in the order the report lists them.
var channels = []string{"online", "paper", "phone", "email", "workshop"}

// dispositions are the forum's dispositions, in the order the report lists them.
var dispositions = []string{"adopted", "amended", "merged", "rejected", "out_of_scope", "noted"}

// Progress is told the steps of a report's making as each one ends: step of
// total, step rising from 1 to total. A nil Progress is told nothing.
type Progress func(step, total int)

func (f Progress) tell(step, total int) {
	if f != nil {
		f(step, total)
	}
}

// GenerationSteps is how many steps generating a report takes (publishing
// one takes a step more: freezing it).
const GenerationSteps = 6

// checked is a report's input once checked against its process: the scope
// and the arguments of the report's statements.
type checked struct {
	in    Input
	scope Scope
	args  map[string]any
}

// check validates in against p before any work is done: the phase is one of
// p's, and each representative contribution is well formed and a public
// contribution of p. Bad input is an apperr.Invalid naming the field.
func (s *Service) check(ctx context.Context, p process.Process, in Input) (checked, error) {
	c := checked{in: in}
	from, until := wholeFrom, wholeUntil
	var fe apperr.Fields
	if in.Phase != "" {
		found := false
		for _, ph := range p.Phases {
			if string(ph.Kind) == in.Phase {
				found = true
				kind, f, u := in.Phase, ph.OpensAt.UTC(), ph.ClosesAt.UTC()
				c.scope = Scope{Phase: &kind, From: &f, Until: &u}
				from, until = f, u
			}
		}
		if !found {
			fe.Add("phase", "unknown", "the process has no such phase")
		}
	}
	comments, ideas := parseRefs(&fe, in.Representative)
	if err := fe.Err(CodeInvalid); err != nil {
		return checked{}, err
	}
	c.args = map[string]any{"p": p.ID, "from": from, "until": until, "whole": in.Phase == "",
		"comments": database.Array{Type: "_int8", Values: comments}, "ideas": database.Array{Type: "_int8", Values: ideas}}
	if len(in.Representative) > 0 {
		// The same read the report makes, now and outside its snapshot, so a
		// refused quote costs one query and leaves nothing behind.
		if err := s.quotes(ctx, c.args, in.Representative, &YouSaid{}); err != nil {
			return checked{}, err
		}
	}
	return c, nil
}

// generate computes the report of p for in, in one read-only repeatable-read
// snapshot of committed data, so every figure is of the same moment. Bad
// input (an unknown phase, a representative contribution that is not a
// public one of p) is an apperr.Invalid naming the field.
func (s *Service) generate(ctx context.Context, p process.Process, in Input) (Report, error) {
	c, err := s.check(ctx, p, in)
	if err != nil {
		return Report{}, err
	}
	return s.generateWith(ctx, p, c, nil, nil)
}

// generateWith computes the report of p for the checked input c, telling
// done of each of its GenerationSteps, and running more (with the
// statements' arguments) in the same snapshot after the report's own reads.
func (s *Service) generateWith(ctx context.Context, p process.Process, c checked, done Progress, more func(ctx context.Context, args map[string]any) error) (Report, error) {
	r := Report{Format: 1, Process: ProcessRef{Slug: p.Slug, Title: p.Title}, GeneratedAt: s.now().UTC().Truncate(time.Second),
		MinGroupSize: MinGroup, Scope: c.scope}
	args, in := c.args, c.in
	steps := [GenerationSteps]func(ctx context.Context) error{
		func(ctx context.Context) error { return s.weAsked(ctx, p, args, &r.WeAsked) },
		func(ctx context.Context) error { return s.youSaidCounts(ctx, args, &r.YouSaid) },
		func(ctx context.Context) error { return s.youSaidWhere(ctx, args, in.Representative, &r.YouSaid) },
		func(ctx context.Context) error { return s.weDid(ctx, p, args, &r.WeDid) },
		func(ctx context.Context) error { return s.moderation(ctx, args, &r.Moderation) },
		func(ctx context.Context) error { return s.feedback(ctx, p, in.Phase, &r.Feedback) },
	}
	err := database.InSnapshot(ctx, s.db, func(ctx context.Context) error {
		for i, step := range steps {
			if err := step(ctx); err != nil {
				return err
			}
			done.tell(i+1, len(steps))
		}
		if more != nil {
			return more(ctx, args)
		}
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	return r, nil
}

// parseRefs reads "comment:12" and "idea:3" refs into ids, noting bad ones.
func parseRefs(fe *apperr.Fields, refs []string) (comments, ideas []int64) {
	if len(refs) > MaxRepresentative {
		fe.Add("representative", "too_many", "at most 20 representative contributions")
		return nil, nil
	}
	seen := map[string]bool{}
	for i, ref := range refs {
		kind, num, ok := strings.Cut(ref, ":")
		id, err := strconv.ParseInt(num, 10, 64)
		switch {
		case !ok || err != nil || id < 1 || (kind != "comment" && kind != "idea"):
			fe.Add("representative["+strconv.Itoa(i)+"]", "format", "comment:<id> or idea:<id>")
		case seen[ref]:
			fe.Add("representative["+strconv.Itoa(i)+"]", "duplicate", "listed twice")
		case kind == "comment":
			comments = append(comments, id)
		default:
			ideas = append(ideas, id)
		}
		seen[ref] = true
	}
	return comments, ideas
}

func (s *Service) weAsked(ctx context.Context, p process.Process, args map[string]any, out *WeAsked) error {
	m, err := s.procs.Mandate(ctx, p.ID)
	if err != nil {
		return err
	}
	out.Purpose, out.OpenItems, out.FixedItems = m.Purpose, nonNil([]string(m.OpenItems)), nonNil([]string(m.FixedItems))
	out.UseOfInput, out.DecisionMaker = m.UseOfInput, m.DecisionMaker
	if m.IAP2Level != nil {
		l := string(*m.IAP2Level)
		out.IAP2Level = &l
	}
	out.DecisionPoints = []DecisionPoint{}
	for _, d := range m.DecisionPoints {
		out.DecisionPoints = append(out.DecisionPoints, DecisionPoint{Label: d.Label, Date: d.Date})
	}
	out.Phases = []PhaseDates{}
	for _, ph := range p.Phases {
		out.Phases = append(out.Phases, PhaseDates{Kind: string(ph.Kind), OpensAt: ph.OpensAt.UTC(), ClosesAt: ph.ClosesAt.UTC()})
	}
	var docs []docRow
	if err := s.figures.scan(ctx, "documents", documentsSQL, args, &docs); err != nil {
		return err
	}
	out.Documents = []DocumentDates{}
	for _, d := range docs {
		if n := len(out.Documents); n == 0 || out.Documents[n-1].ID != d.ID {
			out.Documents = append(out.Documents, DocumentDates{ID: d.ID, Title: d.Title, Versions: []VersionDates{}})
		}
		doc := &out.Documents[len(out.Documents)-1]
		doc.Versions = append(doc.Versions, VersionDates{Number: d.Number, PublishedAt: d.PublishedAt.UTC(), OpensAt: utc(d.OpensAt), ClosesAt: utc(d.ClosesAt)})
	}
	out.Themes = []string{}
	return s.figures.scan(ctx, "themes", themeNamesSQL, args, &out.Themes)
}

// youSaidCounts counts the contributions by kind and channel, the votes
// and supports, and the participants.
func (s *Service) youSaidCounts(ctx context.Context, args map[string]any, out *YouSaid) error {
	f := s.figures
	var kinds []kindRow
	if err := f.scan(ctx, "kinds", kindsSQL, args, &kinds); err != nil {
		return err
	}
	byChannel := map[string]*[2]int{}
	for _, k := range kinds {
		switch {
		case k.Kind == "idea":
			out.Contributions.Ideas += k.N
		case k.Reply:
			out.Contributions.Replies += k.N
		default:
			out.Contributions.Comments += k.N
		}
		if k.Channel != "online" {
			out.Contributions.Offline += k.N
		}
		c := byChannel[k.Channel]
		if c == nil {
			c = &[2]int{}
			byChannel[k.Channel] = c
		}
		if k.Kind == "idea" {
			c[1] += k.N
		} else {
			c[0] += k.N
		}
	}
	out.ByChannel = []ChannelCount{}
	for _, ch := range channels {
		c := byChannel[ch]
		if c == nil {
			c = &[2]int{}
		}
		out.ByChannel = append(out.ByChannel, ChannelCount{Channel: ch, Comments: Count(c[0]), Ideas: Count(c[1])})
	}
	var votes struct{ Votes, Supports int }
	if err := f.scan(ctx, "votes", votesSQL, args, &votes); err != nil {
		return err
	}
	out.Contributions.Votes, out.Contributions.Supports = votes.Votes, votes.Supports
	var people int
	if err := f.scan(ctx, "participants", participantsSQL, args, &people); err != nil {
		return err
	}
	out.Participants = Count(people)
	return nil
}

// youSaidWhere spreads the contributions over weeks, themes, paragraphs and
// clusters, and loads the representative ones.
func (s *Service) youSaidWhere(ctx context.Context, args map[string]any, refs []string, out *YouSaid) error {
	f := s.figures
	var weeks, themes []countRow
	if err := f.scan(ctx, "weeks", weeksSQL, args, &weeks); err != nil {
		return err
	}
	out.ByWeek = []WeekCount{}
	for _, w := range weeks {
		out.ByWeek = append(out.ByWeek, WeekCount{Week: w.Week, Contributions: Count(w.N)})
	}
	if err := f.scan(ctx, "themes", themesSQL, args, &themes); err != nil {
		return err
	}
	out.ByTheme = []ThemeCount{}
	for _, t := range themes {
		out.ByTheme = append(out.ByTheme, ThemeCount{Theme: t.Theme, Ideas: Count(t.N)})
	}
	var paras []struct {
		Document int64
		Key      string
		Text     string
		N        int
	}
	if err := f.scan(ctx, "paragraphs", paragraphsSQL, args, &paras); err != nil {
		return err
	}
	out.Paragraphs = []ParagraphCount{}
	for _, pr := range paras {
		out.Paragraphs = append(out.Paragraphs, ParagraphCount{Document: pr.Document, Key: pr.Key, Text: pr.Text, Comments: Count(pr.N)})
	}
	var clusters []struct {
		ID    int64
		Title string
		N     int
	}
	if err := f.scan(ctx, "clusters", clustersSQL, args, &clusters); err != nil {
		return err
	}
	out.Clusters = []ClusterCount{}
	for _, c := range clusters {
		out.Clusters = append(out.Clusters, ClusterCount{ID: c.ID, Title: c.Title, Contributions: Count(c.N)})
	}
	return s.quotes(ctx, args, refs, out)
}

// quotes loads the representative contributions in the order asked for; one
// that is not a public contribution of the process is refused.
func (s *Service) quotes(ctx context.Context, args map[string]any, refs []string, out *YouSaid) error {
	out.Representative = []Quote{}
	if len(refs) == 0 {
		return nil
	}
	var rows []quoteRow
	if err := s.figures.scan(ctx, "quotes", quotesSQL, args, &rows); err != nil {
		return err
	}
	byRef := map[string]quoteRow{}
	for _, q := range rows {
		byRef[q.Kind+":"+strconv.FormatInt(q.ID, 10)] = q
	}
	var fe apperr.Fields
	for i, ref := range refs {
		q, ok := byRef[ref]
		if !ok {
			fe.Add("representative["+strconv.Itoa(i)+"]", "not_public", "not a public contribution of this process")
			continue
		}
		out.Representative = append(out.Representative, Quote{Ref: ref, Author: q.Author, Channel: q.Channel, CreatedAt: q.CreatedAt.UTC(), Text: q.Text})
	}
	return fe.Err(CodeInvalid)
}

func (s *Service) weDid(ctx context.Context, p process.Process, args map[string]any, out *WeDid) error {
	f := s.figures
	var disp []countRow
	if err := f.scan(ctx, "dispositions", dispositionsSQL, args, &disp); err != nil {
		return err
	}
	n := map[string]int{}
	for _, d := range disp {
		n[d.Disposition] = d.N
		out.Responses += d.N
	}
	out.ByDisposition = []DispositionCount{}
	for _, d := range dispositions {
		out.ByDisposition = append(out.ByDisposition, DispositionCount{Disposition: d, Responses: n[d],
			Ledger: "/api/v1/processes/" + p.Slug + "/ledger?kind=response&disposition=" + d})
	}
	var target int
	if err := f.scan(ctx, "target", targetSQL, args, &target); err != nil {
		return err
	}
	var holidays []workdays.Date
	if err := f.scan(ctx, "holidays", holidaysSQL, args, &holidays); err != nil {
		return err
	}
	var pairs []dayPair
	if err := f.scan(ctx, "answers", answersSQL, args, &pairs); err != nil {
		return err
	}
	out.Coverage, out.ResponseTimes = responseFigures(pairs, target, workdays.NewCalendar(holidays...), workdays.DateOf(s.now()))
	out.DraftChanges = []DraftChange{}
	if err := f.scan(ctx, "draft changes", draftChangesSQL, args, &out.DraftChanges); err != nil {
		return err
	}
	out.Commitments = []CommitmentSummary{}
	return f.scan(ctx, "commitments", commitmentsSQL, args, &out.Commitments)
}

// responseFigures computes coverage and response times from contributions
// grouped by the day made and the day first answered. A contribution's clock
// starts the day after it was made and counts working days (weekends and the
// process's holidays excluded); it is late when answered after target working
// days, overdue when still unanswered past them today.
func responseFigures(pairs []dayPair, target int, cal workdays.Calendar, today workdays.Date) (CoverageFigures, ResponseTimes) {
	var c CoverageFigures
	t := ResponseTimes{TargetDays: target}
	var times []bucket
	for _, pr := range pairs {
		c.Contributions += pr.N
		clock := workdays.Clock{Calendar: cal, Start: workdays.DateOf(pr.Made), Target: target}
		if pr.Answered == nil {
			if clock.Overdue(today) {
				t.UnansweredOverdue += pr.N
			}
			continue
		}
		c.Answered += pr.N
		at := workdays.DateOf(*pr.Answered)
		times = append(times, bucket{clock.Elapsed(at), pr.N})
		if at > clock.Due() {
			t.AnsweredLate += pr.N
		}
	}
	if c.Contributions > 0 {
		c.Percent = math.Round(float64(c.Answered)*1000/float64(c.Contributions)) / 10
	}
	t.Answered, t.Overdue = c.Answered, t.AnsweredLate+t.UnansweredOverdue
	if c.Answered > 0 {
		sort.Slice(times, func(i, j int) bool { return times[i].days < times[j].days })
		t.MedianDays, t.P90Days = quantile(times, c.Answered, 0.5), quantile(times, c.Answered, 0.9)
	}
	return c, t
}

// bucket is how many answers took a number of working days.
type bucket struct{ days, n int }

// quantile is the q-quantile of n weighted values sorted ascending: the value
// at rank ceil(q*n) (the nearest-rank method), as days.
func quantile(buckets []bucket, n int, q float64) *float64 {
	rank := int(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	seen := 0
	for _, b := range buckets {
		seen += b.n
		if seen >= rank {
			v := float64(b.days)
			return &v
		}
	}
	return nil
}

func (s *Service) moderation(ctx context.Context, args map[string]any, out *Moderation) error {
	var rows []modRow
	if err := s.figures.scan(ctx, "moderation", moderationSQL, args, &rows); err != nil {
		return err
	}
	causes, reasons := map[string]int{}, map[string]int{}
	var made, upheld, overturned, pending int
	for _, r := range rows {
		out.Held += r.N
		causes[r.Cause] += r.N
		switch {
		case r.Outcome == nil:
			out.Pending += r.N
		case *r.Outcome == "reject":
			reason := "other"
			if r.Reason != nil {
				reason = *r.Reason
			}
			reasons[reason] += r.N
		default: // approve, redact, auto_publish
			out.Published += r.N
		}
		if r.Appealed {
			made += r.N
			switch {
			case r.AppealPending:
				pending += r.N
			case r.AppealOutcome != nil && *r.AppealOutcome == "reject":
				upheld += r.N
			case r.AppealOutcome != nil:
				overturned += r.N
			}
		}
	}
	out.HeldCauses = []ReasonCount{}
	for _, c := range []string{"mode", "new_account", "screen", "flags"} {
		out.HeldCauses = append(out.HeldCauses, ReasonCount{Reason: c, Items: Count(causes[c])})
	}
	out.Rejected = []ReasonCount{}
	for _, r := range []string{"spam", "abuse", "personal_data", "off_topic", "illegal", "duplicate", "other"} {
		out.Rejected = append(out.Rejected, ReasonCount{Reason: r, Items: Count(reasons[r])})
	}
	out.Appeals = AppealFigures{Made: Count(made), Upheld: Count(upheld), Overturned: Count(overturned), Pending: Count(pending)}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func itoa(n int) string { return strconv.Itoa(n) }
