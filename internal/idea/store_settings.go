package idea

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// Themes returns the process's themes in their order.
func (s *Store) Themes(ctx context.Context, processID int64) ([]Theme, error) {
	var themes []Theme
	if err := database.Conn(ctx, s.db).Where("process_id = ?", processID).Order("position, id").Find(&themes).Error; err != nil {
		return nil, fmt.Errorf("idea store: themes of %d: %w", processID, err)
	}
	return themes, nil
}

// themeCountSQL returns 1 when a theme belongs to a process, else 0.
const themeCountSQL = `SELECT count(*) FROM idea_themes WHERE id = ? AND process_id = ?`

// ThemeInProcess reports whether the theme belongs to the process.
func (s *Store) ThemeInProcess(ctx context.Context, processID, themeID int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(themeCountSQL, themeID, processID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("idea store: theme check: %w", err)
	}
	return n > 0, nil
}

// rulesSQL returns a process's support rules (no row when it has none).
const rulesSQL = `SELECT support_limit, one_per_theme FROM idea_rules WHERE process_id = ?`

// Rules returns the process's support rules; a process without rules has
// the zero Rules (no limits).
func (s *Store) Rules(ctx context.Context, processID int64) (Rules, error) {
	var rows []Rules
	if err := database.Conn(ctx, s.db).Raw(rulesSQL, processID).Scan(&rows).Error; err != nil {
		return Rules{}, fmt.Errorf("idea store: rules of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return Rules{}, nil
	}
	return rows[0], nil
}

// lockSettingsSQL locks a process's row, serialising changes of its settings.
const lockSettingsSQL = `SELECT 1 FROM processes WHERE id = ? FOR UPDATE`

// LockSettings serialises settings changes of one process with each other
// until the transaction of ctx ends.
func (s *Store) LockSettings(ctx context.Context, processID int64) error {
	if err := database.Conn(ctx, s.db).Exec(lockSettingsSQL, processID).Error; err != nil {
		return fmt.Errorf("idea store: lock process %d: %w", processID, err)
	}
	return nil
}

// themesInUseSQL returns the names of a process's themes not in a kept list
// that ideas use, in theme order.
const themesInUseSQL = `SELECT t.name FROM idea_themes t WHERE t.process_id = ? AND NOT (t.id = ANY(?))
	AND EXISTS (SELECT 1 FROM ideas i WHERE i.theme_id = t.id) ORDER BY t.position`

// ThemesInUse returns the names of the process's themes outside keep that
// ideas use, in theme order.
func (s *Store) ThemesInUse(ctx context.Context, processID int64, keep []int64) ([]string, error) {
	var used []string
	if err := database.Conn(ctx, s.db).Raw(themesInUseSQL, processID, int64s(keep)).Scan(&used).Error; err != nil {
		return nil, fmt.Errorf("idea store: themes in use: %w", err)
	}
	return used, nil
}

// deleteThemesSQL removes a process's themes not in a kept list.
const deleteThemesSQL = `DELETE FROM idea_themes WHERE process_id = ? AND NOT (id = ANY(?))`

// DeleteThemesExcept removes the process's themes outside keep.
func (s *Store) DeleteThemesExcept(ctx context.Context, processID int64, keep []int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteThemesSQL, processID, int64s(keep)).Error; err != nil {
		return fmt.Errorf("idea store: remove themes: %w", err)
	}
	return nil
}

// insertThemeSQL adds a theme to a process.
const insertThemeSQL = `INSERT INTO idea_themes (process_id, name, description, position) VALUES (?, ?, ?, ?)`

// InsertTheme adds a theme to the process at position.
func (s *Store) InsertTheme(ctx context.Context, processID int64, t ThemeInput, position int) error {
	if err := database.Conn(ctx, s.db).Exec(insertThemeSQL, processID, t.Name, t.Description, position).Error; err != nil {
		return fmt.Errorf("idea store: save theme: %w", err)
	}
	return nil
}

// updateThemeSQL renames, describes and moves one theme of a process.
const updateThemeSQL = `UPDATE idea_themes SET name = ?, description = ?, position = ? WHERE id = ? AND process_id = ?`

// UpdateTheme renames, describes and moves the process's theme t.ID; found
// is false when the process has no such theme.
func (s *Store) UpdateTheme(ctx context.Context, processID int64, t ThemeInput, position int) (found bool, err error) {
	res := database.Conn(ctx, s.db).Exec(updateThemeSQL, t.Name, t.Description, position, t.ID, processID)
	if res.Error != nil {
		return false, fmt.Errorf("idea store: save theme: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// putRulesSQL sets a process's support rules.
const putRulesSQL = `INSERT INTO idea_rules (process_id, support_limit, one_per_theme) VALUES (?, ?, ?)
	ON CONFLICT (process_id) DO UPDATE SET support_limit = EXCLUDED.support_limit, one_per_theme = EXCLUDED.one_per_theme`

// PutRules sets the process's support rules.
func (s *Store) PutRules(ctx context.Context, processID int64, r Rules) error {
	if err := database.Conn(ctx, s.db).Exec(putRulesSQL, processID, r.SupportLimit, r.OnePerTheme).Error; err != nil {
		return fmt.Errorf("idea store: rules of %d: %w", processID, err)
	}
	return nil
}

// int64s is a bigint[] parameter.
func int64s(ids []int64) database.Array {
	return database.Array{Type: "_int8", Values: ids}
}
