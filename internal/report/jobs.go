package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// JobAction is what a report job makes.
type JobAction string

// The actions of report jobs.
const (
	JobPreview JobAction = "preview"
	JobPublish JobAction = "publish"
)

// JobState is where a report job stands.
type JobState string

// The states of report jobs: queued, then running (again after a failed
// attempt or a lost worker), then done or failed.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// Job limits: a job whose heartbeat is older than JobStale lost its worker
// and is claimed again; a job fails after JobAttempts attempts.
const (
	JobStale    = 2 * time.Minute
	JobAttempts = 3
	// jobKeep is how long an ended job stays readable.
	jobKeep = 7 * 24 * time.Hour
)

// Errors of report jobs.
var (
	ErrJobNotFound = apperr.NotFound("report.job_not_found", "no such report job")
	// ErrPublishRunning refuses a publication while another one of the
	// process, asked for with other input, waits or runs.
	ErrPublishRunning = apperr.Conflict("report.publish_running", "a publication of this process's report with another scope or other quotes is under way; wait for it to end")
	// errJobLost ends an attempt whose job was claimed again by another worker.
	errJobLost = errors.New("report: the job was claimed again after its heartbeat stopped")
)

// Total is how many steps a job of action takes.
func (a JobAction) Total() int {
	if a == JobPublish {
		return GenerationSteps + 1
	}
	return GenerationSteps
}

// StartJob asks for the report of the process with slug to be previewed or
// published in the background, by its owners only (as Preview and Publish).
// The input is checked before anything is stored: bad input is refused as
// Preview refuses it, and leaves no job. A process has one publication
// under way at most: asking again with the same input while it waits or
// runs returns that job (so a double click or two owners at once make one
// report); asking with other input is ErrPublishRunning. Previews are not
// shared: each request is a job of its own.
func (s *Service) StartJob(ctx context.Context, actor auth.Principal, slug string, action JobAction, in Input) (Job, error) {
	if action != JobPreview && action != JobPublish {
		return Job{}, fmt.Errorf("report: unknown job action %q", action)
	}
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Job{}, err
	}
	if err := s.procs.RequireManage(ctx, actor, p, ErrNotOwner); err != nil {
		return Job{}, err
	}
	if _, err := s.check(ctx, p, in); err != nil {
		return Job{}, err
	}
	j := Job{ProcessID: p.ID, Action: action, Representative: database.TextArray(in.Representative)}
	if j.Representative == nil {
		j.Representative = database.TextArray{}
	}
	if in.Phase != "" {
		j.Phase = &in.Phase
	}
	if actor.UserID > 0 {
		by := actor.UserID
		j.RequestedBy = &by
	}
	// The publication under way may end between the refused insert and the
	// read: then the insert is tried again.
	for range 3 {
		stored, ok, err := s.store.InsertJob(ctx, j, action.Total())
		if err != nil || ok {
			return stored, err
		}
		running, ok, err := s.store.ActivePublish(ctx, p.ID)
		switch {
		case err != nil:
			return Job{}, err
		case !ok:
			continue
		case !sameInput(running, j):
			return Job{}, ErrPublishRunning
		}
		return running, nil
	}
	return Job{}, ErrPublishRunning
}

// sameInput tells whether two jobs make the same report.
func sameInput(a, b Job) bool {
	phase := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return phase(a.Phase) == phase(b.Phase) && slices.Equal(a.Representative, b.Representative)
}

// Job returns the job id of the process with slug, to the process's owners
// only; ErrJobNotFound when the process has no such job.
func (s *Service) Job(ctx context.Context, actor auth.Principal, slug string, id int64) (Job, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Job{}, err
	}
	if err := s.procs.RequireManage(ctx, actor, p, ErrNotOwner); err != nil {
		return Job{}, err
	}
	if id < 1 {
		return Job{}, ErrJobNotFound
	}
	return s.store.JobOf(ctx, p.ID, id)
}

// WorkJobs runs the report jobs that wait, and those whose worker stopped
// (no heartbeat for JobStale), one after the other until none is left, and
// deletes the jobs that ended more than a week ago. It is the worker serve
// runs every second; several instances may run it at once, each job going
// to one of them. An attempt that fails on the input (a quote hidden since
// the job was asked for) fails the job at once; another failure is tried
// again at the next call, JobAttempts times in all. It returns how many
// jobs it ran.
func (s *Service) WorkJobs(ctx context.Context) (int, error) {
	var ran []int64
	for {
		j, ok, err := s.store.ClaimJob(ctx, s.jobStale(), JobAttempts, ran)
		if err != nil || !ok {
			if err == nil {
				_, err = s.store.PruneJobs(ctx, jobKeep)
			}
			return len(ran), err
		}
		ran = append(ran, j.ID)
		if j.State != JobRunning {
			continue // out of attempts: failed by the claim
		}
		if err := s.runJob(ctx, j); err != nil {
			return len(ran), err
		}
	}
}

func (s *Service) jobStale() time.Duration {
	if s.opt.JobStale > 0 {
		return s.opt.JobStale
	}
	return JobStale
}

func (s *Service) jobHeartbeat() time.Duration {
	if s.opt.JobHeartbeat > 0 {
		return s.opt.JobHeartbeat
	}
	return 20 * time.Second
}

// runJob makes job j's report, beating its heartbeat meanwhile, and records
// the result or the failure, while j's attempt still holds it. The error
// returned is one of recording (the database is unreachable), not of the job.
func (s *Service) runJob(parent context.Context, j Job) error {
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	beating := make(chan struct{})
	go func() {
		defer close(beating)
		t := time.NewTicker(s.jobHeartbeat())
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if held, err := s.store.Beat(ctx, j, 0, 0); err == nil && !held {
					stop(errJobLost)
					return
				}
			}
		}
	}()
	err := s.makeJob(ctx, j)
	stop(nil)
	<-beating
	if err == nil {
		return nil
	}
	if errors.Is(err, errJobLost) || context.Cause(ctx) == errJobLost {
		return nil // another attempt holds it now
	}
	if parent.Err() != nil {
		return err // the server stops: the job is claimed again once its heartbeat is stale
	}
	code, msg, final := "internal", err.Error(), j.Attempts >= JobAttempts
	if e, ok := apperr.As(err); ok && e.Kind != apperr.KindInternal && e.Kind != apperr.KindUnavailable {
		code, msg, final = e.Code, e.Message, true
		if len(e.Fields) > 0 {
			msg = fieldsText(e)
		}
	}
	_, ferr := s.store.FailJob(parent, j, code, msg, final)
	return ferr
}

// makeJob generates job j's report and records its result in the same
// breath: the publication and the job's end commit together.
func (s *Service) makeJob(ctx context.Context, j Job) error {
	p, err := s.procs.GetByID(ctx, j.ProcessID)
	if err != nil {
		return err
	}
	in := Input{Representative: []string(j.Representative)}
	if j.Phase != nil {
		in.Phase = *j.Phase
	}
	c, err := s.check(ctx, p, in)
	if err != nil {
		return err
	}
	var lost error
	done := func(step, total int) {
		if held, err := s.store.Beat(ctx, j, step, total); err == nil && !held {
			lost = errJobLost
		}
	}
	if j.Action == JobPublish {
		var by int64
		if j.RequestedBy != nil {
			by = *j.RequestedBy
		}
		_, err := s.publish(ctx, by, p, c, done, func(ctx context.Context, row Published) error {
			if lost != nil {
				return lost
			}
			n := row.Number
			held, err := s.store.FinishJob(ctx, j, &n, nil)
			if err == nil && !held {
				err = errJobLost
			}
			return err
		})
		return err
	}
	r, err := s.generateWith(ctx, p, c, done, nil)
	if err != nil {
		return err
	}
	content, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("report: encode preview: %w", err)
	}
	preview := string(content)
	held, err := s.store.FinishJob(ctx, j, nil, &preview)
	if err == nil && !held {
		err = errJobLost
	}
	return err
}

// fieldsText says which fields an input error names, for the job's record.
func fieldsText(e *apperr.Error) string {
	out := e.Message
	for _, f := range e.Fields {
		out += "; " + f.Field + ": " + f.Message
	}
	return out
}
