package contribution

import (
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/markdown"
)

// Channel is how a contribution reached the process.
type Channel string

// The channels; all but online are entered by a process owner on someone's
// behalf (OGP: submissions by post, phone or at meetings count like online ones).
const (
	ChannelOnline   Channel = "online"
	ChannelPaper    Channel = "paper"
	ChannelPhone    Channel = "phone"
	ChannelEmail    Channel = "email"
	ChannelWorkshop Channel = "workshop"
)

// Valid reports whether c is a channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelOnline, ChannelPaper, ChannelPhone, ChannelEmail, ChannelWorkshop:
		return true
	}
	return false
}

// Offline reports whether c is a channel other than online.
func (c Channel) Offline() bool { return c != ChannelOnline && c.Valid() }

// MaxContributorChars bounds the name or organisation of a contributor.
const MaxContributorChars = 80

// MaxReceivedYears is how many years before today a contribution may have been received.
const MaxReceivedYears = 3

// latestOffset is the most any time zone is ahead of UTC (UTC+14): a date
// received is in the future only once it has begun nowhere on Earth.
const latestOffset = 14 * time.Hour

// Provenance is how a contribution reached the process: its channel and, for
// one received offline, the name or organisation of its contributor as they
// agreed to publish it (nil: anonymous) and the date it was received.
type Provenance struct {
	Channel     Channel
	Contributor *string
	ReceivedOn  *time.Time // a date (midnight UTC)
}

// Check validates a contribution's provenance at now, adding field errors
// (channel, contributor, received_on) to f, and returns it normalised: the
// channel online when empty, the contributor trimmed, the date at midnight
// UTC. Online contributions name no contributor and no date; one received
// offline has its date, neither in the future nor more than MaxReceivedYears old.
func (p Provenance) Check(f *apperr.Fields, now time.Time) Provenance {
	if p.Channel == "" {
		p.Channel = ChannelOnline
	}
	if !p.Channel.Valid() {
		f.Add("channel", "enum", "online, paper, phone, email or workshop")
		return p
	}
	if p.Channel == ChannelOnline {
		if p.Contributor != nil {
			f.Add("contributor", "not_allowed", "only contributions entered on someone's behalf name a contributor")
		}
		if p.ReceivedOn != nil {
			f.Add("received_on", "not_allowed", "only contributions received offline have a date received")
		}
		return p
	}
	if p.Contributor != nil {
		c := strings.TrimSpace(*p.Contributor)
		if n := utf8.RuneCountInString(c); n == 0 || n > MaxContributorChars || !markdown.HasVisible(c) || strings.ContainsAny(c, "\r\n\x00") {
			f.Add("contributor", "length", "1 to 80 characters on one line")
		}
		p.Contributor = &c
	}
	if p.ReceivedOn == nil {
		f.Add("received_on", "required", "the date the contribution was received")
		return p
	}
	d := time.Date(p.ReceivedOn.Year(), p.ReceivedOn.Month(), p.ReceivedOn.Day(), 0, 0, 0, 0, time.UTC)
	p.ReceivedOn = &d
	latest := now.UTC().Add(latestOffset)
	today := time.Date(latest.Year(), latest.Month(), latest.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(today):
		f.Add("received_on", "future", "a date received cannot be in the future")
	case d.Before(today.AddDate(-MaxReceivedYears, 0, 0)):
		f.Add("received_on", "too_old", "a date received is within the last three years")
	}
	return p
}

// DateParam is a date received as a statement parameter: "2006-01-02", or nil
// for none, so no session time zone can move it by a day.
func DateParam(d *time.Time) any {
	if d == nil {
		return nil
	}
	return d.Format(time.DateOnly)
}
