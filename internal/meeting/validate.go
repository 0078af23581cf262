package meeting

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
)

// Limits of a meeting's fields.
const (
	MaxTitleChars     = 200
	MaxPlaceChars     = 500
	MaxURLChars       = 2000
	MaxAgendaChars    = 20000
	MaxCapacity       = 100000
	MaxInputChars     = 5000
	MaxMinutesChars   = 100000
	MaxReasonChars    = 2000
	MaxOthersPresent  = 1000000
	MaxZoneChars      = 64
	MaxMeetingMinutes = 7 * 24 * 60 // a meeting lasts at most a week
)

// Input is a meeting as its owner writes it. Starts and Ends are wall-clock
// times ("2027-05-04T18:30", seconds optional) in TimeZone, an IANA zone.
type Input struct {
	Kind         Kind
	Title        string
	Starts, Ends string
	TimeZone     string
	Place        string
	RemoteURL    string
	Agenda       string
	Capacity     *int
	Revision     int // edits: the revision read
}

// checked is a valid Input, ready to store.
type checked struct {
	Kind             Kind
	Title            string
	StartsAt, EndsAt time.Time
	TimeZone         string
	Place            string
	RemoteURL        *string
	Agenda, HTML     string
	Capacity         *int
}

// wallLayouts are the wall-clock forms a time may come in.
var wallLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// check validates in, field by field, into the instants it names.
func check(in Input) (checked, error) {
	var f apperr.Fields
	out := checked{Kind: in.Kind, TimeZone: strings.TrimSpace(in.TimeZone), Capacity: in.Capacity}
	if !slices.Contains(Kinds, in.Kind) {
		f.Add("kind", "oneof", "forum, open, working_group or minister")
	}
	out.Title = strings.TrimSpace(ledger.Normalize(in.Title))
	if n := utf8.RuneCountInString(out.Title); n == 0 || n > MaxTitleChars || strings.ContainsAny(out.Title, "\n\x00") {
		f.Add("title", "length", fmt.Sprintf("one line of 1 to %d characters", MaxTitleChars))
	}
	loc, zoneErr := zone(out.TimeZone)
	if zoneErr != "" {
		f.Add("time_zone", "zone", zoneErr)
	} else {
		var okStart, okEnd bool
		out.StartsAt, okStart = wallTime(&f, "starts", in.Starts, loc)
		out.EndsAt, okEnd = wallTime(&f, "ends", in.Ends, loc)
		switch {
		case okStart && okEnd && !out.EndsAt.After(out.StartsAt):
			f.Add("ends", "order", "after the start")
		case okStart && okEnd && out.EndsAt.Sub(out.StartsAt) > MaxMeetingMinutes*time.Minute:
			f.Add("ends", "range", "within a week of the start")
		}
	}
	out.Place = strings.TrimSpace(ledger.Normalize(in.Place))
	if utf8.RuneCountInString(out.Place) > MaxPlaceChars || strings.ContainsRune(out.Place, 0) {
		f.Add("place", "length", fmt.Sprintf("at most %d characters", MaxPlaceChars))
	}
	if link := strings.TrimSpace(in.RemoteURL); link != "" {
		if msg := httpsLink(link); msg != "" {
			f.Add("remote_url", "https", msg)
		} else {
			out.RemoteURL = &link
		}
	}
	if out.Place == "" && strings.TrimSpace(in.RemoteURL) == "" {
		f.Add("place", "required", "give a place, a remote link, or both")
	}
	out.Agenda = strings.TrimSpace(ledger.Normalize(in.Agenda))
	if utf8.RuneCountInString(out.Agenda) > MaxAgendaChars || strings.ContainsRune(out.Agenda, 0) {
		f.Add("agenda", "length", fmt.Sprintf("at most %d characters", MaxAgendaChars))
	}
	if in.Capacity != nil {
		switch {
		case in.Kind != KindOpen:
			f.Add("capacity", "not_allowed", "only open meetings take registrations")
		case *in.Capacity < 1 || *in.Capacity > MaxCapacity:
			f.Add("capacity", "range", fmt.Sprintf("between 1 and %d places, or none for no limit", MaxCapacity))
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return checked{}, err
	}
	html, err := markdown.Render(out.Agenda)
	if err != nil {
		return checked{}, fmt.Errorf("meeting: agenda: %w", err)
	}
	out.HTML = html
	return out, nil
}

// zone loads an IANA time zone, or says what is wrong with the name.
func zone(name string) (*time.Location, string) {
	if name == "" || len(name) > MaxZoneChars || name == "Local" {
		return nil, "an IANA time zone, such as Europe/Paris"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a time zone of the IANA database (such as Europe/Paris)", name)
	}
	return loc, ""
}

// wallTime reads a wall-clock time in loc. A time the zone skips (clocks
// going forward) is refused rather than moved.
func wallTime(f *apperr.Fields, field, s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range wallLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		if t.Format(layout) != s {
			f.Add(field, "zone_gap", fmt.Sprintf("%s does not exist in %s (the clocks change then)", s, loc))
			return time.Time{}, false
		}
		if t.Year() < 2000 || t.Year() > 2100 {
			f.Add(field, "range", "a date between 2000 and 2100")
			return time.Time{}, false
		}
		return t, true
	}
	f.Add(field, "format", "a date and time such as 2027-05-04T18:30")
	return time.Time{}, false
}

// httpsLink says what is wrong with a remote link ("" when it is a plain
// https address).
func httpsLink(s string) string {
	if utf8.RuneCountInString(s) > MaxURLChars {
		return fmt.Sprintf("at most %d characters", MaxURLChars)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return "a web address such as https://meet.example.org/forum"
	case u.Scheme != "https":
		return "the remote link must start with https://"
	case u.User != nil:
		return "no user name or password in the link"
	case strings.ContainsAny(s, " \t\n\x00"):
		return "no spaces in the link"
	}
	return ""
}

// Wall is t as wall-clock time in the zone, as the owner writes it.
func Wall(t time.Time, loc *time.Location) string { return t.In(loc).Format(wallLayouts[0]) }
