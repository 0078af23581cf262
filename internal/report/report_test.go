package report_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
	"cocreate/internal/report"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// start is the clock's reading in every test here: a Monday.
var start = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

const draftV1 = "# Open government plan\n\nAlpha paragraph about open data portals.\n\nBeta paragraph about budget transparency reports.\n\nGamma paragraph about public procurement rules.\n"
const draftV2 = "# Open government plan\n\nAlpha paragraph about open data portals.\n\nBeta paragraph about budget transparency reports, published every month.\n\nDelta is a completely new text on protecting whistleblowers.\n"

// fixture is a process with an ended idea-collection phase and an open
// public-comment phase, a draft in two versions, and contributions of every
// state made by SQL, so each figure is known.
type fixture struct {
	env      *apptest.Env
	p        process.Process
	owner    auth.Principal
	people   []auth.Principal
	doc      document.Document
	keyA     string // the paragraph with six comments
	keyB     string // the paragraph with two published comments and one received on paper
	comments map[string]int64
	ideas    map[string]int64
	other    int64 // an idea of another process
}

func (f *fixture) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	require.NoError(t, f.env.Owner.Exec(sql, args...).Error)
}

func (f *fixture) id(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	require.NoError(t, f.env.Owner.Raw(sql, args...).Scan(&id).Error)
	require.NotZero(t, id)
	return id
}

// comment inserts a comment on paragraph key of the draft's final version.
func (f *fixture) comment(t *testing.T, name string, author auth.Principal, key string, parent string, status string, channel string, at time.Time) {
	t.Helper()
	var contributor any
	if channel != "online" {
		contributor = "Ada Lovelace"
	}
	var parentID, root any
	depth := 0
	if parent != "" {
		parentID, root, depth = f.comments[parent], f.comments[parent], 1
	}
	f.comments[name] = f.id(t, `WITH n AS (SELECT nextval('comments_id_seq') AS id)
		INSERT INTO comments (id, document_id, version_id, paragraph_key, parent_id, root_id, depth, author_id, body, body_html,
			status, anchor_version_id, anchor_key, channel, contributor, received_on, created_at)
		SELECT n.id, ?, v.id, ?, ?, coalesce(?, n.id), ?, ?, ?, '<p>x</p>', ?, v.id, ?, ?, ?, CASE WHEN ? <> 'online' THEN ?::date END, ?
		FROM n, document_versions v WHERE v.document_id = ? AND v.number = 2 RETURNING id`,
		f.doc.ID, key, parentID, root, depth, author.UserID, "Comment "+name, status, key, channel, contributor, channel, at, at, f.doc.ID)
}

// idea inserts an idea in theme.
func (f *fixture) idea(t *testing.T, name string, processID, theme int64, author auth.Principal, status, moderation, channel string, mergedInto *int64, at time.Time) int64 {
	t.Helper()
	var contributor any
	if channel != "online" {
		contributor = "Residents' association"
	}
	id := f.id(t, `INSERT INTO ideas (process_id, theme_id, author_id, channel, contributor, received_on, title, body, body_html, status, merged_into,
			moderation, created_at, search_config)
		VALUES (?, ?, ?, ?, ?, CASE WHEN ? <> 'online' THEN ?::date END, ?, 'Why it matters', '<p>Why it matters</p>', ?, ?, ?, ?, 'simple') RETURNING id`,
		processID, theme, author.UserID, channel, contributor, channel, at, "Idea "+name, status, mergedInto, moderation, at)
	if f.ideas != nil {
		f.ideas[name] = id
	}
	return id
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := apptest.New(t, apptest.Options{Start: start, Unscreened: true})
	ctx := context.Background()
	f := &fixture{env: env, comments: map[string]int64{}, ideas: map[string]int64{}}
	f.p = env.ProcessWith(t, "plan-2027", nil,
		process.PhaseInput{Kind: process.PhaseIdeaCollection, OpensAt: start.AddDate(0, 0, -40), ClosesAt: start.AddDate(0, 0, -20)},
		process.PhaseInput{Kind: process.PhasePublicComment, OpensAt: start.AddDate(0, 0, -20), ClosesAt: start.AddDate(0, 0, 10)})
	f.owner = env.Person(t)
	env.Grant(t, f.p.Slug, f.owner, process.RoleOwner)
	f.people = env.People(t, 8)

	doc, _, _ := env.Draft(t, f.p.Slug, draftV1)
	f.doc = doc
	_, v2, blocks, err := env.Documents.Import(ctx, auth.System, doc.ID, document.ImportInput{Format: document.FormatMarkdown, Source: draftV2})
	require.NoError(t, err)
	_, err = env.Documents.Publish(ctx, auth.System, doc.ID, v2.Number)
	require.NoError(t, err)
	f.keyA, f.keyB = blocks[1].Key, blocks[2].Key

	p := f.people
	cAt := start.AddDate(0, 0, -10) // Friday 19 February
	// Paragraph A: six published comments, one a reply.
	f.comment(t, "c1", p[0], f.keyA, "", "published", "online", cAt)
	f.comment(t, "c2", p[1], f.keyA, "c1", "published", "online", cAt)
	for i, n := range []string{"c3", "c4", "c5", "c6"} {
		f.comment(t, n, p[2+i], f.keyA, "", "published", "online", cAt)
	}
	// Paragraph B: two published, one hidden, one held, one rejected, one
	// deleted, and one received on paper.
	f.comment(t, "c7", p[6], f.keyB, "", "published", "online", cAt)
	f.comment(t, "c8", p[0], f.keyB, "", "published", "online", cAt)
	f.comment(t, "c9", p[7], f.keyB, "", "hidden", "online", cAt)
	f.comment(t, "c10", p[7], f.keyB, "", "pending", "online", cAt)
	f.comment(t, "c11", p[7], f.keyB, "", "rejected", "online", cAt)
	f.comment(t, "c12", p[6], f.keyB, "", "published", "online", cAt)
	f.exec(t, "UPDATE comments SET deleted_at = ? WHERE id = ?", cAt, f.comments["c12"])
	f.comment(t, "c13", f.owner, f.keyB, "", "published", "paper", cAt)

	t1 := f.id(t, "INSERT INTO idea_themes (process_id, name, position) VALUES (?, 'Open data', 1) RETURNING id", f.p.ID)
	t2 := f.id(t, "INSERT INTO idea_themes (process_id, name, position) VALUES (?, 'Budgets', 2) RETURNING id", f.p.ID)
	iAt := start.AddDate(0, 0, -30) // Saturday 30 January
	i1 := f.idea(t, "i1", f.p.ID, t1, p[0], "submitted", "published", "online", nil, iAt)
	f.idea(t, "i2", f.p.ID, t1, p[1], "submitted", "published", "online", nil, iAt)
	f.idea(t, "i3", f.p.ID, t1, p[2], "submitted", "published", "online", nil, iAt)
	f.idea(t, "i4", f.p.ID, t1, p[3], "withdrawn", "published", "online", nil, iAt)
	f.idea(t, "i5", f.p.ID, t1, p[4], "merged", "published", "online", &i1, iAt)
	f.idea(t, "i6", f.p.ID, t1, p[7], "submitted", "hidden", "online", nil, iAt)
	f.idea(t, "i7", f.p.ID, t2, f.owner, "submitted", "published", "phone", nil, iAt)

	// Votes: five on c1, one on the hidden c9 (not counted).
	for _, who := range p[1:6] {
		f.exec(t, "INSERT INTO comment_votes (comment_id, user_id, value, voted_at) VALUES (?, ?, 1, ?)", f.comments["c1"], who.UserID, cAt)
	}
	f.exec(t, "INSERT INTO comment_votes (comment_id, user_id, value, voted_at) VALUES (?, ?, 1, ?)", f.comments["c9"], p[6].UserID, cAt)
	// Supports: three on published ideas, one on the withdrawn i4 (not counted).
	support := func(idea int64, who auth.Principal) {
		f.exec(t, "INSERT INTO idea_supports (idea_id, user_id, process_id, theme_id, created_at) VALUES (?, ?, ?, ?, ?)", idea, who.UserID, f.p.ID, t1, iAt)
	}
	support(i1, p[5])
	support(i1, p[6])
	support(f.ideas["i2"], p[7])
	support(f.ideas["i4"], p[0])

	// Clusters: five published comments and the hidden one; two ideas.
	k1 := f.id(t, "INSERT INTO clusters (process_id, title, origin) VALUES (?, 'Open data first', 'manual') RETURNING id", f.p.ID)
	for _, n := range []string{"c1", "c3", "c4", "c5", "c6", "c9"} {
		f.exec(t, "INSERT INTO cluster_members (cluster_id, comment_id) VALUES (?, ?)", k1, f.comments[n])
	}
	k2 := f.id(t, "INSERT INTO clusters (process_id, title, origin) VALUES (?, 'Budget ideas', 'manual') RETURNING id", f.p.ID)
	for _, n := range []string{"i1", "i2"} {
		f.exec(t, "INSERT INTO cluster_members (cluster_id, idea_id) VALUES (?, ?)", k2, f.ideas[n])
	}

	// Responses: adopted (c1, three working days on), rejected (i1 and i2,
	// twenty-one working days on: late), a draft, and a noted one corrected
	// by another noted one.
	response := func(disposition, state string, at time.Time, supersedes *int64) int64 {
		var reason any
		if supersedes != nil {
			reason = "a correction"
		}
		var published, seq any
		if state == "published" {
			published, seq = at, 1
		}
		return f.id(t, `INSERT INTO responses (process_id, state, disposition, reasoning, reasoning_html, supersedes, correction_reason, published_at, ledger_seq, rule)
			VALUES (?, ?, ?, 'Because.', '<p>Because.</p>', ?, ?, ?, ?, 'single') RETURNING id`, f.p.ID, state, disposition, supersedes, reason, published, seq)
	}
	answer := func(r int64, column string, id int64, at time.Time) {
		f.exec(t, "INSERT INTO contribution_answers (response_id, "+column+", answered_at) VALUES (?, ?, ?)", r, id, at)
	}
	r1 := response("adopted", "published", start.AddDate(0, 0, -5), nil)
	answer(r1, "comment_id", f.comments["c1"], start.AddDate(0, 0, -5))
	r2 := response("rejected", "published", start, nil)
	answer(r2, "idea_id", i1, start)
	answer(r2, "idea_id", f.ideas["i2"], start)
	response("merged", "draft", start, nil)
	r4 := response("noted", "published", start.AddDate(0, 0, -2), nil)
	response("noted", "published", start.AddDate(0, 0, -1), &r4)

	// Moderation: c9 flagged and rejected for abuse, appealed, upheld; c10
	// held and pending; c11 screened and rejected as spam; i6 held and
	// rejected for personal data; c7 held and approved.
	item := func(column string, id int64, author auth.Principal, cause, state string, appealed bool) int64 {
		var appealedAt any
		if appealed {
			appealedAt = cAt
		}
		return f.id(t, `INSERT INTO moderation_items (process_id, `+column+`, author_id, cause, state, created_at, queued_at, appealed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.p.ID, id, author.UserID, cause, state, cAt, cAt, appealedAt)
	}
	decide := func(item int64, outcome string, reason any, onAppeal bool) {
		f.exec(t, `INSERT INTO moderation_decisions (item_id, outcome, reason, cause, on_appeal, item_version, created_at)
			VALUES (?, ?, ?, 'mode', ?, 1, ?)`, item, outcome, reason, onAppeal, cAt)
	}
	m1 := item("comment_id", f.comments["c9"], p[7], "flags", "decided", true)
	decide(m1, "reject", "abuse", false)
	decide(m1, "reject", "abuse", true)
	item("comment_id", f.comments["c10"], p[7], "mode", "open", false)
	m3 := item("comment_id", f.comments["c11"], p[7], "screen", "decided", false)
	decide(m3, "reject", "spam", false)
	m4 := item("idea_id", f.ideas["i6"], p[7], "mode", "decided", false)
	decide(m4, "escalate", nil, false)
	decide(m4, "reject", "personal_data", false)
	m5 := item("comment_id", f.comments["c7"], p[6], "mode", "decided", false)
	decide(m5, "approve", nil, false)

	f.exec(t, `INSERT INTO commitments (process_id, title, lead_institution, starts_on, ends_on) VALUES (?, 'Open budget data', 'Treasury', '2027-04-01', '2028-04-01')`, f.p.ID)

	other := env.Process(t, "other-2027", process.PhaseIdeaCollection)
	ot := f.id(t, "INSERT INTO idea_themes (process_id, name, position) VALUES (?, 'Other', 1) RETURNING id", other.ID)
	f.other = f.idea(t, "", other.ID, ot, p[0], "submitted", "published", "online", nil, iAt)
	delete(f.ideas, "")
	return f
}

func n(v int) report.Cell { return report.Count(v) }

var few = report.Cell{Suppressed: true}

// TestReportFigures: every figure of the report of the whole process is the
// one the rows made above give: hidden, held, rejected and deleted comments
// and withdrawn, merged and hidden ideas are not published contributions;
// offline ones count by channel; cells of 1 to 4 read "fewer than 5".
func TestReportFigures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r, err := f.env.Reports.Preview(ctx, f.owner, f.p.Slug, report.Input{Representative: []string{"comment:" + itoa(f.comments["c1"]), "idea:" + itoa(f.ideas["i7"])}})
	require.NoError(t, err)

	require.Equal(t, report.ProcessRef{Slug: "plan-2027", Title: "Process plan-2027"}, r.Process)
	require.Nil(t, r.Scope.Phase)
	require.Equal(t, 5, r.MinGroupSize)
	require.Len(t, r.WeAsked.Phases, 2)
	require.Len(t, r.WeAsked.Documents, 1)
	require.Len(t, r.WeAsked.Documents[0].Versions, 2)
	require.Equal(t, []string{"Open data", "Budgets"}, r.WeAsked.Themes)

	y := r.YouSaid
	require.Equal(t, report.KindCounts{Comments: 8, Replies: 1, Ideas: 4, Votes: 5, Supports: 3, Offline: 2}, y.Contributions)
	require.Equal(t, n(8), y.Participants, "p0..p7: p7 only through a support; the owner's offline entries do not count")
	require.Equal(t, []report.ChannelCount{
		{Channel: "online", Comments: n(8), Ideas: few},
		{Channel: "paper", Comments: few, Ideas: n(0)},
		{Channel: "phone", Comments: n(0), Ideas: few},
		{Channel: "email", Comments: n(0), Ideas: n(0)},
		{Channel: "workshop", Comments: n(0), Ideas: n(0)},
	}, y.ByChannel)
	require.Equal(t, []report.WeekCount{{Week: "2027-01-25", Contributions: few}, {Week: "2027-02-15", Contributions: n(9)}}, y.ByWeek)
	require.Equal(t, []report.ThemeCount{{Theme: "Open data", Ideas: few}, {Theme: "Budgets", Ideas: few}}, y.ByTheme)
	require.Len(t, y.Paragraphs, 2)
	require.Equal(t, report.ParagraphCount{Document: f.doc.ID, Key: f.keyA, Text: "Alpha paragraph about open data portals.", Comments: n(6)}, y.Paragraphs[0])
	require.Equal(t, report.ParagraphCount{Document: f.doc.ID, Key: f.keyB, Text: "Beta paragraph about budget transparency reports, published every month.", Comments: few}, y.Paragraphs[1])
	require.Len(t, y.Clusters, 2)
	require.Equal(t, "Open data first", y.Clusters[0].Title)
	require.Equal(t, n(5), y.Clusters[0].Contributions, "the hidden member is not counted; five is shown")
	require.Equal(t, few, y.Clusters[1].Contributions)
	require.Len(t, y.Representative, 2)
	require.Equal(t, "Comment c1", y.Representative[0].Text)
	require.Regexp(t, `^Person \d+$`, y.Representative[0].Author)
	require.Equal(t, "Residents' association", y.Representative[1].Author)
	require.Equal(t, "phone", y.Representative[1].Channel)

	w := r.WeDid
	require.Equal(t, 3, w.Responses)
	got := map[string]int{}
	for _, d := range w.ByDisposition {
		got[d.Disposition] = d.Responses
	}
	require.Equal(t, map[string]int{"adopted": 1, "amended": 0, "merged": 0, "rejected": 1, "out_of_scope": 0, "noted": 1}, got)
	require.Equal(t, "/api/v1/processes/plan-2027/ledger?kind=response&disposition=adopted", w.ByDisposition[0].Ledger)
	require.Equal(t, report.CoverageFigures{Contributions: 13, Answered: 3, Percent: 23.1}, w.Coverage)
	require.Equal(t, y.Contributions.Comments+y.Contributions.Replies+y.Contributions.Ideas, w.Coverage.Contributions, "the figures add up")
	med, p90 := 21.0, 21.0
	require.Equal(t, report.ResponseTimes{TargetDays: 20, Answered: 3, MedianDays: &med, P90Days: &p90, AnsweredLate: 2, UnansweredOverdue: 2, Overdue: 4}, w.ResponseTimes)
	require.Equal(t, []report.DraftChange{{Document: f.doc.ID, Title: "Draft", FirstVersion: 1, FinalVersion: 2, Unchanged: 2, Edited: 1, Added: 1, Removed: 1}}, w.DraftChanges)
	require.Len(t, w.Commitments, 1)
	require.Equal(t, "Open budget data", w.Commitments[0].Title)

	m := r.Moderation
	require.Equal(t, 5, m.Held)
	require.Equal(t, 1, m.Published)
	require.Equal(t, 1, m.Pending)
	rejected := map[string]report.Cell{}
	for _, c := range m.Rejected {
		rejected[c.Reason] = c.Items
	}
	require.Equal(t, few, rejected["abuse"])
	require.Equal(t, few, rejected["spam"])
	require.Equal(t, few, rejected["personal_data"])
	require.Equal(t, n(0), rejected["off_topic"])
	require.Equal(t, report.AppealFigures{Made: few, Upheld: few, Overturned: n(0), Pending: n(0)}, m.Appeals)
}

// TestReportOfAPhase: the report of the ended idea-collection phase counts
// only what was made in its window.
func TestReportOfAPhase(t *testing.T) {
	f := newFixture(t)
	r, err := f.env.Reports.Preview(context.Background(), f.owner, f.p.Slug, report.Input{Phase: "idea_collection"})
	require.NoError(t, err)
	require.Equal(t, "idea_collection", *r.Scope.Phase)
	require.True(t, r.Scope.From.Equal(start.AddDate(0, 0, -40)))
	require.Equal(t, report.KindCounts{Ideas: 4, Supports: 3, Offline: 1}, r.YouSaid.Contributions)
	require.Equal(t, report.CoverageFigures{Contributions: 4, Answered: 2, Percent: 50}, r.WeDid.Coverage)
	require.Equal(t, 1, r.WeDid.Responses, "only the rejection answered an idea of the phase")
	require.Equal(t, 0, r.Moderation.Held)
}

// TestReportRefusesBadInput: an unknown phase, a malformed, hidden or
// foreign representative contribution is a 422 naming the field.
func TestReportRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		in    report.Input
		field string
	}{
		{"unknown phase", report.Input{Phase: "drafting"}, "phase"},
		{"not a phase", report.Input{Phase: "later"}, "phase"},
		{"malformed ref", report.Input{Representative: []string{"comment-1"}}, "representative[0]"},
		{"hidden comment", report.Input{Representative: []string{"comment:" + itoa(f.comments["c1"]), "comment:" + itoa(f.comments["c9"])}}, "representative[1]"},
		{"deleted comment", report.Input{Representative: []string{"comment:" + itoa(f.comments["c12"])}}, "representative[0]"},
		{"withdrawn idea", report.Input{Representative: []string{"idea:" + itoa(f.ideas["i4"])}}, "representative[0]"},
		{"another process's idea", report.Input{Representative: []string{"idea:" + itoa(f.other)}}, "representative[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.env.Reports.Preview(ctx, f.owner, f.p.Slug, tt.in)
			e, ok := apperr.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, apperr.KindInvalid, e.Kind)
			require.Equal(t, tt.field, e.Fields[0].Field)
		})
	}
}

// TestReportPreviewIsOwners: people who do not own the process may not
// preview its report.
func TestReportPreviewIsOwners(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mod := f.env.Person(t)
	f.env.Grant(t, f.p.Slug, mod, process.RoleModerator)
	for _, who := range []auth.Principal{{}, f.people[0], mod} {
		_, err := f.env.Reports.Preview(ctx, who, f.p.Slug, report.Input{})
		require.True(t, errors.Is(err, report.ErrNotOwner), "%+v: %v", who, err)
	}
	_, err := f.env.Reports.Preview(ctx, auth.System, f.p.Slug, report.Input{})
	require.NoError(t, err)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPublishIsAtomicWithItsEmails: a publication whose transaction does not
// commit (a crash before the commit) leaves no report, ledger entry or
// e-mail; publishing again tells each contributor once, and a further
// revision tells nobody again.
func TestPublishIsAtomicWithItsEmails(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	counts := func() [3]int64 {
		return [3]int64{pgtest.Count(t, f.env.Owner, "reports", ""), pgtest.Count(t, f.env.Owner, "ledger_entries", "kind = 'report'"),
			pgtest.Count(t, f.env.Owner, "outbox", "kind = 'report_published'")}
	}
	crash := errors.New("the server stopped before the commit")
	err := database.InTx(ctx, f.env.DB, func(ctx context.Context) error {
		if _, err := f.env.Reports.Publish(ctx, f.owner, f.p.Slug, report.Input{}); err != nil {
			return err
		}
		require.EqualValues(t, 0, pgtest.Count(t, f.env.Owner, "outbox", "kind = 'report_published'"), "not visible outside the transaction")
		return crash
	})
	require.ErrorIs(t, err, crash)
	require.Equal(t, [3]int64{0, 0, 0}, counts())

	first, err := f.env.Reports.Publish(ctx, f.owner, f.p.Slug, report.Input{})
	require.NoError(t, err)
	require.Equal(t, 1, first.Number)
	// p0..p6 wrote published contributions online; p7 only supported, and
	// the owner's entries were received offline.
	require.Equal(t, [3]int64{1, 1, 7}, counts())
	second, err := f.env.Reports.Publish(ctx, f.owner, f.p.Slug, report.Input{})
	require.NoError(t, err)
	require.Equal(t, 2, second.Number)
	require.Equal(t, [3]int64{2, 2, 7}, counts())
	rep, err := f.env.Ledger.Verify(ctx, f.p.ID)
	require.NoError(t, err)
	require.True(t, rep.OK)
}

// TestAnalyticsForTheTeam: the team's live figures count each day's
// contributions and the new and returning participants per week, suppress
// cells below 5, and are refused to people outside the team.
func TestAnalyticsForTheTeam(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// p0 comes back in a third week with a comment.
	f.comment(t, "c14", f.people[0], f.keyA, "", "published", "online", start.AddDate(0, 0, -1))
	mod, member, citizen := f.env.Person(t), f.env.Person(t), f.env.Person(t)
	f.env.Grant(t, f.p.Slug, mod, process.RoleModerator)
	f.env.Grant(t, f.p.Slug, member, process.RoleForumMember, process.SeatCivilSociety)
	for _, who := range []auth.Principal{f.owner, mod, member} {
		a, err := f.env.Reports.Analytics(ctx, who, f.p.Slug)
		require.NoError(t, err)
		require.Equal(t, 9, a.Report.YouSaid.Contributions.Comments, "eight before, and p0's return")
		require.Equal(t, []report.DayCount{
			{Day: "2027-01-30", Contributions: few, People: few},   // the four ideas, three by accounts online
			{Day: "2027-02-19", Contributions: n(9), People: n(7)}, // nine comments, seven accounts (the letter has none)
			{Day: "2027-02-28", Contributions: few, People: few},
		}, a.Daily)
		// Week of 25 January: p0..p2 wrote ideas, p5..p7 supported: six new.
		// Week of 15 February: p3, p4, p6 new (p6 had supported the week before: returning), p0, p1, p2, p5 returning.
		// Week of 22 February: p0 returning.
		require.Equal(t, []report.WeekReturning{
			{Week: "2027-01-25", New: n(6), Returning: n(0)},
			{Week: "2027-02-15", New: few, Returning: n(5)},
			{Week: "2027-02-22", New: n(0), Returning: few},
		}, a.Participants)
	}
	for _, who := range []auth.Principal{{}, citizen, {UserID: mod.UserID, Suspended: true}} {
		_, err := f.env.Reports.Analytics(ctx, who, f.p.Slug)
		require.ErrorIs(t, err, report.ErrNotAnalyst, "%+v", who)
	}
}
