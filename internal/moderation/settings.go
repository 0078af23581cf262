package moderation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// Rules are the screen's rules of a process; a nil limit switches its rule off.
type Rules struct {
	BannedTerms bool
	Links       *int // hold above this many links
	Duplicate   bool // refuse the same body from the same account within 6 minutes
	Campaign    *int // hold the same body from this many accounts within 10 minutes
	Rate        bool // refuse posting faster than the posting interval
	Shouting    bool
}

// Settings are a process's moderation settings.
type Settings struct {
	Mode          Mode
	HoldFirst     int
	TimeboxHours  *int
	FlagThreshold int
	Rules         Rules
	BannedTerms   map[string][]string // language → terms
	HouseRules    map[Reason]string   // descriptions that replace the defaults

	matcher termMatcher
}

// defaults are the settings of a process that never set its own.
func defaults() Settings {
	links, campaign := 5, 5
	return Settings{Mode: ModePost, FlagThreshold: 3, BannedTerms: map[string][]string{}, HouseRules: map[Reason]string{},
		Rules: Rules{BannedTerms: true, Links: &links, Duplicate: true, Campaign: &campaign, Rate: true, Shouting: true}}
}

// HouseRule is a reason with its public description.
type HouseRule struct {
	Code        Reason
	Description string
}

// HouseRuleList returns a process's reasons with their descriptions.
func (st Settings) HouseRuleList() []HouseRule {
	out := make([]HouseRule, len(Reasons))
	for i, r := range Reasons {
		d := defaultHouseRules[r]
		if o, ok := st.HouseRules[r]; ok && o != "" {
			d = o
		}
		out[i] = HouseRule{Code: r, Description: d}
	}
	return out
}

type settingsRow struct {
	ProcessID       int64
	Mode            Mode
	HoldFirst       int
	TimeboxHours    *int
	FlagThreshold   int
	RuleBannedTerms bool
	RuleLinks       *int
	RuleDuplicate   bool
	RuleCampaign    *int
	RuleRate        bool
	RuleShouting    bool
	BannedTerms     []byte
	HouseRules      []byte
}

// settingsTTL is how long an instance keeps a process's settings in memory;
// a change made through this instance shows at once.
const settingsTTL = 5 * time.Second

// settingsOf returns a process's settings, from memory when fresh.
func (s *Service) settingsOf(ctx context.Context, processID int64) (Settings, error) {
	return s.screen.settingsOf(ctx, processID)
}

// settingsOf returns a process's settings, from memory when fresh.
func (s *Screen) settingsOf(ctx context.Context, processID int64) (Settings, error) {
	now := s.opt.Now()
	s.mu.Lock()
	c, ok := s.settings[processID]
	s.mu.Unlock()
	if ok && now.Sub(c.at) < settingsTTL && !now.Before(c.at) {
		return c.s, nil
	}
	st, err := s.loadSettings(ctx, processID)
	if err != nil {
		return Settings{}, err
	}
	s.mu.Lock()
	s.settings[processID] = cachedSettings{s: st, at: now}
	s.mu.Unlock()
	return st, nil
}

func (s *Screen) loadSettings(ctx context.Context, processID int64) (Settings, error) {
	r, found, err := s.store.SettingsRow(ctx, processID)
	if err != nil {
		return Settings{}, err
	}
	st := defaults()
	if found {
		st.Mode, st.HoldFirst, st.TimeboxHours, st.FlagThreshold = r.Mode, r.HoldFirst, r.TimeboxHours, r.FlagThreshold
		st.Rules = Rules{BannedTerms: r.RuleBannedTerms, Links: r.RuleLinks, Duplicate: r.RuleDuplicate, Campaign: r.RuleCampaign,
			Rate: r.RuleRate, Shouting: r.RuleShouting}
		if err := json.Unmarshal(r.BannedTerms, &st.BannedTerms); err != nil {
			return Settings{}, fmt.Errorf("moderation: banned terms: %w", err)
		}
		if err := json.Unmarshal(r.HouseRules, &st.HouseRules); err != nil {
			return Settings{}, fmt.Errorf("moderation: house rules: %w", err)
		}
	}
	st.matcher = newTermMatcher(st.BannedTerms)
	return st, nil
}

// Settings returns a process's moderation settings (its moderators and owners).
func (s *Service) Settings(ctx context.Context, actor auth.Principal, slug string) (Settings, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Settings{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Moderate, ErrForbidden); err != nil {
		return Settings{}, err
	}
	return s.screen.loadSettings(ctx, p.ID)
}

// HouseRules returns a process's house rules; they are public once the
// process is.
func (s *Service) HouseRules(ctx context.Context, actor auth.Principal, slug string) ([]HouseRule, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	st, err := s.settingsOf(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return st.HouseRuleList(), nil
}

// PutSettings replaces a process's moderation settings (its owners and administrators).
func (s *Service) PutSettings(ctx context.Context, actor auth.Principal, slug string, in Settings) (Settings, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Settings{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.DecideEscalated, ErrForbidden); err != nil {
		return Settings{}, err
	}
	var f apperr.Fields
	switch in.Mode {
	case ModePost, ModePre, ModeRisk:
	default:
		f.Add("mode", "enum", "post, pre or risk")
	}
	if in.HoldFirst < 0 || in.HoldFirst > 100 {
		f.Add("hold_first", "range", "0 to 100")
	}
	if in.TimeboxHours != nil && (*in.TimeboxHours < 1 || *in.TimeboxHours > 720) {
		f.Add("timebox_hours", "range", "1 to 720 hours, or null")
	}
	if in.FlagThreshold < 1 || in.FlagThreshold > 100 {
		f.Add("flag_threshold", "range", "1 to 100")
	}
	if l := in.Rules.Links; l != nil && (*l < 0 || *l > 100) {
		f.Add("rules.links", "range", "0 to 100, or null")
	}
	if c := in.Rules.Campaign; c != nil && (*c < 2 || *c > 1000) {
		f.Add("rules.campaign", "range", "2 to 1000 accounts, or null")
	}
	terms := map[string][]string{}
	for lang, list := range in.BannedTerms {
		if len(lang) < 2 || len(lang) > 35 || strings.ContainsAny(lang, " \t\r\n") {
			f.Add("banned_terms", "language", "keys are language codes such as en or pt-BR")
			continue
		}
		if len(list) > 500 {
			f.Add("banned_terms."+lang, "length", "at most 500 terms per language")
		}
		for _, t := range list {
			t = strings.TrimSpace(t)
			if n := utf8.RuneCountInString(t); n == 0 || n > 100 || len(words(t)) == 0 {
				f.Add("banned_terms."+lang, "term", "each term has 1 to 100 characters and at least one letter or digit")
				break
			}
			terms[lang] = append(terms[lang], t)
		}
	}
	rules := map[Reason]string{}
	for code, d := range in.HouseRules {
		d = strings.TrimSpace(d)
		switch {
		case !code.Valid():
			f.Add("house_rules", "enum", "house rules are "+strings.Join(reasonNames(), ", "))
		case utf8.RuneCountInString(d) > 1000:
			f.Add("house_rules."+string(code), "length", "at most 1000 characters")
		default:
			rules[code] = d
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Settings{}, err
	}
	termsJSON, _ := json.Marshal(terms)
	rulesJSON, _ := json.Marshal(rules)
	if err := s.store.SaveSettings(ctx, p.ID, in, string(termsJSON), string(rulesJSON)); err != nil {
		return Settings{}, err
	}
	s.screen.forget(p.ID)
	return s.screen.loadSettings(ctx, p.ID)
}

func reasonNames() []string {
	out := make([]string, len(Reasons))
	for i, r := range Reasons {
		out[i] = string(r)
	}
	return out
}
