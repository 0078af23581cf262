package api

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/config"
)

// Admission control (QUALITY.md R9): a flood of writes must not starve the
// readers. Writes (POST, PUT, PATCH, DELETE) pass through a lane that lets a
// bounded number run at once, below the database pool's size and near the
// CPUs; a queue of others may wait a moment for a place, and the rest are
// refused at once with 503 and Retry-After, before they cost a token check
// (a query), a rate-limit statement or a body read. Reads never enter a lane, so they keep the pool's other
// connections. Sign-in, refresh, sign-up, logout and the e-mailed-token routes
// (/auth/...) have a lane of their own: a comment flood cannot lock people out
// (the SPA refreshes its session through it), and a sign-in flood cannot take
// the writers' or the readers' connections.

// errOverloaded answers a write refused by admission control; nothing was done.
var errOverloaded = apperr.Unavailable("service.overloaded",
	"too many changes are being made at once; nothing was saved, try again after Retry-After seconds")

// overloadedRetryAfter is the wait a refused write is told to take: the lanes
// turn over in milliseconds, so a second spreads the retries of a crowd.
const overloadedRetryAfter = time.Second

// laneQueueDepth is how many requests may wait for a place in a lane: a
// thousand people acting at the same instant (QUALITY.md W4) wait their turn,
// while a flood beyond that is refused at once.
const laneQueueDepth = 1000

// lane lets at most cap(slots) requests run at once; up to depth more wait,
// each at most wait, and are let in in the order they came.
type lane struct {
	slots   chan struct{}
	waiting atomic.Int64
	depth   int64
	wait    time.Duration
}

func newLane(places, depth int, wait time.Duration) *lane {
	return &lane{slots: make(chan struct{}, places), depth: int64(depth), wait: wait}
}

// enter takes a place, waiting for one at most l.wait when the queue has room;
// false means the lane is full and the caller must refuse the request.
func (l *lane) enter(ctx context.Context) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	if l.wait <= 0 {
		return false
	}
	if l.waiting.Add(1) > l.depth {
		l.waiting.Add(-1)
		return false
	}
	defer l.waiting.Add(-1)
	// A place freed goes to the longest-waiting sender on the channel, never to
	// a newcomer's non-blocking try above: the queue is first come, first served.
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// leave gives the place back.
func (l *lane) leave() { <-l.slots }

// admission returns the middleware that sends each write through its lane
// (config.Config.Admission sizes them); with admission control off it passes
// every request.
func (h *handlers) admission(cfg config.Config) gin.HandlerFunc {
	writes, signIn := cfg.Admission(runtime.GOMAXPROCS(0))
	if writes == 0 {
		return func(c *gin.Context) { c.Next() }
	}
	wait := cfg.WriteQueueWait
	writeLane, signInLane := newLane(writes, laneQueueDepth, wait), newLane(signIn, laneQueueDepth, wait)
	return func(c *gin.Context) {
		var l *lane
		switch route := c.FullPath(); {
		case route == "" || !writeMethod(c.Request.Method):
			c.Next() // reads, and routes that do not exist (answered 404 at once)
			return
		case strings.HasPrefix(route, "/api/v1/auth/"):
			l = signInLane
		default:
			l = writeLane
		}
		if !l.enter(c.Request.Context()) {
			h.fail(c, errOverloaded.WithRetryAfter(overloadedRetryAfter))
			return
		}
		defer l.leave()
		c.Next()
	}
}

// writeMethod reports whether a request with this method may change something.
func writeMethod(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch || m == http.MethodDelete
}
