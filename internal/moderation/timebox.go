package moderation

import (
	"context"

	"cocreate/internal/database"
)

// PublishOverdue is the time-box: held items of processes that set one, not
// decided within its hours, are published and recorded as auto_publish. Items
// hidden by flags are left for a person. It returns how many it published.
func (s *Service) PublishOverdue(ctx context.Context) (int, error) {
	published := 0
	for {
		n := 0
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			now := s.opt.Now().UTC()
			due, err := s.store.LockOverdue(ctx, now)
			if err != nil {
				return err
			}
			for _, it := range due {
				if err := s.apply(ctx, it, nil, DecisionInput{Outcome: OutcomeAutoPublish,
					Explanation: "published automatically: not decided within the process's time-box"}, now); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		published += n
		if err != nil || n == 0 {
			return published, err
		}
	}
}
