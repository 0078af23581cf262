package report

import "context"

// ClaimJob claims the next job as a worker does, and runs nothing: the
// worker that stops right after its claim.
func (s *Service) ClaimJob(ctx context.Context) (Job, bool, error) {
	return s.store.ClaimJob(ctx, s.jobStale(), JobAttempts, nil)
}

// RunJob runs the job a worker claimed, as WorkJobs does: the worker that
// comes back after its job was taken over.
func (s *Service) RunJob(ctx context.Context, j Job) error { return s.runJob(ctx, j) }
