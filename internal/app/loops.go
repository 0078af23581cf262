package app

import (
	"context"
	"log/slog"
	"time"
)

// Every runs fn every interval until ctx ends, the first time at once when
// atStart is true. A failure is logged under name and the loop goes on; a
// failure caused by ctx ending is not logged. It is the one loop of the
// server's background work (e-mail outbox, time-box, ledger checkpoints,
// pruning), each started by serve with `go app.Every(...)`.
func Every(ctx context.Context, log *slog.Logger, name string, interval time.Duration, atStart bool, fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	if !atStart {
		if !wait(ctx, t) {
			return
		}
	}
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, name, "error", err.Error())
		}
		if !wait(ctx, t) {
			return
		}
	}
}

// wait waits for the next tick; false once ctx has ended.
func wait(ctx context.Context, t *time.Ticker) bool {
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
