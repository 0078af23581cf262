package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Job is a report made in the background: its preview or its publication,
// with its progress and its result.
type Job struct {
	ID             int64              `gorm:"column:id;primaryKey;->"`
	ProcessID      int64              `gorm:"column:process_id"`
	Action         JobAction          `gorm:"column:action"`
	Phase          *string            `gorm:"column:phase"`
	Representative database.TextArray `gorm:"column:representative"`
	RequestedBy    *int64             `gorm:"column:requested_by"`
	State          JobState           `gorm:"column:state;->"`
	Step           int                `gorm:"column:step;->"`
	Total          int                `gorm:"column:total;->"`
	Attempts       int                `gorm:"column:attempts;->"`
	// ReportNumber is the number of the report a publication made.
	ReportNumber *int `gorm:"column:report_number;->"`
	// Preview is the JSON of the report a preview made.
	Preview     *string    `gorm:"column:preview;->"`
	ErrorCode   *string    `gorm:"column:error_code;->"`
	Error       *string    `gorm:"column:error;->"`
	HeartbeatAt *time.Time `gorm:"column:heartbeat_at;->"`
	CreatedAt   time.Time  `gorm:"column:created_at;->"`
	FinishedAt  *time.Time `gorm:"column:finished_at;->"`
}

// TableName maps Job to its table.
func (Job) TableName() string { return "report_jobs" }

// jobColumns are the columns a job is read with.
const jobColumns = `id, process_id, action, phase, representative, requested_by, state, step, total, attempts,
	report_number, preview::text AS preview, error_code, error, heartbeat_at, created_at, finished_at`

// insertJobSQL stores a new job, unless it is a publication while another of
// the process waits or runs (report_jobs_one_publish): then nothing.
const insertJobSQL = `INSERT INTO report_jobs (process_id, action, phase, representative, requested_by, total)
	VALUES (@p, @action, @phase, @representative, @by, @total)
	ON CONFLICT (process_id) WHERE action = 'publish' AND state IN ('queued', 'running') DO NOTHING
	RETURNING ` + jobColumns

// InsertJob stores j as queued, with total steps to come; found is false when
// a publication of the process already waits or runs.
func (s *Store) InsertJob(ctx context.Context, j Job, total int) (Job, bool, error) {
	var out []Job
	err := database.Conn(ctx, s.db).Raw(insertJobSQL, map[string]any{"p": j.ProcessID, "action": j.Action, "phase": j.Phase,
		"representative": j.Representative, "by": j.RequestedBy, "total": total}).Scan(&out).Error
	if err != nil {
		return Job{}, false, fmt.Errorf("report store: insert %s job of %d: %w", j.Action, j.ProcessID, err)
	}
	if len(out) == 0 {
		return Job{}, false, nil
	}
	return out[0], true, nil
}

// activePublishSQL reads the publication of a process that waits or runs.
const activePublishSQL = `SELECT ` + jobColumns + ` FROM report_jobs
	WHERE process_id = ? AND action = 'publish' AND state IN ('queued', 'running')`

// ActivePublish returns the process's publication that waits or runs, if any.
func (s *Store) ActivePublish(ctx context.Context, processID int64) (Job, bool, error) {
	var out []Job
	if err := database.Conn(ctx, s.db).Raw(activePublishSQL, processID).Scan(&out).Error; err != nil {
		return Job{}, false, fmt.Errorf("report store: publication of %d under way: %w", processID, err)
	}
	if len(out) == 0 {
		return Job{}, false, nil
	}
	return out[0], true, nil
}

// JobOf returns the process's job id, or ErrJobNotFound.
func (s *Store) JobOf(ctx context.Context, processID, id int64) (Job, error) {
	var j Job
	err := database.Conn(ctx, s.db).Raw(`SELECT `+jobColumns+` FROM report_jobs WHERE id = ? AND process_id = ?`, id, processID).Take(&j).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return Job{}, ErrJobNotFound
	case err != nil:
		return Job{}, fmt.Errorf("report store: job %d: %w", id, err)
	}
	return j, nil
}

// claimJobSQL takes the oldest job that waits, or that runs with a heartbeat
// older than @stale (its worker stopped), skipping jobs other workers are
// claiming and those in @skip. A job that has had its @max attempts fails
// instead, keeping the error of its last attempt.
const claimJobSQL = `WITH next AS (
		SELECT id AS next_id FROM report_jobs
		WHERE (state = 'queued' OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => @stale)))
			AND id <> ALL(@skip)
		ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
	UPDATE report_jobs j SET
		state = CASE WHEN j.attempts >= @max THEN 'failed' ELSE 'running' END,
		attempts = CASE WHEN j.attempts >= @max THEN j.attempts ELSE j.attempts + 1 END,
		step = CASE WHEN j.attempts >= @max THEN j.step ELSE 0 END,
		error = CASE WHEN j.state = 'running' THEN @lost ELSE j.error END,
		error_code = CASE WHEN j.state = 'running' THEN 'report.job_lost' ELSE j.error_code END,
		heartbeat_at = now(),
		finished_at = CASE WHEN j.attempts >= @max THEN now() END
	FROM next WHERE j.id = next.next_id
	RETURNING ` + jobColumns

// ClaimJob claims the next job as claimJobSQL says; found is false when
// there is none.
func (s *Store) ClaimJob(ctx context.Context, stale time.Duration, maxAttempts int, skip []int64) (Job, bool, error) {
	var out []Job
	err := database.Conn(ctx, s.db).Raw(claimJobSQL, map[string]any{"stale": stale.Seconds(), "max": maxAttempts,
		"skip": database.Array{Type: "_int8", Values: skip}, "lost": "the worker running it stopped (no heartbeat for " + stale.String() + ")"}).
		Scan(&out).Error
	if err != nil {
		return Job{}, false, fmt.Errorf("report store: claim a job: %w", err)
	}
	if len(out) == 0 {
		return Job{}, false, nil
	}
	return out[0], true, nil
}

// runningSQL is the condition that the attempt numbered @attempt still holds
// job @id: a worker that lost its job (reclaimed after a stale heartbeat)
// changes nothing.
const runningSQL = `id = @id AND attempts = @attempt AND state = 'running'`

// heldUpdate applies set to job j while j's attempt holds it; held is false
// when it no longer does.
func (s *Store) heldUpdate(ctx context.Context, j Job, what string, set map[string]any) (bool, error) {
	// The table, not the model: the model's result columns are read only.
	res := database.Conn(ctx, s.db).Table("report_jobs").Where(runningSQL, map[string]any{"id": j.ID, "attempt": j.Attempts}).Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("report store: job %d: %s: %w", j.ID, what, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Beat records that job j's attempt is alive, with its progress when step > 0.
func (s *Store) Beat(ctx context.Context, j Job, step, total int) (bool, error) {
	set := map[string]any{"heartbeat_at": gorm.Expr("now()")}
	if step > 0 {
		set["step"], set["total"] = step, total
	}
	return s.heldUpdate(ctx, j, "heartbeat", set)
}

// FinishJob records job j's result: the report it published or the preview
// it made, its progress complete.
func (s *Store) FinishJob(ctx context.Context, j Job, reportNumber *int, preview *string) (bool, error) {
	return s.heldUpdate(ctx, j, "finish", map[string]any{"state": JobDone, "step": gorm.Expr("total"), "report_number": reportNumber,
		"preview": preview, "error": nil, "error_code": nil, "finished_at": gorm.Expr("now()"), "heartbeat_at": gorm.Expr("now()")})
}

// FailJob records job j's attempt's error: the job fails when final, else it
// waits for another attempt.
func (s *Store) FailJob(ctx context.Context, j Job, code, msg string, final bool) (bool, error) {
	set := map[string]any{"error": msg, "error_code": code, "state": JobQueued, "step": 0}
	if final {
		set["state"], set["finished_at"] = JobFailed, gorm.Expr("now()")
		delete(set, "step")
	}
	return s.heldUpdate(ctx, j, "fail", set)
}

// pruneJobsSQL deletes the jobs that ended more than @keep seconds ago, by
// the database's clock as their heartbeats are: their previews are of data
// that has moved on, and a publication's result is its report.
const pruneJobsSQL = `DELETE FROM report_jobs WHERE finished_at < now() - make_interval(secs => @keep)`

// PruneJobs deletes the jobs that ended more than keep ago.
func (s *Store) PruneJobs(ctx context.Context, keep time.Duration) (int64, error) {
	res := database.Conn(ctx, s.db).Exec(pruneJobsSQL, map[string]any{"keep": keep.Seconds()})
	if res.Error != nil {
		return 0, fmt.Errorf("report store: prune jobs: %w", res.Error)
	}
	return res.RowsAffected, nil
}
