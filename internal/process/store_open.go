package process

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// markPublicSQL opens a process to the public unless it is open already; it returns nothing.
const markPublicSQL = "UPDATE processes SET published_at = ? WHERE id = ? AND published_at IS NULL"

// MarkPublic opens process id to the public at now, unless it is open already.
func (s *Store) MarkPublic(ctx context.Context, id int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(markPublicSQL, now, id).Error; err != nil {
		return fmt.Errorf("process store: open %d to the public: %w", id, err)
	}
	return nil
}
