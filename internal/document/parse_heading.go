package document

// Headings in plain text: the shapes a plan's headings take (numbered,
// lettered, "Part II", "一、", all capitals, title case) and the lines that
// look like them but are not (dates, closings and signatures, sentences,
// numbers). A heading's section is the number it wrote, never one made up.

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// label is the number a heading starts with.
type label struct {
	text  string // as written, with its closing "." or ")" but not a ":" or dash after it
	style string // the numbering scheme: "decimal-2", "roman", "letter", "word:part", "cjk", ...
	rest  string // the heading's words after the label
	value int    // the letter's place in the alphabet, for a lettered label
}

var (
	wordLabelRE   = regexp.MustCompile(`(?i)^(part|chapter|section|annex|appendix|article|schedule|title|partie|chapitre|titre|annexe|anexo|cap[íi]tulo|parte|teil|kapitel|anhang)\s+([ivxlcdm]+|\d{1,3}|[a-z])\b([.)])?`)
	cjkChapterRE  = regexp.MustCompile(`^第[一二三四五六七八九十百零〇两0-9０-９]+[章节節部编編篇条條款项項回]`)
	cjkNumberRE   = regexp.MustCompile(`^[一二三四五六七八九十百]+[、．.]`)
	cjkParenRE    = regexp.MustCompile(`^[（(][一二三四五六七八九十百]+[）)]`)
	decimalRE     = regexp.MustCompile(`^(\d{1,2}(?:\.\d{1,2}){0,5})([.、．])?(?:\s|$)`)
	romanLabelRE  = regexp.MustCompile(`^([IVXLC]{1,6})[.)](?:\s|$)`)
	letterLabelRE = regexp.MustCompile(`^([A-Z])[.)](?:\s|$)`)
	romanRE       = regexp.MustCompile(`^X{0,3}(?:IX|IV|V?I{0,3})$`)
	numericDateRE = regexp.MustCompile(`^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$|^\d{4}年\d{1,2}月(?:\d{1,2}日)?$`)
	ordinalRE     = regexp.MustCompile(`^(\d{1,4})(?:st|nd|rd|th|er|e|º|°)?$`)
)

// headingLabel returns the number text starts with. strict (for headings
// that markup already made headings) asks a single number to be closed by a
// dot, so that "10 Commitments for 2027" is not section 10.
func headingLabel(text string, strict bool) (label, bool) {
	t := collapse(text)
	if isDate(t) {
		return label{}, false
	}
	after := func(n int) string { return strings.TrimLeft(strings.TrimSpace(t[n:]), ":–—- ") }
	if m := wordLabelRE.FindStringSubmatchIndex(t); m != nil {
		word := strings.ToLower(t[m[2]:m[3]])
		return label{text: t[:m[1]], style: "word:" + word, rest: after(m[1])}, true
	}
	for _, c := range []struct {
		re    *regexp.Regexp
		style string
	}{{cjkChapterRE, "cjk-chapter"}, {cjkNumberRE, "cjk"}, {cjkParenRE, "cjk-paren"}} {
		if loc := c.re.FindStringIndex(t); loc != nil {
			style := c.style
			if style == "cjk-chapter" {
				last, _ := utf8.DecodeLastRuneInString(t[:loc[1]])
				style += ":" + string(last) // 章 above 节
			}
			return label{text: t[:loc[1]], style: style, rest: strings.TrimSpace(t[loc[1]:])}, true
		}
	}
	if m := decimalRE.FindStringSubmatch(t); m != nil {
		depth := strings.Count(m[1], ".") + 1
		if strict && depth == 1 && m[2] == "" {
			return label{}, false
		}
		text := m[1] + m[2]
		return label{text: text, style: "decimal-" + strconv.Itoa(depth), rest: strings.TrimSpace(t[len(text):])}, true
	}
	if m := romanLabelRE.FindStringSubmatch(t); m != nil && romanRE.MatchString(m[1]) && len(m[1]) > 1 {
		return label{text: t[:len(m[1])+1], style: "roman", rest: strings.TrimSpace(t[len(m[1])+1:])}, true
	}
	if m := letterLabelRE.FindStringSubmatch(t); m != nil {
		l := label{text: t[:2], style: "letter", rest: strings.TrimSpace(t[2:]), value: int(m[1][0]-'A') + 1}
		if m[1] == "I" || m[1] == "V" || m[1] == "X" {
			l.style = "roman-or-letter"
		}
		return l, true
	}
	return label{}, false
}

var (
	months = setOf("january february march april may june july august september october november december " +
		"jan feb mar apr jun jul aug sep sept oct nov dec " +
		"janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre " +
		"enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre " +
		"januar februar märz maerz juni juli oktober dezember")
	dateWords = setOf("monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche " +
		"lunes martes miércoles jueves viernes sábado domingo montag dienstag mittwoch donnerstag freitag samstag sonntag " +
		"the of le de del den")
	closings = setOf("yours sincerely|sincerely|sincerely yours|yours faithfully|faithfully|yours truly|kind regards|best regards|"+
		"warm regards|with best regards|with kind regards|regards|best wishes|respectfully|respectfully yours|cordialement|"+
		"bien cordialement|sincères salutations|atentamente|saludos cordiales|mit freundlichen grüßen|此致|此致敬礼|敬礼", "|")
	minorWords = setOf("a an the and or nor but of in on at to for by with from into over as per via vs v " +
		"de del la le les des du et en y e o da do dos das di und der die das von zu für im am")
)

func setOf(words string, sep ...string) map[string]bool {
	split := strings.Fields(words)
	if len(sep) > 0 {
		split = strings.Split(words, sep[0])
	}
	out := make(map[string]bool, len(split))
	for _, w := range split {
		out[w] = true
	}
	return out
}

// isDate reports whether t is a date and nothing else: "31 March 2014",
// "Monday, March 31st, 2014", "31/03/2014", "2014年3月31日".
func isDate(t string) bool {
	if numericDateRE.MatchString(t) {
		return true
	}
	month, number := false, false
	for _, w := range strings.Fields(strings.ToLower(t)) {
		w = strings.Trim(w, ",.")
		switch {
		case months[w]:
			month = true
		case ordinalRE.MatchString(w):
			number = true
		case dateWords[w]:
		default:
			return false
		}
	}
	return month && number
}

// isClosing reports whether t closes a letter ("Yours sincerely,").
func isClosing(t string) bool {
	return closings[strings.ToLower(strings.TrimRight(collapse(t), ",.!"))]
}

// titleCase reports whether every word of t that is not a small word
// ("of", "the", "and") starts with a capital, the first word too, and t has
// at least one capital; words without letters do not count.
func titleCase(t string) bool {
	words := strings.Fields(t)
	if len(words) > 12 {
		return false
	}
	capitals := 0
	for i, w := range words {
		var first rune
		for _, r := range w {
			if unicode.IsLetter(r) {
				first = r
				break
			}
		}
		switch {
		case first == 0:
		case unicode.IsUpper(first):
			capitals++
		case !unicode.IsLower(first): // a script without capitals
		case i > 0 && minorWords[strings.ToLower(strings.Trim(w, "(),:;'\"’“”"))]:
		default:
			return false
		}
	}
	return capitals > 0
}

// allCapitals reports whether t has at least three letters and all its
// cased letters are capitals.
func allCapitals(t string) bool {
	letters, cased := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsUpper(r) {
				cased++
			}
		}
	}
	return letters >= 3 && cased == letters
}

// textHeadings finds the headings of plain text and gives them levels.
type textHeadings struct {
	numbered   []string // the numbering styles of the open numbered headings, outermost first
	sub        []string // the styles of the open unnumbered headings under them
	title      bool     // the first heading is unnumbered: the document's title
	count      int      // headings so far
	lastLetter int      // the last lettered heading's letter (1 for A), 0 for none
	lastRoman  int      // the last roman-numbered heading's value
	signature  bool     // after a letter's closing: short lines are its signature
}

// strength of a heading shape: a numbered one stands on its own; an
// unnumbered one in title case needs text after it.
const (
	notHeading = iota
	weakHeading
	strongHeading
)

// shape says whether line, alone between blank lines, has a heading's shape,
// and returns its label (empty for an unnumbered heading) and style.
func (h *textHeadings) shape(line string) (label, int) {
	t := collapse(line)
	n := utf8.RuneCountInString(t)
	if t == "" || n > 120 || strings.Contains(line, "\t") || bulletRE.MatchString(line) || isDate(t) || isClosing(t) {
		return label{}, notHeading
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(",;", last) {
		return label{}, notHeading // a salutation, or a line of a list
	}
	if l, ok := headingLabel(t, false); ok {
		if l.rest == "" && !strings.HasPrefix(l.style, "word:") && !strings.HasPrefix(l.style, "cjk") {
			return label{}, notHeading // a number on its own
		}
		if strings.HasSuffix(l.rest, ".") || utf8.RuneCountInString(l.rest) > 100 {
			return label{}, notHeading // a numbered sentence
		}
		if first, _ := utf8.DecodeRuneInString(l.rest); unicode.IsLower(first) {
			return label{}, notHeading
		}
		switch l.style {
		case "roman-or-letter":
			// "I." after "H." is a letter; otherwise I, V and X are roman
			// numerals, in order: "V. Smith" is a name.
			value := map[byte]int{'I': 1, 'V': 5, 'X': 10}[l.text[0]]
			switch {
			case h.lastLetter > 0 && h.lastLetter == l.value-1:
				l.style = "letter"
			case value == 1 || value == h.lastRoman+1:
				l.style, l.value = "roman", value
			default:
				return label{}, notHeading
			}
		case "roman":
			l.value = romanValue(strings.TrimRight(l.text, ".)"))
		case "letter":
			// A lettered heading starts at A or follows the letter before
			// it: "J. Smith" is a name.
			if l.value != 1 && l.value != h.lastLetter+1 {
				return label{}, notHeading
			}
		}
		return l, strongHeading
	}
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "…") {
		return label{}, notHeading
	}
	if numbersOnlyRE.MatchString(t) {
		return label{}, notHeading
	}
	if allCapitals(t) && n <= 80 {
		return label{style: "capitals"}, strongHeading
	}
	if titleCase(t) && n <= 80 {
		return label{style: "title"}, weakHeading
	}
	return label{}, notHeading
}

var numbersOnlyRE = regexp.MustCompile(`^[\d\s.,:;/()\-–%]+$`)

func romanValue(s string) int {
	v := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		if i+1 < len(s) && v[s[i]] < v[s[i+1]] {
			total -= v[s[i]]
		} else {
			total += v[s[i]]
		}
	}
	return total
}

// heading returns the heading that chunk (a block of lines between blank
// lines) is, if it is one; next is the chunk after it (nil at the end).
func (h *textHeadings) heading(chunk, next []string) (Parsed, bool) {
	if len(chunk) != 1 {
		h.signature = false
		return Parsed{}, false
	}
	line := chunk[0]
	if isClosing(line) {
		h.signature = true
		return Parsed{}, false
	}
	if h.signature && utf8.RuneCountInString(collapse(line)) <= 80 {
		return Parsed{}, false // a name, a title, an office under a signature
	}
	h.signature = false
	l, strength := h.shape(line)
	if strength == weakHeading && !h.bodyFollows(next) {
		strength = notHeading
	}
	if strength == notHeading {
		return Parsed{}, false
	}
	switch l.style {
	case "letter":
		h.lastLetter = l.value
	case "roman":
		h.lastRoman = l.value
	}
	return Parsed{Kind: KindHeading, Level: h.level(l), Section: l.text, Text: collapse(line)}, true
}

// bodyFollows reports whether the chunk after an unnumbered title-case line
// is text it could head: a paragraph, a list, a table, a date (under a
// title), or a numbered heading.
// A short line after it (a name under a name, a glossary's next entry) is not.
func (h *textHeadings) bodyFollows(next []string) bool {
	if next == nil {
		return false
	}
	if len(next) > 1 {
		return true
	}
	t := collapse(next[0])
	if utf8.RuneCountInString(t) >= 60 || strings.Contains(next[0], "\t") || bulletRE.MatchString(next[0]) || isDate(t) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(".!?:;。！？", last) {
		return true
	}
	peek := *h
	l, strength := peek.shape(next[0])
	return strength == strongHeading && l.text != ""
}

// level places a heading of the given numbering style ("" for an
// unnumbered one, whose style is then its typography): a numbered heading
// beside the last one of its own style (above deeper decimal numbers), under
// the numbered ones of other styles open above it; an unnumbered heading under
// the numbered heading it follows, as a sub-heading of its section (the
// document's first heading, when unnumbered, is its title, above all). So
// levels follow the document's own numbering and never skip one.
func (h *textHeadings) level(l label) int {
	defer func() { h.count++ }()
	title := 0
	if h.title {
		title = 1
	}
	if l.text == "" {
		if h.count == 0 {
			h.title = true
			return 1
		}
		n := len(h.sub)
		for i, s := range h.sub {
			if s == l.style {
				n = i
				break
			}
		}
		h.sub = append(h.sub[:n], l.style)
		return min(title+len(h.numbered)+len(h.sub), 6)
	}
	depth := func(s string) int {
		if d, ok := strings.CutPrefix(s, "decimal-"); ok {
			n, _ := strconv.Atoi(d)
			return n
		}
		return 0
	}
	d := depth(l.style)
	n := len(h.numbered)
	for i, s := range h.numbered {
		if s == l.style || (d > 0 && depth(s) > d) {
			n = i
			break
		}
		if d > 0 && depth(s) > 0 {
			n = i + 1 // "2.1" goes right under the open "2", whatever is under it
		}
	}
	h.numbered = append(h.numbered[:n], l.style)
	h.sub = nil
	return min(title+len(h.numbered), 6)
}
