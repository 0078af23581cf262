// Package opendata holds what every open-data export shares: pseudonymous
// participant ids and spreadsheet-safe CSV cells.
package opendata

import "strings"

// ParticipantID is the pseudonymous id of an author in open data: it says who
// wrote several contributions without saying who the person is, and differs
// from the account's internal id.
func ParticipantID(pseudonym string) string {
	return "urn:cocreate:participant:" + strings.ToLower(strings.TrimPrefix(pseudonym, "Participant "))
}

// SafeCell prefixes with an apostrophe a CSV cell that a spreadsheet would run
// as a formula.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
