package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/demo"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
	"cocreate/internal/report"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func TestLoadOnceThenNothing(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC)
	sys := apptest.New(t, apptest.Options{Start: now, Unscreened: true})
	db := sys.Owner

	added, err := demo.Load(ctx, sys.App)
	require.NoError(t, err)
	require.Len(t, added, 15, "four processes, the owner, the draft, the ideas, the youth panel, the forum, the mandate, an update, the survey participant and their workshop, the commitments and the past consultation: %v", added)
	// The survey participant took part in the drafting phase, which has closed: its survey invites them.
	var participant int64
	require.NoError(t, db.Raw("SELECT id FROM users WHERE email = ?", demo.ParticipantEmail).Scan(&participant).Error)
	invited, err := sys.Surveys.Invited(ctx, auth.Principal{UserID: participant, Verified: true}, demo.CurrentSlug)
	require.NoError(t, err)
	require.Len(t, invited, 1)
	require.Equal(t, process.PhaseDrafting, invited[0].Phase)

	require.NoError(t, db.Exec(`INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at)
		SELECT id, 'demo-session', '\x00', now() + interval '1 day' FROM users WHERE email = ?`, demo.OwnerEmail).Error)
	sys.Clock.Advance(48 * time.Hour)
	added, err = demo.Load(ctx, sys.App)
	require.NoError(t, err)
	require.Empty(t, added, "a second run adds nothing")
	require.EqualValues(t, 1, pgtest.Count(t, db, "refresh_tokens", "family = 'demo-session' AND revoked_at IS NULL"),
		"a second run leaves the owner's sessions alone")
	require.EqualValues(t, 4, pgtest.Count(t, db, "processes", ""))
	require.EqualValues(t, 4, pgtest.Count(t, db, "processes", "published_at IS NOT NULL"), "the demo's processes are public")
	require.EqualValues(t, 1, pgtest.Count(t, db, "process_mandates", "iap2_level = 'involve' AND cardinality(open_items) = 3"))
	require.EqualValues(t, 1, pgtest.Count(t, db, "process_updates", ""))
	require.EqualValues(t, 2, pgtest.Count(t, db, "documents", ""), "the current draft and the ended process's")
	require.EqualValues(t, 2, pgtest.Count(t, db, "document_versions", "published_at IS NOT NULL"))
	require.Greater(t, pgtest.Count(t, db, "blocks", ""), int64(20), "the draft's headings, paragraphs, list items and table rows")
	require.EqualValues(t, 4, pgtest.Count(t, db, "process_roles", "role = 'owner'"))
	require.EqualValues(t, 2, pgtest.Count(t, db, "process_roles", "role = 'moderator'"))
	require.EqualValues(t, 1, pgtest.Count(t, db, "moderation_settings", "mode = 'pre'"))
	require.EqualValues(t, 5, pgtest.Count(t, db, "ideas", "moderation = 'published'"))
	require.EqualValues(t, 5, pgtest.Count(t, db, "idea_themes", ""), "three in the ideas process, two in the youth panel")
	require.EqualValues(t, 1, pgtest.Count(t, db, "idea_rules", "support_limit = 3"))

	procs := sys.Processes
	cur, err := procs.Get(ctx, demo.CurrentSlug)
	require.NoError(t, err)
	require.Equal(t, process.StageActive, cur.StageAt(now))
	phase, ok := cur.CurrentPhase(now)
	require.True(t, ok)
	require.Equal(t, process.PhasePublicComment, phase.Kind, "the demo opens in its public-comment phase")

	ideas, err := procs.Get(ctx, demo.IdeasSlug)
	require.NoError(t, err)
	phase, ok = ideas.CurrentPhase(now)
	require.True(t, ok)
	require.Equal(t, process.PhaseIdeaCollection, phase.Kind, "the demo ideas process opens in its idea-collection phase")

	past, err := procs.Get(ctx, demo.PastSlug)
	require.NoError(t, err)
	require.Equal(t, process.StageEnded, past.StageAt(now))
}

// TestLoadPublishesWhatItLeftUnpublished: a run that stopped between creating
// a process and publishing it is completed by the next one.
func TestLoadPublishesWhatItLeftUnpublished(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Unscreened: true})
	sys.UnpublishedProcess(t, demo.PastSlug, process.PhaseImplementation)
	added, err := demo.Load(ctx, sys.App)
	require.NoError(t, err)
	require.Contains(t, added, "publication of "+demo.PastSlug)
	require.EqualValues(t, 0, pgtest.Count(t, sys.Owner, "processes", "published_at IS NULL"))
}

// TestDemoCommitmentsShowEveryStatus: the ended process's dashboard has a
// commitment in each status, joint and government updates in a ledger that
// verifies, and an overdue question.
func TestDemoCommitmentsShowEveryStatus(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Start: time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC), Unscreened: true})
	_, err := demo.Load(ctx, sys.App)
	require.NoError(t, err)
	d, err := sys.Commitments.Dashboard(ctx, auth.Anonymous, demo.PastSlug)
	require.NoError(t, err, "the ended process is public")
	for _, s := range commitment.Statuses {
		require.Equal(t, 1, d.Counts[s], "one commitment %s: %v", s, d.Counts)
	}
	require.Len(t, d.Overdue, 1)
	require.EqualValues(t, 3, pgtest.Count(t, sys.Owner, "progress_updates", "kind = 'joint' AND state = 'published'"))
	rep, err := sys.Ledger.Verify(ctx, d.Process.ID)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.EqualValues(t, pgtest.Count(t, sys.Owner, "progress_updates", "state = 'published'"), rep.Entries)
}

// TestDemoPastConsultationHasAReport: the ended process received comments
// during its public-comment phase, online and on paper, so its close-out
// report has figures above and below the minimum group size.
func TestDemoPastConsultationHasAReport(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Start: time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC), Unscreened: true})
	_, err := demo.Load(ctx, sys.App)
	require.NoError(t, err)
	r, err := sys.Reports.Preview(ctx, auth.System, demo.PastSlug, report.Input{})
	require.NoError(t, err)
	require.Equal(t, report.KindCounts{Comments: 9, Offline: 1}, r.YouSaid.Contributions)
	require.Equal(t, report.Count(6), r.YouSaid.Participants)
	require.Len(t, r.YouSaid.Paragraphs, 2)
	require.Equal(t, report.Count(7), r.YouSaid.Paragraphs[0].Comments, "six residents and a letter")
	require.True(t, r.YouSaid.Paragraphs[1].Comments.Suppressed)
	require.Len(t, r.WeDid.Commitments, 6)
}
