package contribution_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
)

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func str(s string) *string { return &s }

// TestProvenanceCheck: what a contribution may say about how it came, and
// when a date received is in the future (once it has begun nowhere on Earth).
func TestProvenanceCheck(t *testing.T) {
	now := time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC) // 2027-03-16 02:00 at UTC+14
	for _, tt := range []struct {
		name string
		in   contribution.Provenance
		want []string
	}{
		{"online by default", contribution.Provenance{}, nil},
		{"online names nobody", contribution.Provenance{Channel: "online", Contributor: str("X")}, []string{"contributor:not_allowed"}},
		{"online has no date", contribution.Provenance{Channel: "online", ReceivedOn: date("2027-03-01")}, []string{"received_on:not_allowed"}},
		{"unknown channel", contribution.Provenance{Channel: "fax"}, []string{"channel:enum"}},
		{"offline needs its date", contribution.Provenance{Channel: "paper"}, []string{"received_on:required"}},
		{"anonymous on paper", contribution.Provenance{Channel: "paper", ReceivedOn: date("2027-03-15")}, nil},
		{"tomorrow has begun in Kiritimati", contribution.Provenance{Channel: "phone", ReceivedOn: date("2027-03-16")}, nil},
		{"the day after has not", contribution.Provenance{Channel: "phone", ReceivedOn: date("2027-03-17")}, []string{"received_on:future"}},
		{"three years back", contribution.Provenance{Channel: "email", ReceivedOn: date("2024-03-16")}, nil},
		{"more than three years back", contribution.Provenance{Channel: "email", ReceivedOn: date("2024-03-15")}, []string{"received_on:too_old"}},
		{"a blank contributor", contribution.Provenance{Channel: "workshop", ReceivedOn: date("2027-03-01"), Contributor: str(" \u200b ")}, []string{"contributor:length"}},
		{"a long contributor", contribution.Provenance{Channel: "workshop", ReceivedOn: date("2027-03-01"), Contributor: str(string(make([]rune, 81)))}, []string{"contributor:length"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var f apperr.Fields
			tt.in.Check(&f, now)
			var got []string
			for _, fe := range f {
				got = append(got, fe.Field+":"+fe.Code)
			}
			require.Equal(t, tt.want, got)
		})
	}
	var f apperr.Fields
	p := contribution.Provenance{Channel: "paper", Contributor: str("  Tenants' union  "),
		ReceivedOn: ptr(time.Date(2027, 3, 14, 23, 30, 0, 0, time.FixedZone("X", -5*3600)))}.Check(&f, now)
	require.Empty(t, f)
	require.Equal(t, "Tenants' union", *p.Contributor)
	require.Equal(t, "2027-03-14", contribution.DateParam(p.ReceivedOn), "the calendar date as given, whatever its zone")
	require.Nil(t, contribution.DateParam(nil))
}

func ptr[T any](v T) *T { return &v }
