package user

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	p := HashParams{MemoryKiB: 8192, Iterations: 1, Threads: 1}
	h, err := hashPassword("correct horse battery staple", p)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$"), h)

	ok, err := checkPassword("correct horse battery staple", h)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = checkPassword("correct horse battery stapler", h)
	require.NoError(t, err)
	require.False(t, ok)

	h2, err := hashPassword("correct horse battery staple", p)
	require.NoError(t, err)
	require.NotEqual(t, h, h2, "every hash has its own salt")

	_, err = checkPassword("x", "$bcrypt$whatever")
	require.Error(t, err)
}

func TestPasswordRules(t *testing.T) {
	require.Equal(t, "min", validatePassword("short"))
	require.Equal(t, "max", validatePassword(strings.Repeat("x", MaxPassword+1)))
	require.Equal(t, "common", validatePassword("QwertyUIOP"))
	require.Equal(t, "", validatePassword("a long and unusual phrase"))
	require.Equal(t, "", validatePassword("ééééééééééé"), "length counts characters, not bytes")
}
