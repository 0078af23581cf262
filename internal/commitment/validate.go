package commitment

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// Limits of a commitment and of what it holds.
const (
	MaxTitleChars       = 200
	MaxDescriptionChars = 5000
	MaxNameChars        = 200
	MaxThemeChars       = 80
	MaxActors           = 20
	MaxMembers          = 50
	MaxMilestones       = 50
	MaxSources          = 50
	MaxMilestoneChars   = 300
	MaxURLChars         = 2000
	MaxReasonChars      = 2000
)

// MemberInput is a working-group member as an owner enters it. AccountEmail,
// when given, links the member to the account with that address, which may
// then write the commitment's updates.
type MemberInput struct {
	Name, Organisation string
	Seat               process.Seat
	AccountEmail       string
}

// MilestoneInput is a milestone as an owner enters it: ID 0 for a new one,
// dates as YYYY-MM-DD ("" for no completion), evidence a link or a
// repository item (0 for none).
type MilestoneInput struct {
	ID             int64
	Title          string
	DueOn          string
	CompletedOn    string
	EvidenceURL    string
	EvidenceItemID int64
}

// SourceInput is one thing that led to a commitment: a paragraph (Kind
// "paragraph", DocumentID, ParagraphKey), an idea or a response (ID).
type SourceInput struct {
	Kind         string
	ID           int64
	DocumentID   int64
	ParagraphKey string
}

// CommitmentInput creates a commitment, or replaces one's fields on the
// revision read (Revision, for edits only). Dates are YYYY-MM-DD.
type CommitmentInput struct {
	Revision        int
	Title           string
	Description     string
	LeadInstitution string
	OtherActors     []string
	Theme           string
	StartsOn        string
	EndsOn          string
	Values          []string
	Members         []MemberInput
	Milestones      []MilestoneInput
	Sources         []SourceInput
}

// checked is a CommitmentInput that passed the checks that need no database.
type checked struct {
	c          Commitment
	members    []MemberInput
	milestones []checkedMilestone
	sources    []SourceInput
}

type checkedMilestone struct {
	Milestone
	input MilestoneInput
}

// text trims s and notes in f when it is empty (required), too long or holds NUL.
func text(f *apperr.Fields, field, s string, required bool, maxChars int) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		f.Add(field, "required", "required")
	case n > maxChars:
		f.Add(field, "length", fmt.Sprintf("at most %d characters", maxChars))
	}
	if strings.ContainsRune(s, 0) {
		f.Add(field, "characters", "no NUL characters")
	}
	return s
}

// date reads a YYYY-MM-DD field into f's errors.
func date(f *apperr.Fields, field, s string) (workdays.Date, bool) {
	d, err := workdays.ParseDate(strings.TrimSpace(s))
	if err != nil {
		if strings.TrimSpace(s) == "" {
			f.Add(field, "required", "a date, YYYY-MM-DD")
		} else {
			f.Add(field, "date", "a date, YYYY-MM-DD")
		}
		return 0, false
	}
	return d, true
}

// link checks an evidence link: http or https, at most MaxURLChars.
func link(f *apperr.Fields, field, s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > MaxURLChars {
		f.Add(field, "url", fmt.Sprintf("an http or https address of at most %d characters", MaxURLChars))
		return nil
	}
	return &s
}

// seatOK reports whether s is a seat.
func seatOK(s process.Seat) bool {
	return s == process.SeatGovernment || s == process.SeatCivilSociety || s == process.SeatOther
}

// check validates what needs no database: lengths, dates (milestones inside
// the commitment's dates, completions not in the future), enumerations.
func check(in CommitmentInput, today workdays.Date) (checked, error) {
	var f apperr.Fields
	var out checked
	c := &out.c
	c.Title = text(&f, "title", in.Title, true, MaxTitleChars)
	c.Description = text(&f, "description", in.Description, false, MaxDescriptionChars)
	c.LeadInstitution = text(&f, "lead_institution", in.LeadInstitution, true, MaxNameChars)
	c.Theme = text(&f, "theme", in.Theme, false, MaxThemeChars)
	if len(in.OtherActors) > MaxActors {
		f.Add("other_actors", "max", fmt.Sprintf("at most %d", MaxActors))
	}
	c.OtherActors = []string{}
	for i, a := range in.OtherActors {
		if a = text(&f, fmt.Sprintf("other_actors[%d]", i), a, true, MaxNameChars); a != "" && !slices.Contains(c.OtherActors, a) {
			c.OtherActors = append(c.OtherActors, a)
		}
	}
	c.Values = []string{}
	for i, v := range in.Values {
		switch {
		case !slices.Contains(Values, Value(v)):
			f.Add(fmt.Sprintf("values[%d]", i), "enum", "access_to_information, civic_participation, public_accountability or technology_innovation")
		case !slices.Contains(c.Values, v):
			c.Values = append(c.Values, v)
		}
	}
	start, okStart := date(&f, "starts_on", in.StartsOn)
	end, okEnd := date(&f, "ends_on", in.EndsOn)
	if okStart && okEnd && end < start {
		f.Add("ends_on", "order", "on or after the start date")
		okEnd = false
	}
	c.StartsOn, c.EndsOn = start, end

	if len(in.Members) > MaxMembers {
		f.Add("members", "max", fmt.Sprintf("at most %d", MaxMembers))
	}
	emails := map[string]bool{}
	for i, m := range in.Members {
		p := fmt.Sprintf("members[%d].", i)
		m.Name = text(&f, p+"name", m.Name, true, MaxNameChars)
		m.Organisation = text(&f, p+"organisation", m.Organisation, false, MaxNameChars)
		if !seatOK(m.Seat) {
			f.Add(p+"seat", "enum", "government, civil_society or other")
		}
		m.AccountEmail = strings.ToLower(text(&f, p+"account_email", m.AccountEmail, false, 254))
		if m.AccountEmail != "" {
			if emails[m.AccountEmail] {
				f.Add(p+"account_email", "duplicate", "one account is one member of the group")
			}
			emails[m.AccountEmail] = true
		}
		out.members = append(out.members, m)
	}

	switch {
	case len(in.Milestones) == 0:
		f.Add("milestones", "required", "at least one milestone")
	case len(in.Milestones) > MaxMilestones:
		f.Add("milestones", "max", fmt.Sprintf("at most %d", MaxMilestones))
	}
	ids := map[int64]bool{}
	for i, m := range in.Milestones {
		p := fmt.Sprintf("milestones[%d].", i)
		cm := checkedMilestone{input: m}
		cm.ID = m.ID
		if m.ID != 0 {
			if ids[m.ID] {
				f.Add(p+"id", "duplicate", "each milestone once")
			}
			ids[m.ID] = true
		}
		cm.Title = text(&f, p+"title", m.Title, true, MaxMilestoneChars)
		if due, ok := date(&f, p+"due_on", m.DueOn); ok {
			cm.DueOn = due
			if okStart && okEnd && (due < start || due > end) {
				f.Add(p+"due_on", "outside", "inside the commitment's dates")
			}
		}
		if strings.TrimSpace(m.CompletedOn) != "" {
			if on, ok := date(&f, p+"completed_on", m.CompletedOn); ok {
				switch {
				case on > today:
					f.Add(p+"completed_on", "future", "not after today")
				case okStart && on < start:
					f.Add(p+"completed_on", "before_start", "not before the commitment's start")
				default:
					cm.CompletedOn = &on
				}
			}
		}
		cm.EvidenceURL = link(&f, p+"evidence_url", m.EvidenceURL)
		if m.EvidenceItemID != 0 {
			if cm.EvidenceURL != nil {
				f.Add(p+"evidence_item_id", "one_evidence", "a link or a repository document, not both")
			}
			id := m.EvidenceItemID
			cm.EvidenceItemID = &id
		}
		out.milestones = append(out.milestones, cm)
	}

	if len(in.Sources) > MaxSources {
		f.Add("sources", "max", fmt.Sprintf("at most %d", MaxSources))
	}
	for i, src := range in.Sources {
		p := fmt.Sprintf("sources[%d].", i)
		switch src.Kind {
		case "paragraph":
			if src.DocumentID < 1 {
				f.Add(p+"document_id", "required", "the draft")
			}
			src.ParagraphKey = strings.TrimSpace(src.ParagraphKey)
			if src.ParagraphKey == "" || len(src.ParagraphKey) > 40 {
				f.Add(p+"paragraph_key", "required", "the paragraph's key")
			}
		case "idea", "response":
			if src.ID < 1 {
				f.Add(p+"id", "required", "the "+src.Kind+"'s number")
			}
		default:
			f.Add(p+"kind", "enum", "paragraph, idea or response")
		}
		out.sources = append(out.sources, src)
	}
	if err := f.Err(CodeInvalid); err != nil {
		return checked{}, err
	}
	return out, nil
}
