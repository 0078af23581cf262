package moderation

import (
	"context"

	"cocreate/internal/database"
)

// PublishOverdue is the time-box: held items of processes that set one, not
// decided within its hours, are published and recorded as auto_publish. Items
// hidden by flags are left for a person. It returns how many it published.
//
// Every instance runs it: each item is claimed with SKIP LOCKED and published
// in a transaction of its own, so two instances never publish one item twice
// and never hold locks on several contributions (and their threads) in
// different orders, which could deadlock.
func (s *Service) PublishOverdue(ctx context.Context) (int, error) {
	published := 0
	for {
		found := false
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			now := s.opt.Now().UTC()
			it, ok, err := s.store.LockNextOverdue(ctx, now)
			if err != nil || !ok {
				return err
			}
			found = true
			return s.apply(ctx, it, nil, DecisionInput{Outcome: OutcomeAutoPublish,
				Explanation: "published automatically: not decided within the process's time-box"}, now)
		})
		if err != nil || !found {
			return published, err
		}
		published++
	}
}
