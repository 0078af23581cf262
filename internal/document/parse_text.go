package document

// The plain-text reader of the importer.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	listLineRE     = regexp.MustCompile(`^\s*(?:[-*•‣◦▪–]|\d{1,3}[.)]|[a-z][.)])\s+\S`)
	numberedHeadRE = regexp.MustCompile(`^(?:(Part|Chapter|Section|Annex|Appendix)\s+([IVXLC]+|\d+)[.:]?|(\d{1,2}(?:\.\d{1,2}){0,4})\.?)\s+\S`)
)

// parseText reads plain text: blank lines separate blocks; a line holding a tab
// is a table row; a line starting with a bullet or a number and a separator is
// a list item (indented or unmarked lines that follow continue it); a block of
// one short line that is numbered ("2.3 Title", "Part II. Title") or written in
// capitals is a heading; everything else is a paragraph whose lines are joined.
func parseText(src string) []Parsed {
	var out []Parsed
	for _, chunk := range splitChunks(src) {
		if len(chunk) == 1 {
			if h, ok := textHeading(chunk[0]); ok {
				out = appendBlock(out, h)
				continue
			}
		}
		var cur *Parsed
		flush := func() {
			if cur != nil {
				out = appendBlock(out, *cur)
				cur = nil
			}
		}
		for _, line := range chunk {
			switch {
			case strings.Contains(line, "\t"):
				flush()
				out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(strings.Split(strings.TrimSpace(line), "\t"))})
			case listLineRE.MatchString(line):
				flush()
				cur = &Parsed{Kind: KindListItem, Text: line}
			default:
				if cur == nil {
					cur = &Parsed{Kind: KindParagraph}
				}
				cur.Text += " " + line
			}
		}
		flush()
	}
	return out
}

func splitChunks(src string) [][]string {
	var chunks [][]string
	var cur []string
	for _, line := range strings.Split(src, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				chunks = append(chunks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

func textHeading(line string) (Parsed, bool) {
	t := collapse(line)
	if t == "" || utf8.RuneCountInString(t) > 120 || strings.Contains(line, "\t") {
		return Parsed{}, false
	}
	if m := numberedHeadRE.FindStringSubmatch(t); m != nil {
		if m[1] != "" {
			return Parsed{Kind: KindHeading, Level: 1, Section: m[2], Text: t}, true
		}
		if strings.HasSuffix(t, ".") && utf8.RuneCountInString(t) > 60 {
			return Parsed{}, false // a numbered sentence, not a title
		}
		level := min(strings.Count(m[3], ".")+2, 6)
		return Parsed{Kind: KindHeading, Level: level, Section: m[3], Text: t}, true
	}
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 3 && upper == letters && utf8.RuneCountInString(t) <= 80 {
		return Parsed{Kind: KindHeading, Level: 2, Text: t}, true
	}
	return Parsed{}, false
}
