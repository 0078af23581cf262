package process

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"cocreate/internal/apperr"
)

// The limits a process's fields must keep; the migration's checks say the same.
const (
	MaxTitle     = 200
	MaxSummary   = 20000
	MaxLanguages = 10
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// reservedSlugs are addresses of the web app's own pages under /processes/.
var reservedSlugs = map[string]bool{"new": true}

// Dates outside these bounds are typing mistakes, not plans.
var (
	earliestDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latestDate   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

func validateSlug(f *apperr.Fields, slug string) {
	switch {
	case slug == "":
		f.Add("slug", "required", "a slug is required")
	case len(slug) < 3 || len(slug) > 80:
		f.Add("slug", "length", "a slug has 3 to 80 characters")
	case !slugPattern.MatchString(slug):
		f.Add("slug", "slug", "a slug is lower-case letters and digits in words joined by single hyphens")
	case reservedSlugs[slug]:
		f.Add("slug", "reserved", "this web address is the web app's own (/processes/new)")
	}
}

func validateTitle(f *apperr.Fields, title string) string {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		f.Add("title", "required", "a title is required")
	case utf8.RuneCountInString(title) > MaxTitle:
		f.Add("title", "max", fmt.Sprintf("a title has at most %d characters", MaxTitle))
	}
	return title
}

func validateSummary(f *apperr.Fields, summary string) {
	if utf8.RuneCountInString(summary) > MaxSummary {
		f.Add("summary", "max", fmt.Sprintf("a summary has at most %d characters", MaxSummary))
	}
}

// validateLanguages checks each tag is well-formed BCP 47 and returns them in
// canonical form (e.g. "fr-ca" becomes "fr-CA").
func validateLanguages(f *apperr.Fields, langs []string) []string {
	if len(langs) == 0 {
		f.Add("languages", "required", "at least one language is required")
		return nil
	}
	if len(langs) > MaxLanguages {
		f.Add("languages", "max", fmt.Sprintf("at most %d languages", MaxLanguages))
		return nil
	}
	out := make([]string, 0, len(langs))
	seen := map[string]bool{}
	for i, l := range langs {
		field := fmt.Sprintf("languages[%d]", i)
		tag, err := language.Parse(strings.TrimSpace(l))
		if err != nil || len(l) > 35 || tag == language.Und {
			f.Add(field, "language", "not a BCP 47 language tag such as en or fr-CA")
			continue
		}
		canon := tag.String()
		if seen[canon] {
			f.Add(field, "duplicate", "this language is listed twice")
			continue
		}
		seen[canon] = true
		out = append(out, canon)
	}
	return out
}

// validatePhases checks each phase's window and that phases come in cycle order,
// each kind at most once, none opening before the previous one closes.
func validatePhases(f *apperr.Fields, in []PhaseInput) []Phase {
	if len(in) == 0 {
		f.Add("phases", "required", "at least one phase is required")
		return nil
	}
	if len(in) > len(PhaseOrder) {
		f.Add("phases", "max", fmt.Sprintf("at most %d phases, one of each kind", len(PhaseOrder)))
		return nil
	}
	out := make([]Phase, 0, len(in))
	seen := map[PhaseKind]bool{}
	prev := -1 // index in `in` of the last phase that passed its own checks
	for i, ph := range in {
		field := fmt.Sprintf("phases[%d]", i)
		ok := true
		switch {
		case ph.Kind.rank() < 0:
			f.Add(field+".kind", "enum", "not a phase kind")
			ok = false
		case seen[ph.Kind]:
			f.Add(field+".kind", "duplicate", "each phase kind appears at most once")
			ok = false
		}
		seen[ph.Kind] = true
		for _, d := range []struct {
			name string
			t    time.Time
		}{{"opens_at", ph.OpensAt}, {"closes_at", ph.ClosesAt}} {
			if d.t.Before(earliestDate) || !d.t.Before(latestDate) {
				f.Add(field+"."+d.name, "date_range", "dates lie between 2000 and 2099")
				ok = false
			}
		}
		if ok && !ph.ClosesAt.After(ph.OpensAt) {
			f.Add(field+".closes_at", "date_order", "a phase closes after it opens")
			ok = false
		}
		if ok && prev >= 0 {
			p := in[prev]
			if ph.Kind.rank() < p.Kind.rank() {
				f.Add(field+".kind", "phase_order", fmt.Sprintf("%s comes before %s in a co-creation cycle", ph.Kind, p.Kind))
				ok = false
			} else if ph.OpensAt.Before(p.ClosesAt) {
				f.Add(field+".opens_at", "phase_overlap", fmt.Sprintf("opens before %s closes", p.Kind))
				ok = false
			}
		}
		if ok {
			prev = i
		}
		out = append(out, Phase{Kind: ph.Kind, OpensAt: ph.OpensAt.UTC(), ClosesAt: ph.ClosesAt.UTC()})
	}
	return out
}
