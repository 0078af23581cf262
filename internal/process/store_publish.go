package process

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// publishSQL opens a process to the public, once: a process already public
// keeps the moment it was opened.
const publishSQL = `UPDATE processes SET published_at = @at, updated_at = now() WHERE id = @id AND published_at IS NULL`

// SetPublished marks the process public from at, unless it already is.
func (s *Store) SetPublished(ctx context.Context, id int64, at time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(publishSQL, map[string]any{"id": id, "at": at}).Error; err != nil {
		return fmt.Errorf("process store: publish %d: %w", id, err)
	}
	return nil
}
