package idea

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Settings are a process's themes and support rules, with its idea phase.
type Settings struct {
	Rules
	Themes []Theme
	Phase  *process.Phase
	Open   bool // ideas, supports and comments on ideas are accepted now
}

// ThemeInput is a theme to keep (ID set) or add (ID 0).
type ThemeInput struct {
	ID          int64
	Name        string
	Description string
}

// SettingsInput replaces a process's themes and rules.
type SettingsInput struct {
	Rules
	Themes []ThemeInput
}

// Settings returns a process's themes and rules.
func (s *Service) Settings(ctx context.Context, slug string) (Settings, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Settings{}, err
	}
	return s.settingsOf(ctx, p)
}

func (s *Service) settingsOf(ctx context.Context, p process.Process) (Settings, error) {
	out := Settings{Phase: ideaPhase(p), Open: s.phaseOpen(p)}
	var err error
	if out.Rules, err = s.rulesOf(ctx, p.ID); err != nil {
		return Settings{}, err
	}
	if err := database.Conn(ctx, s.db).Where("process_id = ?", p.ID).Order("position, id").Find(&out.Themes).Error; err != nil {
		return Settings{}, fmt.Errorf("idea: themes: %w", err)
	}
	return out, nil
}

func (s *Service) rulesOf(ctx context.Context, processID int64) (Rules, error) {
	var rows []Rules
	if err := database.Conn(ctx, s.db).Raw("SELECT support_limit, one_per_theme FROM idea_rules WHERE process_id = ?", processID).
		Scan(&rows).Error; err != nil {
		return Rules{}, fmt.Errorf("idea: rules: %w", err)
	}
	if len(rows) == 0 {
		return Rules{}, nil
	}
	return rows[0], nil
}

// PutSettings replaces a process's themes and rules (its owners and
// administrators). Themes with an ID are kept and renamed, new ones added, and
// the ones left out removed unless an idea uses them.
func (s *Service) PutSettings(ctx context.Context, actor auth.Principal, slug string, in SettingsInput) (Settings, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Settings{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage,
		ErrForbidden.WithMessage("only the process's owners set its themes and rules")); err != nil {
		return Settings{}, err
	}
	var f apperr.Fields
	if in.SupportLimit < 0 || in.SupportLimit > 1000 {
		f.Add("support_limit", "range", "0 (no limit) to 1000")
	}
	if len(in.Themes) > MaxThemes {
		f.Add("themes", "length", fmt.Sprintf("at most %d themes", MaxThemes))
	}
	seen := map[string]bool{}
	for i := range in.Themes {
		t := &in.Themes[i]
		field := "themes[" + strconv.Itoa(i) + "]"
		t.Name, t.Description = strings.TrimSpace(t.Name), strings.TrimSpace(t.Description)
		switch n := utf8.RuneCountInString(t.Name); {
		case n == 0 || !markdown.HasVisible(t.Name) || n > 80 || strings.ContainsAny(t.Name, "\r\n\x00"):
			f.Add(field+".name", "length", "1 to 80 characters on one line")
		case seen[strings.ToLower(t.Name)]:
			f.Add(field+".name", "duplicate", "two themes cannot have the same name")
		}
		seen[strings.ToLower(t.Name)] = true
		if utf8.RuneCountInString(t.Description) > 1000 || strings.ContainsRune(t.Description, 0) {
			f.Add(field+".description", "length", "at most 1000 characters")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Settings{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		conn := database.Conn(ctx, s.db)
		// Serialise settings changes of one process with each other.
		if err := conn.Exec("SELECT 1 FROM processes WHERE id = ? FOR UPDATE", p.ID).Error; err != nil {
			return fmt.Errorf("idea: lock process: %w", err)
		}
		keep := []int64{}
		for _, t := range in.Themes {
			if t.ID != 0 {
				keep = append(keep, t.ID)
			}
		}
		var used []string
		if err := conn.Raw(`SELECT t.name FROM idea_themes t WHERE t.process_id = ? AND NOT (t.id = ANY(?))
			AND EXISTS (SELECT 1 FROM ideas i WHERE i.theme_id = t.id) ORDER BY t.position`, p.ID, int64s(keep)).Scan(&used).Error; err != nil {
			return fmt.Errorf("idea: themes in use: %w", err)
		}
		if len(used) > 0 {
			return ErrThemeInUse.WithMessage("ideas use the theme %q, so it cannot be removed", used[0])
		}
		if err := conn.Exec("DELETE FROM idea_themes WHERE process_id = ? AND NOT (id = ANY(?))", p.ID, int64s(keep)).Error; err != nil {
			return fmt.Errorf("idea: remove themes: %w", err)
		}
		for pos, t := range in.Themes {
			if t.ID == 0 {
				err = conn.Exec("INSERT INTO idea_themes (process_id, name, description, position) VALUES (?, ?, ?, ?)",
					p.ID, t.Name, t.Description, pos).Error
			} else {
				res := conn.Exec("UPDATE idea_themes SET name = ?, description = ?, position = ? WHERE id = ? AND process_id = ?",
					t.Name, t.Description, pos, t.ID, p.ID)
				if err = res.Error; err == nil && res.RowsAffected == 0 {
					return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "themes[" + strconv.Itoa(pos) + "].id",
						Code: "unknown", Message: "no such theme in this process"})
				}
			}
			if err != nil {
				return fmt.Errorf("idea: save theme: %w", err)
			}
		}
		return conn.Exec(`INSERT INTO idea_rules (process_id, support_limit, one_per_theme) VALUES (?, ?, ?)
			ON CONFLICT (process_id) DO UPDATE SET support_limit = EXCLUDED.support_limit, one_per_theme = EXCLUDED.one_per_theme`,
			p.ID, in.SupportLimit, in.OnePerTheme).Error
	})
	if err != nil {
		return Settings{}, err
	}
	return s.settingsOf(ctx, p)
}

// int64s is a bigint[] parameter.
func int64s(ids []int64) database.Array {
	return database.Array{Type: "_int8", Values: ids}
}
