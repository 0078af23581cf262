// Package opendata holds what every open-data export shares: participant ids
// (see Participants) and spreadsheet-safe CSV cells.
package opendata

import "strings"

// SafeCell prefixes with an apostrophe a CSV cell that a spreadsheet would run
// as a formula.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
