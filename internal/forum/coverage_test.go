package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/forum"
)

// coverage is the part of forum.Coverage these tests follow.
type coverage struct {
	Total, Answered, Unanswered, PastTarget int
	Under7, From7To20, Over20               int
	ByKind                                  []forum.KindCoverage
}

func (f *fixture) coverage(t *testing.T) (coverage, forum.Coverage, []forum.CoverageRow) {
	t.Helper()
	c, rows, err := f.Forum.Coverage(context.Background(), auth.System, f.slug)
	require.NoError(t, err)
	return coverage{Total: c.Total, Answered: c.Answered, Unanswered: c.Unanswered, PastTarget: c.PastTarget,
		Under7: c.Under7, From7To20: c.From7To20, Over20: c.Over20, ByKind: c.ByKind}, c, rows
}

func kinds(comments, commentsAnswered, ideas, ideasAnswered int) []forum.KindCoverage {
	return []forum.KindCoverage{{Kind: forum.KindComment, Total: comments, Answered: commentsAnswered},
		{Kind: forum.KindIdea, Total: ideas, Answered: ideasAnswered}}
}

// TestCoverageCountsAnswersAndOverdue: coverage counts the answered and the
// unanswered by kind, and an unanswered contribution is overdue once the
// target days have passed since its phase closed, by the clock and against
// the target the owner sets (only the owner: a member gets forum.not_owner).
func TestCoverageCountsAnswersAndOverdue(t *testing.T) {
	ctx := context.Background()
	// Everything is made at start, in a phase that closes two days later:
	// with a target of 5 days it is due at start + 7 days.
	f := newFixture(t, newSystem(t), "plan-2027", forum.RuleSingle, 5)
	due := start.Add(7 * 24 * time.Hour)
	r := f.draft(t, f.gov, "rejected", false, 2)
	f.sign(t, f.gov, r, "published")

	got, c, rows := f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 1, Unanswered: 3, Under7: 3, ByKind: kinds(1, 0, 3, 1)}, got)
	require.Equal(t, 5, c.TargetDays)
	require.Len(t, rows, 4)
	for _, row := range rows {
		require.True(t, row.DueAt.Equal(due), "%s %d due %s, want %s", row.Kind, row.ID, row.DueAt, due)
		if row.Kind == forum.KindIdea && row.ID == f.ideas[2].ID {
			require.NotNil(t, row.ResponseID)
			require.Equal(t, r.ID, *row.ResponseID)
			require.Equal(t, "rejected", *row.Disposition)
		} else {
			require.Nil(t, row.ResponseID, "%s %d", row.Kind, row.ID)
		}
	}

	f.Clock.Advance(6 * 24 * time.Hour) // a day before the target
	got, _, _ = f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 1, Unanswered: 3, Under7: 3, ByKind: kinds(1, 0, 3, 1)}, got)

	f.Clock.Advance(2 * 24 * time.Hour) // a day past it
	got, c, _ = f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 1, Unanswered: 3, PastTarget: 3, From7To20: 3, ByKind: kinds(1, 0, 3, 1)}, got)
	require.Equal(t, 8, *c.OldestDays)
	require.InDelta(t, 8.0, *c.MedianDays, 0.01)

	// A later target puts them back within it; only the owner may set it.
	for _, who := range []struct {
		name string
		err  string
	}{{"member", "forum.not_owner"}, {"citizen", "forum.not_owner"}} {
		actor := f.gov
		if who.name == "citizen" {
			actor = f.cit1
		}
		_, err := f.Forum.SetSettings(ctx, actor, f.slug, forum.Settings{SigningRule: forum.RuleSingle, TargetDays: 10})
		requireCode(t, err, who.err)
	}
	got, _, _ = f.coverage(t)
	require.Equal(t, 3, got.PastTarget, "refused changes change nothing")
	_, err := f.Forum.SetSettings(ctx, f.owner, f.slug, forum.Settings{SigningRule: forum.RuleSingle, TargetDays: 10})
	require.NoError(t, err)
	got, _, _ = f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 1, Unanswered: 3, From7To20: 3, ByKind: kinds(1, 0, 3, 1)}, got)

	// Answering the comment late counts it answered, and no longer overdue.
	f.Clock.Advance(5 * 24 * time.Hour) // 13 days: past the 12-day due date
	got, _, _ = f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 1, Unanswered: 3, PastTarget: 3, From7To20: 3, ByKind: kinds(1, 0, 3, 1)}, got)
	r = f.draft(t, f.civil, "noted", true)
	f.sign(t, f.civil, r, "published")
	f.Clock.Advance(8 * 24 * time.Hour) // 21 days
	got, _, _ = f.coverage(t)
	require.Equal(t, coverage{Total: 4, Answered: 2, Unanswered: 2, PastTarget: 2, Over20: 2, ByKind: kinds(1, 1, 3, 1)}, got)
}
