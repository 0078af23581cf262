package database

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDurabilityProblems(t *testing.T) {
	require.NoError(t, durabilityProblems("on", "on"))
	require.NoError(t, durabilityProblems("on", "remote_apply"))
	require.NoError(t, durabilityProblems("on", "local"))

	err := durabilityProblems("off", "on")
	require.True(t, errors.Is(err, ErrNotDurable))
	require.Contains(t, err.Error(), "fsync = on")

	err = durabilityProblems("off", "off")
	require.Contains(t, err.Error(), "fsync")
	require.Contains(t, err.Error(), "synchronous_commit")
}
