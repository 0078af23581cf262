package forum_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/forum"
	"cocreate/internal/process"
)

// TestTermsOfReference: the forum's terms are public once the process is,
// written by its owners only, in Markdown; bad input changes nothing.
func TestTermsOfReference(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "terms-plan", forum.Settings{SigningRule: forum.RuleJoint}, 1, 1, 0)
	require.NoError(t, b.Owner.Exec("UPDATE processes SET published_at = NULL WHERE slug = ?", b.slug).Error)
	_, err := b.Forum.Institution(ctx, auth.Principal{}, b.slug)
	requireCode(t, err, "process.not_found")
	_, err = b.Forum.Institution(ctx, b.gov[0], b.slug)
	requireCode(t, err, "process.not_found")
	in, err := b.Forum.Institution(ctx, b.owner, b.slug)
	require.NoError(t, err)
	require.True(t, in.Manage)
	require.Equal(t, 1, in.Terms.MeetingsPerQuarter, "one meeting a quarter until the terms say otherwise")
	require.Nil(t, in.Terms.UpdatedAt)
	require.NoError(t, b.Owner.Exec("UPDATE processes SET published_at = now() WHERE slug = ?", b.slug).Error)

	good := forum.TermsInput{Remit: "Co-create the **action plan**.", Quorum: "Half of each side.", Selection: "Civil society elects its members.",
		MemberTerms: "Two years.", MeetingsPerQuarter: 3}
	_, err = b.Forum.SetTerms(ctx, b.gov[0], b.slug, good)
	requireCode(t, err, "forum.not_owner")
	_, err = b.Forum.SetTerms(ctx, b.outsider, b.slug, good)
	requireCode(t, err, "forum.not_owner")
	for _, bad := range []forum.TermsInput{
		{Remit: strings.Repeat("x", forum.MaxRemitChars+1), MeetingsPerQuarter: 1},
		{Quorum: "Half\x00", MeetingsPerQuarter: 1},
		{MeetingsPerQuarter: 14},
		{MeetingsPerQuarter: -1},
	} {
		_, err := b.Forum.SetTerms(ctx, b.owner, b.slug, bad)
		requireCode(t, err, "forum.invalid")
	}
	require.EqualValues(t, 0, countWhere(t, b.Env, "forum_terms", "true"))

	in, err = b.Forum.SetTerms(ctx, b.owner, b.slug, good)
	require.NoError(t, err)
	require.Contains(t, in.Terms.RemitHTML, "<strong>action plan</strong>")
	require.Equal(t, 3, in.Terms.MeetingsPerQuarter)
	require.NotNil(t, in.Terms.UpdatedAt)
	in, err = b.Forum.Institution(ctx, auth.Principal{}, b.slug)
	require.NoError(t, err)
	require.Equal(t, "Two years.", in.Terms.MemberTerms)
	require.False(t, in.Manage)
	require.Nil(t, in.Mine)
}

// TestMembershipsFollowTheRoles: naming a forum member opens a membership,
// removing them closes it (the past member stays listed with their dates),
// moving them to another seat closes one and opens another. Owners record
// how each was selected and their term.
func TestMembershipsFollowTheRoles(t *testing.T) {
	ctx := context.Background()
	sys := newSystem(t)
	b := newBoard(t, sys, "members-plan", forum.Settings{SigningRule: forum.RuleJoint}, 2, 1, 0)
	in, err := b.Forum.Institution(ctx, b.gov[0], b.slug)
	require.NoError(t, err)
	require.Len(t, in.Memberships, 3)
	require.NotNil(t, in.Mine)
	for _, m := range in.Memberships {
		require.True(t, m.Current())
		require.NotNil(t, m.MemberRef)
	}

	require.NoError(t, b.Processes.RevokeRole(ctx, auth.System, b.slug, b.gov[1].UserID, process.RoleForumMember))
	b.Grant(t, b.slug, b.civil[0], process.RoleForumMember, process.SeatOther) // a new seat
	in, err = b.Forum.Institution(ctx, auth.Principal{}, b.slug)
	require.NoError(t, err)
	var current, past []forum.Membership
	for _, m := range in.Memberships {
		if m.Current() {
			current = append(current, m)
		} else {
			past = append(past, m)
		}
	}
	require.Len(t, current, 2)
	require.Len(t, past, 2, "the member who left and the civil-society seat given up")
	seats := map[process.Seat]int{}
	for _, m := range past {
		seats[m.Seat]++
		require.False(t, m.LeftAt.Before(m.JoinedAt))
	}
	require.Equal(t, map[process.Seat]int{process.SeatGovernment: 1, process.SeatCivilSociety: 1}, seats)

	// Selection and term: owners only, on this process's memberships, dates in order.
	id := past[0].ID
	sel := forum.SelectionElected
	start, end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	_, err = b.Forum.SetMembership(ctx, b.gov[0], b.slug, id, forum.MembershipInput{Selection: &sel})
	requireCode(t, err, "forum.not_owner")
	bad := forum.Selection("lottery")
	_, err = b.Forum.SetMembership(ctx, b.owner, b.slug, id, forum.MembershipInput{Selection: &bad})
	requireCode(t, err, "forum.invalid")
	_, err = b.Forum.SetMembership(ctx, b.owner, b.slug, id, forum.MembershipInput{TermStart: &end, TermEnd: &start})
	requireCode(t, err, "forum.invalid")
	other := newBoard(t, sys, "members-other", forum.Settings{SigningRule: forum.RuleSingle}, 1, 0, 0)
	b.Grant(t, other.slug, b.owner, process.RoleOwner)
	_, err = b.Forum.SetMembership(ctx, b.owner, other.slug, id, forum.MembershipInput{Selection: &sel})
	requireCode(t, err, "forum.membership_not_found")
	require.EqualValues(t, 0, countWhere(t, b.Env, "forum_memberships", "selection IS NOT NULL OR term_start IS NOT NULL"))

	in, err = b.Forum.SetMembership(ctx, b.owner, b.slug, id, forum.MembershipInput{Selection: &sel, TermStart: &start, TermEnd: &end})
	require.NoError(t, err)
	require.EqualValues(t, 1, countWhere(t, b.Env, "forum_memberships", "id = ? AND selection = 'elected' AND term_start = '2026-01-01' AND term_end = '2027-12-31'", id))

	during, err := b.Forum.MembershipsDuring(ctx, in.Process.ID, sys.Now().Add(time.Hour), sys.Now().Add(2*time.Hour))
	require.NoError(t, err)
	require.Len(t, during, 2, "who is a member from now on")
}

// TestDeclarations: a member files their own declaration of interests,
// "none" or a text; a new filing replaces it and the earlier one stays
// listed. Nobody else files for them, and a declaration is one or the other.
func TestDeclarations(t *testing.T) {
	ctx := context.Background()
	b := newBoard(t, newSystem(t), "declare-plan", forum.Settings{SigningRule: forum.RuleJoint}, 1, 1, 0)
	_, err := b.Forum.Declare(ctx, b.owner, b.slug, true, "")
	requireCode(t, err, "forum.not_member")
	_, err = b.Forum.Declare(ctx, b.outsider, b.slug, true, "")
	requireCode(t, err, "forum.not_member")
	for _, bad := range []struct {
		none bool
		body string
	}{{true, "I sit on a board."}, {false, ""}, {false, "   "}, {false, strings.Repeat("x", forum.MaxDeclarationChars+1)}} {
		_, err := b.Forum.Declare(ctx, b.civil[0], b.slug, bad.none, bad.body)
		requireCode(t, err, "forum.invalid")
	}
	require.EqualValues(t, 0, countWhere(t, b.Env, "forum_declarations", "true"))

	_, err = b.Forum.Declare(ctx, b.civil[0], b.slug, true, "")
	require.NoError(t, err)
	in, err := b.Forum.Declare(ctx, b.civil[0], b.slug, false, "I chair the *Open Budget* association.")
	require.NoError(t, err)
	for _, m := range in.Memberships {
		if m.ID != *in.Mine {
			require.Empty(t, m.Declarations)
			continue
		}
		require.Len(t, m.Declarations, 2)
		require.False(t, m.Declarations[0].None)
		require.Contains(t, m.Declarations[0].BodyHTML, "<em>Open Budget</em>")
		require.True(t, m.Declarations[1].None, "the earlier declaration stays")
	}

	require.NoError(t, b.Processes.RevokeRole(ctx, auth.System, b.slug, b.civil[0].UserID, process.RoleForumMember))
	_, err = b.Forum.Declare(ctx, b.civil[0], b.slug, true, "")
	requireCode(t, err, "forum.not_member")
}
