package process_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// TestAccessByKindOfPerson is the policy's table: every ability for every
// kind of person, read from the roles stored in the database. The API's
// authorization table (api/authz_test.go) checks the same rules route by route.
func TestAccessByKindOfPerson(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{})
	p := sys.Process(t, "access-test", process.PhasePublicComment)
	sys.Process(t, "other-process", process.PhasePublicComment)
	people := sys.People(t, 7)
	owner, moderator, member, citizen, suspended, otherOwner, ownerModerator := people[0], people[1], people[2], people[3], people[4], people[5], people[6]
	sys.Grant(t, "access-test", owner, process.RoleOwner)
	sys.Grant(t, "access-test", moderator, process.RoleModerator)
	sys.Grant(t, "access-test", member, process.RoleForumMember, process.SeatCivilSociety)
	sys.Grant(t, "access-test", suspended, process.RoleOwner)
	sys.Grant(t, "other-process", otherOwner, process.RoleOwner)
	sys.Grant(t, "access-test", ownerModerator, process.RoleOwner)
	sys.Grant(t, "access-test", ownerModerator, process.RoleModerator)
	suspended.Suspended = true
	admin := sys.Person(t)
	admin.Admin = true

	// One letter per ability, in the order of process.Abilities:
	// Manage, GrantRoles, GrantOwners, Moderate, DecideEscalated, SeeHeld,
	// MergeIdeas, ReadForumWork, Respond.
	for _, tt := range []struct {
		name  string
		actor auth.Principal
		holds string
	}{
		{"anonymous", auth.Anonymous, "---------"},
		{"citizen", citizen, "---------"},
		{"owner of another process", otherOwner, "---------"},
		{"suspended owner", suspended, "---------"},
		{"forum member", member, "------MRR"},
		{"moderator", moderator, "---M-SM--"},
		{"owner", owner, "MG-MDSMR-"},
		{"owner and moderator", ownerModerator, "MG-MDSMR-"},
		{"administrator", admin, "MGGMDSMR-"},
		{"command line", auth.System, "MGGMDSMR-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := sys.Processes.Access(ctx, tt.actor, p.ID)
			require.NoError(t, err)
			var got strings.Builder
			for i, ab := range process.Abilities {
				switch {
				case !a.Can(ab):
					got.WriteByte('-')
				case tt.holds[i] == '-':
					got.WriteByte('+') // held, but should not be
				default:
					got.WriteByte(tt.holds[i])
				}
			}
			require.Equal(t, tt.holds, got.String(), "abilities %v", process.Abilities)
		})
	}

	t.Run("a member's seat and organisation", func(t *testing.T) {
		a, err := sys.Processes.Access(ctx, member, p.ID)
		require.NoError(t, err)
		seat, org := a.Seat()
		require.Equal(t, process.SeatCivilSociety, seat)
		require.NotEmpty(t, org)
		a, err = sys.Processes.Access(ctx, owner, p.ID)
		require.NoError(t, err)
		seat, _ = a.Seat()
		require.Empty(t, seat, "an owner has no seat")
	})

	t.Run("Require answers the given refusal", func(t *testing.T) {
		_, err := sys.Processes.Require(ctx, citizen, p.ID, process.Moderate, process.ErrForbidden)
		require.ErrorIs(t, err, process.ErrForbidden)
		_, err = sys.Processes.Require(ctx, moderator, p.ID, process.Moderate, process.ErrForbidden)
		require.NoError(t, err)
	})
}

// TestUnpublishedProcessIsItsOwners checks the policy before publication: the
// owners and administrators read and manage the process; its moderators and
// forum members hold nothing until it is published, and nobody else reads it.
func TestUnpublishedProcessIsItsOwners(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{})
	p := sys.UnpublishedProcess(t, "hidden", process.PhasePublicComment)
	people := sys.People(t, 4)
	owner, moderator, member, citizen := people[0], people[1], people[2], people[3]
	sys.Grant(t, "hidden", owner, process.RoleOwner)
	sys.Grant(t, "hidden", moderator, process.RoleModerator)
	sys.Grant(t, "hidden", member, process.RoleForumMember, process.SeatGovernment)
	admin := sys.Person(t)
	admin.Admin = true

	for _, tt := range []struct {
		name     string
		actor    auth.Principal
		readable bool
		holds    []process.Ability
	}{
		{"anonymous", auth.Anonymous, false, nil},
		{"citizen", citizen, false, nil},
		{"moderator", moderator, false, nil},
		{"forum member", member, false, nil},
		{"owner", owner, true, []process.Ability{process.Manage, process.Moderate, process.ReadForumWork}},
		{"administrator", admin, true, []process.Ability{process.Manage, process.GrantOwners}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sys.Processes.GetReadable(ctx, tt.actor, "hidden")
			if tt.readable {
				require.NoError(t, err)
				require.Equal(t, p.ID, got.ID)
			} else {
				require.ErrorIs(t, err, process.ErrNotFound)
			}
			require.Equal(t, tt.readable, sys.Processes.ReadableID(ctx, tt.actor, p.ID) == nil)
			a, err := sys.Processes.Access(ctx, tt.actor, p.ID)
			require.NoError(t, err)
			for _, ab := range tt.holds {
				require.True(t, a.Can(ab), ab.String())
			}
			if len(tt.holds) == 0 {
				for _, ab := range process.Abilities {
					require.False(t, a.Can(ab), ab.String())
				}
			}
		})
	}

	_, _, err := sys.Processes.Publish(ctx, owner, "hidden")
	require.NoError(t, err)
	a, err := sys.Processes.Access(ctx, moderator, p.ID)
	require.NoError(t, err)
	require.True(t, a.Can(process.Moderate), "the moderator starts with the publication")
	a, err = sys.Processes.Access(ctx, member, p.ID)
	require.NoError(t, err)
	require.True(t, a.Can(process.Respond))
	seat, _ := a.Seat()
	require.Equal(t, process.SeatGovernment, seat)
	_, err = sys.Processes.GetReadable(ctx, citizen, "hidden")
	require.NoError(t, err, "public now")
}
