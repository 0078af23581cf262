package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAnswersParseEachDistinctBodyOnce(t *testing.T) {
	parsed := 0
	a := newAnswers(func(b []byte) (threadIDs, error) {
		parsed++
		return parseThreadIDs(b)
	})
	plain := []byte(`{"items":[{"id":3},{"id":5}]}`)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write(plain)
	require.NoError(t, zw.Close())

	for range 3 {
		p, err := a.of(false, plain)
		require.NoError(t, err)
		require.Equal(t, []int64{3, 5}, p.ids)
		require.True(t, p.has[5])
	}
	p, err := a.of(true, zipped.Bytes())
	require.NoError(t, err)
	require.Equal(t, []int64{3, 5}, p.ids)
	require.Equal(t, 2, parsed, "once per distinct body received")
	require.Equal(t, 2, a.distinct())

	_, err = a.of(true, plain)
	require.ErrorContains(t, err, "gunzip", "a body announced as gzip that is not fails")
	_, err = a.of(false, []byte(`{"items":`))
	require.Error(t, err)
}

func TestParseDraftCountsEveryBlock(t *testing.T) {
	d, err := parseDraft([]byte(`{"blocks":[{"key":"a","counts":{"comments":4}},{"key":"b","counts":null}]}`))
	require.NoError(t, err)
	require.Equal(t, draftCounts{"a": 4, "b": 0}, d)
}

func TestFailuresKeepTheFirst(t *testing.T) {
	var f failures
	require.True(t, f.note(nil))
	require.Equal(t, "ok", f.check("ok"))
	require.False(t, f.note(errors.New("first")))
	require.False(t, f.note(errors.New("second")))
	require.Equal(t, "FAILED: 2 answers wrong, the first: first", f.check("ok"))
}

func TestCPUTimesAreRead(t *testing.T) {
	start := selfCPU()
	x := 0
	for i := range 50_000_000 {
		x += i % 7
	}
	require.NotZero(t, x)
	require.Greater(t, selfCPU(), start)
	require.Greater(t, procCPU(os.Getpid()), 0.0)
	require.Zero(t, procCPU(-1))
	busy, total := machineCPU()
	require.Greater(t, total, busy)
	require.True(t, strings.Contains((&cpuUsage{WallS: 1, BenchS: 0.5, BenchShare: 0.25}).String(), "bench 0.5 s (25 %)"))
}
