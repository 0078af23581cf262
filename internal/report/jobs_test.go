package report_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/report"
)

// jobRow is a job as stored.
type jobRow struct {
	State, ErrorCode, Error string
	Attempts, Step          int
	ReportNumber            *int
	Finished                bool
}

func (f *fixture) jobRow(t *testing.T, id int64) jobRow {
	t.Helper()
	var r jobRow
	require.NoError(t, f.env.Owner.Raw(`SELECT state, coalesce(error_code, '') AS error_code, coalesce(error, '') AS error, attempts, step,
		report_number, finished_at IS NOT NULL AS finished FROM report_jobs WHERE id = ?`, id).Scan(&r).Error)
	return r
}

func (f *fixture) count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	require.NoError(t, f.env.Owner.Raw(sql).Scan(&n).Error)
	return n
}

// TestJobOfAStoppedWorkerIsTakenOverAndEndsOnce: a publication whose worker
// stopped after claiming it is left alone while its heartbeat is fresh,
// taken over once the heartbeat is two minutes old, and published once; the
// first worker coming back afterwards publishes nothing.
func TestJobOfAStoppedWorkerIsTakenOverAndEndsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.env.Reports
	j, err := s.StartJob(ctx, f.owner, f.p.Slug, report.JobPublish, report.Input{})
	require.NoError(t, err)
	stopped, ok, err := s.ClaimJob(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, j.ID, stopped.ID)
	require.Equal(t, 1, stopped.Attempts)

	f.exec(t, "UPDATE report_jobs SET heartbeat_at = now() - interval '100 seconds' WHERE id = ?", j.ID)
	n, err := s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a heartbeat younger than two minutes keeps the job with its worker")
	require.Equal(t, "running", f.jobRow(t, j.ID).State)

	f.exec(t, "UPDATE report_jobs SET heartbeat_at = now() - interval '121 seconds' WHERE id = ?", j.ID)
	n, err = s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	row := f.jobRow(t, j.ID)
	require.Equal(t, "done", row.State)
	require.Equal(t, 2, row.Attempts)
	require.Equal(t, 1, *row.ReportNumber)
	require.Empty(t, row.Error, "the lost attempt's error is cleared once the job is done")

	// The first worker wakes up and runs its claim to the end: refused.
	require.NoError(t, s.RunJob(ctx, stopped))
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM reports"))
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM ledger_entries WHERE kind = 'report'"))
	row = f.jobRow(t, j.ID)
	require.Equal(t, "done", row.State)
	require.Equal(t, 2, row.Attempts)
	n, err = s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

// TestJobFailsAfterThreeAttempts: a job whose every attempt fails is tried
// again at the next round, three times in all, then fails with the error of
// its last attempt and is not tried again; a job whose worker stopped on its
// third attempt fails instead of being taken over.
func TestJobFailsAfterThreeAttempts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.env.Reports
	j, err := s.StartJob(ctx, f.owner, f.p.Slug, report.JobPreview, report.Input{})
	require.NoError(t, err)
	// A real failure in the moderation step: its table is gone.
	f.exec(t, "ALTER TABLE moderation_items RENAME TO moderation_items_away")
	for attempt := 1; attempt <= 3; attempt++ {
		n, err := s.WorkJobs(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "one attempt per round")
		row := f.jobRow(t, j.ID)
		require.Equal(t, attempt, row.Attempts)
		require.Equal(t, "internal", row.ErrorCode)
		require.Contains(t, row.Error, `relation "moderation_items" does not exist`)
		if attempt < 3 {
			require.Equal(t, "queued", row.State)
			require.False(t, row.Finished)
		} else {
			require.Equal(t, "failed", row.State)
			require.True(t, row.Finished)
		}
	}
	f.exec(t, "ALTER TABLE moderation_items_away RENAME TO moderation_items")
	n, err := s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a failed job is not tried again")
	require.Equal(t, "failed", f.jobRow(t, j.ID).State)

	// A stopped worker on the last attempt: the job fails, saying so.
	j, err = s.StartJob(ctx, f.owner, f.p.Slug, report.JobPreview, report.Input{})
	require.NoError(t, err)
	f.exec(t, "UPDATE report_jobs SET state = 'running', attempts = 3, heartbeat_at = now() - interval '3 minutes' WHERE id = ?", j.ID)
	n, err = s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	row := f.jobRow(t, j.ID)
	require.Equal(t, "failed", row.State)
	require.Equal(t, 3, row.Attempts)
	require.Equal(t, "report.job_lost", row.ErrorCode)
	require.Contains(t, row.Error, "stopped")
}

// TestJobWhoseInputNoLongerHoldsFailsAtOnce: a quote hidden by moderation
// between the request and the run fails the publication at its first
// attempt, naming the field, and publishes nothing.
func TestJobWhoseInputNoLongerHoldsFailsAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.env.Reports
	ref := "comment:" + itoa(f.comments["c1"])
	j, err := s.StartJob(ctx, f.owner, f.p.Slug, report.JobPublish, report.Input{Representative: []string{ref}})
	require.NoError(t, err)
	f.exec(t, "UPDATE comments SET status = 'hidden' WHERE id = ?", f.comments["c1"])
	n, err := s.WorkJobs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	row := f.jobRow(t, j.ID)
	require.Equal(t, "failed", row.State)
	require.Equal(t, 1, row.Attempts)
	require.Equal(t, "report.invalid", row.ErrorCode)
	require.Contains(t, row.Error, "representative[0]")
	require.Zero(t, f.count(t, "SELECT count(*) FROM reports"))
}
