package database

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJSONArrayReadsAndWritesArrays(t *testing.T) {
	type point struct {
		Label string `json:"label"`
	}
	for _, src := range []any{nil, "null", []byte("[]")} {
		var a JSONArray[point]
		require.NoError(t, a.Scan(src), "%v", src)
		require.NotNil(t, a, "%v reads as an empty slice", src)
		require.Empty(t, a)
	}
	var a JSONArray[point]
	require.NoError(t, a.Scan([]byte(`[{"label":"Vote"}]`)))
	require.Equal(t, JSONArray[point]{{Label: "Vote"}}, a)
	require.ErrorContains(t, a.Scan(42), "unexpected int")
	require.Error(t, a.Scan(`{"label":"not an array"}`))

	v, err := JSONArray[point](nil).Value()
	require.NoError(t, err)
	require.Equal(t, "[]", v)
	v, err = a.Value()
	require.NoError(t, err)
	require.Equal(t, `[{"label":"Vote"}]`, v)
}
