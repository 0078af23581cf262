package api

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLaneBoundsConcurrency sends many goroutines through a lane at once:
// never more than its places are inside, every one is either admitted or
// refused, and those that waited were let in as places freed.
func TestLaneBoundsConcurrency(t *testing.T) {
	const places, depth, callers = 3, 12, 200
	l := newLane(places, depth, 2*time.Second)
	var inside, most, admitted, refused atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if !l.enter(context.Background()) {
				refused.Add(1)
				return
			}
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			l.leave()
			admitted.Add(1)
		}()
	}
	close(start)
	wg.Wait()
	require.LessOrEqual(t, most.Load(), int64(places), "never more inside than the places")
	require.Equal(t, int64(places), most.Load(), "the places were all used")
	require.Equal(t, int64(callers), admitted.Load()+refused.Load())
	require.Positive(t, refused.Load(), "with %d places and %d waiting, the rest were refused", places, depth)
	require.GreaterOrEqual(t, admitted.Load(), int64(places+depth), "the places and the queue were served")
	require.Zero(t, l.waiting.Load())
	require.Empty(t, l.slots, "every place was given back")
}

// TestLaneQueue checks the queue: a full lane makes a caller wait at most the
// queue wait, lets waiters in first come first served, refuses at once beyond
// the queue's depth or without a queue wait, and lets a caller that gives up
// leave the queue.
func TestLaneQueue(t *testing.T) {
	ctx := context.Background()

	t.Run("a full lane refuses after the queue wait", func(t *testing.T) {
		l := newLane(1, 4, 100*time.Millisecond)
		require.True(t, l.enter(ctx))
		t0 := time.Now()
		require.False(t, l.enter(ctx))
		require.GreaterOrEqual(t, time.Since(t0), 100*time.Millisecond)
		l.leave()
		require.True(t, l.enter(ctx), "a freed place is taken")
	})

	t.Run("no queue wait refuses at once", func(t *testing.T) {
		l := newLane(2, 4, 0)
		require.True(t, l.enter(ctx))
		require.True(t, l.enter(ctx))
		t0 := time.Now()
		require.False(t, l.enter(ctx))
		require.Less(t, time.Since(t0), 50*time.Millisecond)
	})

	t.Run("waiters enter in order, and the queue is bounded", func(t *testing.T) {
		const depth = 4
		l := newLane(1, depth, 10*time.Second)
		require.True(t, l.enter(ctx))
		order := make(chan int, depth)
		for i := range depth {
			go func() {
				if l.enter(ctx) {
					order <- i
				}
			}()
			require.Eventually(t, func() bool { return l.waiting.Load() == int64(i+1) }, 5*time.Second, time.Millisecond)
			time.Sleep(20 * time.Millisecond) // the waiter is blocked on the lane, not just counted
		}
		t0 := time.Now()
		require.False(t, l.enter(ctx), "the queue is full: refused without waiting")
		require.Less(t, time.Since(t0), time.Second)
		for i := range depth {
			l.leave()
			select {
			case got := <-order:
				require.Equal(t, i, got, "first come, first served")
			case <-time.After(5 * time.Second):
				t.Fatalf("waiter %d was not let in", i)
			}
		}
		l.leave()
		require.Empty(t, l.slots)
		require.Zero(t, l.waiting.Load())
	})

	t.Run("a caller that goes away leaves the queue", func(t *testing.T) {
		l := newLane(1, 4, 10*time.Second)
		require.True(t, l.enter(ctx))
		gone, cancel := context.WithCancel(ctx)
		result := make(chan bool)
		go func() { result <- l.enter(gone) }()
		require.Eventually(t, func() bool { return l.waiting.Load() == 1 }, 5*time.Second, time.Millisecond)
		cancel()
		require.False(t, <-result)
		require.Zero(t, l.waiting.Load())
		l.leave()
		require.Empty(t, l.slots)
	})
}
