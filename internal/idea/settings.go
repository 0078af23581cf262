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

// Settings returns a process's themes and rules, when actor may read the process.
func (s *Service) Settings(ctx context.Context, actor auth.Principal, slug string) (Settings, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Settings{}, err
	}
	return s.settingsOf(ctx, p)
}

func (s *Service) settingsOf(ctx context.Context, p process.Process) (Settings, error) {
	out := Settings{Phase: ideaPhase(p), Open: s.phaseOpen(p)}
	var err error
	if out.Rules, err = s.store.Rules(ctx, p.ID); err != nil {
		return Settings{}, err
	}
	if out.Themes, err = s.store.Themes(ctx, p.ID); err != nil {
		return Settings{}, err
	}
	return out, nil
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
		if err := s.store.LockSettings(ctx, p.ID); err != nil {
			return err
		}
		keep := []int64{}
		for _, t := range in.Themes {
			if t.ID != 0 {
				keep = append(keep, t.ID)
			}
		}
		used, err := s.store.ThemesInUse(ctx, p.ID, keep)
		if err != nil {
			return err
		}
		if len(used) > 0 {
			return ErrThemeInUse.WithMessage("ideas use the theme %q, so it cannot be removed", used[0])
		}
		if err := s.store.DeleteThemesExcept(ctx, p.ID, keep); err != nil {
			return err
		}
		for pos, t := range in.Themes {
			if t.ID == 0 {
				if err := s.store.InsertTheme(ctx, p.ID, t, pos); err != nil {
					return err
				}
				continue
			}
			found, err := s.store.UpdateTheme(ctx, p.ID, t, pos)
			if err != nil {
				return err
			}
			if !found {
				return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "themes[" + strconv.Itoa(pos) + "].id",
					Code: "unknown", Message: "no such theme in this process"})
			}
		}
		return s.store.PutRules(ctx, p.ID, in.Rules)
	})
	if err != nil {
		return Settings{}, err
	}
	return s.settingsOf(ctx, p)
}
