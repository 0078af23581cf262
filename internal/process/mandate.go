package process

// The engagement mandate: what a process tells the public before they take
// part (purpose, what is open and what is fixed, how input is used and who
// decides, the participation promised, whom to ask, the privacy notice).

import (
	"context"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
)

// IAP2Level is the level of public participation a process promises, on the
// IAP2 spectrum.
type IAP2Level string

// The IAP2 levels, from the least to the most influence.
const (
	IAP2Inform      IAP2Level = "inform"
	IAP2Consult     IAP2Level = "consult"
	IAP2Involve     IAP2Level = "involve"
	IAP2Collaborate IAP2Level = "collaborate"
	IAP2Empower     IAP2Level = "empower"
)

// IAP2Levels lists the levels in spectrum order.
var IAP2Levels = []IAP2Level{IAP2Inform, IAP2Consult, IAP2Involve, IAP2Collaborate, IAP2Empower}

func (l IAP2Level) valid() bool {
	for _, x := range IAP2Levels {
		if x == l {
			return true
		}
	}
	return false
}

// The limits of a mandate's parts; the migration's checks hold the same or
// looser ones.
const (
	MaxMandateText   = 5000  // purpose, use of input
	MaxDecisionMaker = 300   // who decides
	MaxMandateItems  = 30    // each list: open for influence, fixed
	MaxMandateItem   = 500   // one item of a list
	MaxDecisionPts   = 20    // decision points
	MaxDecisionLabel = 200   // one decision point's label
	MaxContactName   = 200   // name or office
	MaxContactEmail  = 254   // RFC 5321's path limit
	MaxPrivacyNotice = 10000 // Markdown
)

// DecisionPoint is a dated step at which a decision is taken.
type DecisionPoint struct {
	Label string `json:"label"`
	Date  string `json:"date"` // YYYY-MM-DD
}

// DecisionPoints maps the jsonb column decision_points.
type DecisionPoints = database.JSONArray[DecisionPoint]

// Mandate is the engagement mandate of one process (one row of
// process_mandates). A process whose owners have not written one has the
// zero mandate, with UpdatedAt nil.
type Mandate struct {
	ProcessID      int64              `gorm:"column:process_id;primaryKey"`
	Purpose        string             `gorm:"column:purpose"`
	OpenItems      database.TextArray `gorm:"column:open_items"`
	FixedItems     database.TextArray `gorm:"column:fixed_items"`
	UseOfInput     string             `gorm:"column:use_of_input"`
	DecisionMaker  string             `gorm:"column:decision_maker"`
	DecisionPoints DecisionPoints     `gorm:"column:decision_points"`
	IAP2Level      *IAP2Level         `gorm:"column:iap2_level"`
	ContactName    string             `gorm:"column:contact_name"`
	ContactEmail   string             `gorm:"column:contact_email"`
	PrivacyNotice  string             `gorm:"column:privacy_notice"`
	PrivacyHTML    string             `gorm:"column:privacy_html"`
	UpdatedAt      *time.Time         `gorm:"column:updated_at"`
	UpdatedBy      *int64             `gorm:"column:updated_by"`
}

// TableName maps Mandate to its table.
func (Mandate) TableName() string { return "process_mandates" }

// MandateParts names the parts of a mandate, in the order the public reads
// them; they are the JSON names of the fields.
var MandateParts = []string{"purpose", "open_items", "fixed_items", "use_of_input", "decision_maker",
	"decision_points", "iap2_level", "contact_name", "contact_email", "privacy_notice"}

// Missing lists the parts of the mandate that are empty, in MandateParts
// order: what owners are warned about when they publish.
func (m Mandate) Missing() []string {
	empty := map[string]bool{
		"purpose":         strings.TrimSpace(m.Purpose) == "",
		"open_items":      len(m.OpenItems) == 0,
		"fixed_items":     len(m.FixedItems) == 0,
		"use_of_input":    strings.TrimSpace(m.UseOfInput) == "",
		"decision_maker":  strings.TrimSpace(m.DecisionMaker) == "",
		"decision_points": len(m.DecisionPoints) == 0,
		"iap2_level":      m.IAP2Level == nil,
		"contact_name":    strings.TrimSpace(m.ContactName) == "",
		"contact_email":   strings.TrimSpace(m.ContactEmail) == "",
		"privacy_notice":  strings.TrimSpace(m.PrivacyNotice) == "",
	}
	out := []string{}
	for _, part := range MandateParts {
		if empty[part] {
			out = append(out, part)
		}
	}
	return out
}

// MandateInput is a whole mandate as its owners write it; it replaces the
// stored one.
type MandateInput struct {
	Purpose        string
	OpenItems      []string
	FixedItems     []string
	UseOfInput     string
	DecisionMaker  string
	DecisionPoints []DecisionPoint
	IAP2Level      *IAP2Level
	ContactName    string
	ContactEmail   string
	PrivacyNotice  string
	// UpdatedAt is the mandate's updated_at as the editor read it (nil when
	// there was none yet): a mandate saved since is not overwritten (ErrStale).
	UpdatedAt *time.Time
}

// validateMandate checks every part and returns the mandate to store, with
// single-line parts trimmed and the decision points in date order.
func validateMandate(f *apperr.Fields, in MandateInput) Mandate {
	m := Mandate{
		Purpose:       multiLine(f, "purpose", in.Purpose, MaxMandateText),
		UseOfInput:    multiLine(f, "use_of_input", in.UseOfInput, MaxMandateText),
		DecisionMaker: singleLine(f, "decision_maker", in.DecisionMaker, MaxDecisionMaker, false),
		ContactName:   singleLine(f, "contact_name", in.ContactName, MaxContactName, false),
		PrivacyNotice: multiLine(f, "privacy_notice", in.PrivacyNotice, MaxPrivacyNotice),
		OpenItems:     items(f, "open_items", in.OpenItems),
		FixedItems:    items(f, "fixed_items", in.FixedItems),
	}
	m.ContactEmail = singleLine(f, "contact_email", in.ContactEmail, MaxContactEmail, false)
	if m.ContactEmail != "" {
		if a, err := mail.ParseAddress(m.ContactEmail); err != nil || a.Address != m.ContactEmail || a.Name != "" {
			f.Add("contact_email", "email", "an e-mail address such as consult@city.example")
		}
	}
	if in.IAP2Level != nil {
		if in.IAP2Level.valid() {
			level := *in.IAP2Level
			m.IAP2Level = &level
		} else {
			f.Add("iap2_level", "enum", "inform, consult, involve, collaborate or empower")
		}
	}
	m.DecisionPoints = decisionPoints(f, in.DecisionPoints)
	return m
}

// multiLine checks a free text: at most max characters, no control
// characters but line breaks and tabs; surrounding space is dropped.
func multiLine(f *apperr.Fields, field, s string, maxLen int) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "characters", "not valid UTF-8")
	case utf8.RuneCountInString(s) > maxLen:
		f.Add(field, "max", fmt.Sprintf("at most %d characters", maxLen))
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		f.Add(field, "characters", "no control characters")
	}
	return s
}

// singleLine checks a one-line text of at most max characters (required
// when asked); surrounding space is dropped.
func singleLine(f *apperr.Fields, field, s string, maxLen int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		f.Add(field, "required", "fill this in")
	case !utf8.ValidString(s):
		f.Add(field, "characters", "not valid UTF-8")
	case utf8.RuneCountInString(s) > maxLen:
		f.Add(field, "max", fmt.Sprintf("at most %d characters", maxLen))
	case strings.ContainsFunc(s, unicode.IsControl):
		f.Add(field, "characters", "a single line, without control characters")
	}
	return s
}

// items checks a list of short texts: at most MaxMandateItems, each one line
// of 1 to MaxMandateItem characters, none twice.
func items(f *apperr.Fields, field string, in []string) database.TextArray {
	out := database.TextArray{}
	if len(in) > MaxMandateItems {
		f.Add(field, "max", fmt.Sprintf("at most %d items", MaxMandateItems))
		return out
	}
	seen := map[string]bool{}
	for i, s := range in {
		name := fmt.Sprintf("%s[%d]", field, i)
		s = singleLine(f, name, s, MaxMandateItem, true)
		if s != "" && seen[strings.ToLower(s)] {
			f.Add(name, "duplicate", "this item is listed twice")
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	return out
}

// decisionPoints checks the dated decision points and returns them in date
// order (a stable sort: points on one day keep the order given).
func decisionPoints(f *apperr.Fields, in []DecisionPoint) DecisionPoints {
	out := DecisionPoints{}
	if len(in) > MaxDecisionPts {
		f.Add("decision_points", "max", fmt.Sprintf("at most %d decision points", MaxDecisionPts))
		return out
	}
	for i, dp := range in {
		field := fmt.Sprintf("decision_points[%d]", i)
		label := singleLine(f, field+".label", dp.Label, MaxDecisionLabel, true)
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(dp.Date))
		switch {
		case strings.TrimSpace(dp.Date) == "":
			f.Add(field+".date", "required", "a date such as 2027-05-01")
		case err != nil:
			f.Add(field+".date", "date", "a date such as 2027-05-01")
		case d.Before(earliestDate) || !d.Before(latestDate):
			f.Add(field+".date", "range", "a date between 2000 and 2099")
		}
		out = append(out, DecisionPoint{Label: label, Date: d.Format(time.DateOnly)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// Mandate returns the engagement mandate of the process with id: the zero
// mandate (UpdatedAt nil) when its owners have not written one.
func (s *Service) Mandate(ctx context.Context, processID int64) (Mandate, error) {
	return s.store.MandateOf(ctx, processID)
}

// PutMandate replaces the engagement mandate of the process with slug; its
// owners and administrators may. It is refused with ErrStale when the mandate
// was saved since in.UpdatedAt (two owners editing at once lose nothing).
func (s *Service) PutMandate(ctx context.Context, actor auth.Principal, slug string, in MandateInput) (Mandate, error) {
	if !actor.Can(auth.PermProcessEdit) {
		return Mandate{}, ErrForbidden
	}
	var f apperr.Fields
	m := validateMandate(&f, in)
	if err := f.Err(CodeInvalid); err != nil {
		return Mandate{}, err
	}
	html, err := markdown.Render(m.PrivacyNotice)
	if err != nil {
		return Mandate{}, err
	}
	m.PrivacyHTML = html
	if actor.UserID > 0 {
		m.UpdatedBy = &actor.UserID
	}
	var out Mandate
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		// The process's row lock serialises the writes of its mandate, the
		// first one included (there is no mandate row to lock yet).
		p, err := s.store.BySlug(ctx, slug, true)
		if err != nil {
			return err
		}
		if err := s.RequireManage(ctx, actor, p, ErrForbidden); err != nil {
			return err
		}
		cur, err := s.store.MandateOf(ctx, p.ID)
		if err != nil {
			return err
		}
		switch {
		case cur.UpdatedAt == nil && in.UpdatedAt != nil,
			cur.UpdatedAt != nil && (in.UpdatedAt == nil || !in.UpdatedAt.Equal(*cur.UpdatedAt)):
			return ErrStale
		}
		m.ProcessID = p.ID
		out, err = s.store.PutMandate(ctx, m)
		return err
	})
	return out, err
}
