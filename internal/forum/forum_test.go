package forum_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/forum"
	"cocreate/internal/idea"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// start is the stopped clock's first reading in every test here.
var start = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture is one process in its idea-collection phase with a forum: two
// government members, two civil-society members and an "other" member, an
// owner, two citizens with ideas and a comment, and an outsider.
type fixture struct {
	*apptest.Env
	slug             string
	gov, gov2        auth.Principal
	civil, civil2    auth.Principal
	other, owner     auth.Principal
	cit1, cit2, anon auth.Principal
	ideas            []idea.Idea // cit1's two, then cit2's one
	comment          comment.Comment
}

// newFixture builds the process slug with the signing rule and the target
// days; its idea phase runs from an hour before start to two days after.
func newFixture(t *testing.T, sys *apptest.Env, slug string, rule forum.Rule, targetDays int) *fixture {
	t.Helper()
	ctx := context.Background()
	now := sys.Now()
	sys.ProcessWith(t, slug, nil, process.PhaseInput{Kind: process.PhaseIdeaCollection, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(48 * time.Hour)})
	st, err := sys.Ideas.PutSettings(ctx, auth.System, slug, idea.SettingsInput{Themes: []idea.ThemeInput{{Name: "Budgets"}}})
	require.NoError(t, err)
	ps := sys.People(t, 9)
	f := &fixture{Env: sys, slug: slug, gov: ps[0], gov2: ps[1], civil: ps[2], civil2: ps[3], other: ps[4], owner: ps[5],
		cit1: ps[6], cit2: ps[7], anon: ps[8]}
	for who, seat := range map[auth.Principal]process.Seat{f.gov: process.SeatGovernment, f.gov2: process.SeatGovernment,
		f.civil: process.SeatCivilSociety, f.civil2: process.SeatCivilSociety, f.other: process.SeatOther} {
		sys.Grant(t, slug, who, process.RoleForumMember, seat)
	}
	sys.Grant(t, slug, f.owner, process.RoleOwner)
	_, err = sys.Forum.SetSettings(ctx, f.owner, slug, forum.Settings{SigningRule: rule, TargetDays: targetDays})
	require.NoError(t, err)

	for _, in := range []struct {
		who   auth.Principal
		title string
	}{{f.cit1, "Publish the budget as open data"}, {f.cit1, "Open the budget data every month"}, {f.cit2, "Plant trees on every street"}} {
		i, err := sys.Ideas.Create(ctx, in.who, slug, idea.CreateInput{Title: in.title, Body: "Why: " + in.title, ThemeID: st.Themes[0].ID})
		require.NoError(t, err)
		f.ideas = append(f.ideas, i)
	}
	f.comment, err = sys.Comments.CreateOnIdea(ctx, f.cit2, f.ideas[0].ID, "Yes, and the contracts too.")
	require.NoError(t, err)
	return f
}

// newSystem is a fresh system whose clock stands at start.
func newSystem(t *testing.T) *apptest.Env {
	t.Helper()
	return apptest.New(t, apptest.Options{Start: start, Unscreened: true})
}

// draft has member draft a response with disposition covering the ideas
// (by index) and, with withComment, the comment.
func (f *fixture) draft(t *testing.T, member auth.Principal, disposition forum.Disposition, withComment bool, ideas ...int) forum.Response {
	t.Helper()
	var covers []forum.CoverInput
	for _, i := range ideas {
		covers = append(covers, forum.CoverInput{Kind: "idea", ID: f.ideas[i].ID})
	}
	if withComment {
		covers = append(covers, forum.CoverInput{Kind: "comment", ID: f.comment.ID})
	}
	r, err := f.Forum.CreateResponse(context.Background(), member, f.slug, forum.ResponseInput{Disposition: disposition,
		Reasoning: "We will publish the budget **monthly**.", LedTo: "Commitment 3", Covers: covers})
	require.NoError(t, err)
	require.Equal(t, "draft", r.State)
	return r
}

// count counts the rows of table matching where (a SQL condition with args).
func (f *fixture) count(t *testing.T, table, where string, args ...any) int64 {
	t.Helper()
	return pgtest.Count(t, f.Owner, table, where, args...)
}

// requireCode checks err is the application error with code.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "not an application error: %v", err)
	require.Equal(t, code, e.Code)
}
