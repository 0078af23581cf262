package process_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/process"
)

func TestPublishOpensAProcessOnce(t *testing.T) {
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{})
	sys.Process(t, "to-open", process.PhasePublicComment)
	sys.Process(t, "other", process.PhasePublicComment)
	people := sys.People(t, 3)
	owner, citizen, otherOwner := people[0], people[1], people[2]
	sys.Grant(t, "to-open", owner, process.RoleOwner)
	sys.Grant(t, "other", otherOwner, process.RoleOwner)

	p, err := sys.Processes.Get(ctx, "to-open")
	require.NoError(t, err)
	require.False(t, p.Public(), "a new process is prepared unpublished")

	_, err = sys.Processes.Publish(ctx, citizen, "to-open")
	require.ErrorIs(t, err, process.ErrNotFound, "an unpublished process does not show to others")
	_, err = sys.Processes.Publish(ctx, otherOwner, "to-open")
	require.ErrorIs(t, err, process.ErrNotFound)
	_, err = sys.Processes.Publish(ctx, auth.Anonymous, "to-open")
	require.ErrorIs(t, err, process.ErrNotFound)

	opened := sys.Clock.Now()
	p, err = sys.Processes.Publish(ctx, owner, "to-open")
	require.NoError(t, err)
	require.True(t, p.Public())
	require.WithinDuration(t, opened, *p.PublishedAt, time.Millisecond)

	sys.Clock.Advance(time.Hour)
	p, err = sys.Processes.Publish(ctx, owner, "to-open")
	require.NoError(t, err)
	require.WithinDuration(t, opened, *p.PublishedAt, time.Millisecond, "publishing again keeps the first moment")
	_, err = sys.Processes.Publish(ctx, citizen, "to-open")
	require.ErrorIs(t, err, process.ErrForbidden, "a public process is forbidden, not hidden")
}
