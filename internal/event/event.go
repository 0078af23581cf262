// Package event carries what a business action did to the parts of the system
// that react to it, without the acting service knowing them: the read cache,
// re-anchoring, e-mail and, later, notifications. A service emits an event in
// its transaction; subscribers run either inside that transaction (their error
// rolls it back) or once it has committed.
//
// Events are plain values with ids, never pointers into a service's memory, so
// that they can also be written to PostgreSQL and fanned out to other
// instances.
package event

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"

	"cocreate/internal/database"
)

// Event is something that happened, named for logs and for storage.
type Event interface {
	EventName() string
}

// Bus holds the subscribers of each kind of event. It is built once by the
// composition root; subscribing after start-up is allowed but rare.
type Bus struct {
	log    *slog.Logger
	mu     sync.RWMutex
	within map[reflect.Type][]func(context.Context, Event) error
	after  map[reflect.Type][]func(context.Context, Event) error
}

// NewBus returns a bus with no subscribers; log receives the errors of After
// subscribers (nil discards them).
func NewBus(log *slog.Logger) *Bus {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Bus{
		log:    log,
		within: map[reflect.Type][]func(context.Context, Event) error{},
		after:  map[reflect.Type][]func(context.Context, Event) error{},
	}
}

// Within subscribes fn to events of type E, run inside the emitting
// transaction in the order of subscription; an error aborts the action.
func Within[E Event](b *Bus, fn func(ctx context.Context, e E) error) {
	t := reflect.TypeFor[E]()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.within[t] = append(b.within[t], func(ctx context.Context, e Event) error { return fn(ctx, e.(E)) })
}

// After subscribes fn to events of type E, run once the emitting transaction
// has committed (at once when there was none), in the order of subscription.
// The action has happened by then: an error is logged, and the next
// subscriber runs all the same.
func After[E Event](b *Bus, fn func(ctx context.Context, e E) error) {
	t := reflect.TypeFor[E]()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.after[t] = append(b.after[t], func(ctx context.Context, e Event) error { return fn(ctx, e.(E)) })
}

// Emit runs e's Within subscribers now, in ctx's transaction, and schedules
// its After subscribers for when that transaction commits. A nil bus drops
// the event (a service built alone in a unit test).
func (b *Bus) Emit(ctx context.Context, e Event) error {
	if b == nil {
		return nil
	}
	t := reflect.TypeOf(e)
	b.mu.RLock()
	within, after := b.within[t], b.after[t]
	b.mu.RUnlock()
	for _, fn := range within {
		if err := fn(ctx, e); err != nil {
			return fmt.Errorf("event %s: %w", e.EventName(), err)
		}
	}
	if len(after) > 0 {
		database.AfterCommit(ctx, func(ctx context.Context) {
			for _, fn := range after {
				if err := fn(ctx, e); err != nil {
					b.log.ErrorContext(ctx, "after-commit subscriber failed", "event", e.EventName(), "error", err.Error())
				}
			}
		})
	}
	return nil
}
