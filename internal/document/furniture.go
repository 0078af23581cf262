package document

// Page furniture: what a page adds around a document's text when it is
// copied out of a PDF or a printed layout (running headers and footers, page
// numbers, tables of contents with dot leaders). The importer drops it, so
// that nobody is asked to comment on "Page 3 of 12", and says what it dropped.

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"cocreate/internal/database"
)

// DropReason says why the importer left a line out of a version's text.
type DropReason string

// The reasons a line is dropped.
const (
	DropRunningLine DropReason = "running_line" // a running page header or footer: a short line repeated on the pages
	DropPageNumber  DropReason = "page_number"  // "Page 3 of 12", "- 3 -", or lone numbers counting up
	DropContents    DropReason = "contents"     // a table-of-contents line: a title, dot leaders, a page number
	DropLeader      DropReason = "leader"       // a line of dots or rule characters only
)

// Dropped is a line the importer left out, why, and how many times it
// occurred (all page numbers are one entry, named by the first).
type Dropped struct {
	Text   string     `json:"text"`
	Reason DropReason `json:"reason"`
	Count  int        `json:"count"`
}

// DroppedLines is what an import dropped, stored with its version as a
// jsonb array.
type DroppedLines = database.JSONArray[Dropped]

// maxDroppedText is how much of a dropped line is kept to show (a line of
// leaders can be long; what it is matters, not all of it).
const maxDroppedText = 200

var (
	// leaderRE is a line of leader or rule characters only (at least four).
	leaderRE = regexp.MustCompile(`^[.…·•_=*~\-–—\s]*$`)
	// contentsRE is a table-of-contents line: a title, a run of leaders, a page number.
	contentsRE = regexp.MustCompile(`^\S.{0,200}?\s*(?:(?:\.\s?){3,}\.|…{2,}|_{4,}|·{4,})\s*(?:\d{1,4}|[ivxlc]{1,7})$`)
	// contentsTitleRE is the title of a table of contents.
	contentsTitleRE = regexp.MustCompile(`(?i)^(?:(?:table of )?contents|sommaire|table des matières|índice|contenido|inhalt|inhaltsverzeichnis|目录|目錄|目次)$`)
	// pageNumberRE is a line that is a page number however it is dressed,
	// possibly after a running title ("Engagement Plan | Page 3").
	pageNumberRE = regexp.MustCompile(`(?i)^(?:.{1,80}?\s*[|–—•·-]\s*)?(?:page|p\.|pg\.?|página|pagina|seite|стр\.?)\s*\d{1,4}(?:\s*(?:of|/|sur|de|von|из)\s*\d{1,4})?$|^[-–—(\[]\s*\d{1,4}\s*[-–—)\]]$|^\d{1,3}\s*(?:/|of|sur)\s*\d{1,3}$|^第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?$`)
	// bareNumberRE is a lone number, a page number when such numbers count up.
	bareNumberRE = regexp.MustCompile(`^\d{1,3}$`)
)

// furnItem is one line (of plain text) or paragraph (of a marked-up
// source) that may be furniture; page breaks are items too.
type furnItem struct {
	text       string // collapsed
	eligible   bool   // a line or paragraph of text, not a table row, list item or heading
	standalone bool   // the line has blank lines (or the document's edges) around it
	pageBreak  bool   // a form feed
}

// furniture decides which items are page furniture: reasons[i] is why item
// i is dropped ("" for kept), and dropped lists them in order of first
// occurrence.
func furniture(items []furnItem) ([]DropReason, []Dropped) {
	reasons := make([]DropReason, len(items))
	marker := make([]bool, len(items)) // a page boundary: a break or a page number
	var bare []int
	for i, it := range items {
		marker[i] = it.pageBreak
		if !it.eligible || it.text == "" {
			continue
		}
		switch {
		case utf8.RuneCountInString(strings.Join(strings.Fields(it.text), "")) >= 4 && leaderRE.MatchString(it.text):
			reasons[i] = DropLeader
		case contentsRE.MatchString(it.text):
			reasons[i] = DropContents
		case pageNumberRE.MatchString(it.text):
			reasons[i], marker[i] = DropPageNumber, true
		case it.standalone && bareNumberRE.MatchString(it.text):
			bare = append(bare, i)
		}
	}
	// Lone numbers are page numbers when there are several and they count
	// up page by page; a lone figure ("312") is text.
	if len(bare) >= 2 && countsUp(items, bare) {
		for _, i := range bare {
			reasons[i], marker[i] = DropPageNumber, true
		}
	}
	// A contents title goes with the contents it heads.
	for i, it := range items {
		if it.eligible && reasons[i] == "" && contentsTitleRE.MatchString(it.text) {
			if j := nextText(items, i); j >= 0 && reasons[j] == DropContents {
				reasons[i] = DropContents
			}
		}
	}
	// A short line repeated at least three times is a running header or
	// footer when it stands at page boundaries (beside page numbers or
	// breaks) or is the document's running title (its first line). Without
	// either it is the text's own label ("EXAMPLE" before each example) and stays.
	first := nextText(items, -1)
	seen := map[string][]int{}
	for i, it := range items {
		if it.eligible && reasons[i] == "" && it.text != "" && utf8.RuneCountInString(it.text) <= 80 && !strings.HasSuffix(it.text, ".") {
			seen[it.text] = append(seen[it.text], i)
		}
	}
	for text, at := range seen {
		if len(at) < 3 {
			continue
		}
		beside := 0
		for _, i := range at {
			if nearMarker(items, marker, i) {
				beside++
			}
		}
		if (beside >= 2 && 2*beside >= len(at)) || (first >= 0 && items[first].text == text) {
			for _, i := range at {
				reasons[i] = DropRunningLine
			}
		}
	}
	var dropped []Dropped
	index := map[string]int{}
	for i, r := range reasons {
		if r == "" {
			continue
		}
		key := string(r) + "\x00" + items[i].text
		if r == DropPageNumber {
			key = string(r) // one entry for all page numbers
		}
		if k, ok := index[key]; ok {
			dropped[k].Count++
			continue
		}
		index[key] = len(dropped)
		text := items[i].text
		if utf8.RuneCountInString(text) > maxDroppedText {
			text = string([]rune(text)[:maxDroppedText-1]) + "…"
		}
		dropped = append(dropped, Dropped{Text: text, Reason: r, Count: 1})
	}
	return reasons, dropped
}

// countsUp reports whether the lone numbers at the given items go up by one
// to three each time, as page numbers do.
func countsUp(items []furnItem, at []int) bool {
	prev := -1
	for _, i := range at {
		n, _ := strconv.Atoi(items[i].text)
		if prev >= 0 && (n <= prev || n-prev > 3) {
			return false
		}
		prev = n
	}
	return true
}

// nextText returns the index of the first item with text after i, or -1.
func nextText(items []furnItem, i int) int {
	for j := i + 1; j < len(items); j++ {
		if items[j].text != "" {
			return j
		}
	}
	return -1
}

// nearMarker reports whether a page marker is within two items of item i.
func nearMarker(items []furnItem, marker []bool, i int) bool {
	for d := -2; d <= 2; d++ {
		if j := i + d; d != 0 && j >= 0 && j < len(items) && marker[j] {
			return true
		}
	}
	return false
}

// dropFurnitureBlocks drops the paragraphs of a marked-up source that are
// page furniture (a Word file's contents lines, page numbers typed as text).
func dropFurnitureBlocks(blocks []Parsed) ([]Parsed, []Dropped) {
	items := make([]furnItem, len(blocks))
	for i, b := range blocks {
		items[i] = furnItem{text: b.Text, eligible: b.Kind == KindParagraph, standalone: true}
	}
	reasons, dropped := furniture(items)
	if len(dropped) == 0 {
		return blocks, nil
	}
	kept := blocks[:0:0]
	for i, b := range blocks {
		if reasons[i] == "" {
			kept = append(kept, b)
		}
	}
	return kept, dropped
}

// dropFurnitureLines drops the lines of plain text that are page furniture.
// A paragraph that a page break cut in two (it stops without a full stop
// and goes on in lower case after the dropped lines) is joined again.
func dropFurnitureLines(src string) ([]string, []Dropped) {
	lines := strings.Split(strings.ReplaceAll(src, "\f", "\n\f\n"), "\n")
	items := make([]furnItem, len(lines))
	for i, line := range lines {
		t := collapse(line)
		items[i] = furnItem{text: t, eligible: t != "" && !strings.Contains(line, "\t"), pageBreak: strings.Contains(line, "\f")}
	}
	for i := range items {
		if items[i].text != "" {
			items[i].standalone = (i == 0 || items[i-1].text == "") && (i+1 == len(items) || items[i+1].text == "")
		}
	}
	// Items are the non-blank lines, so that "within two" counts lines of text.
	var compact []furnItem
	var at []int
	for i, it := range items {
		if it.text != "" || it.pageBreak {
			compact = append(compact, it)
			at = append(at, i)
		}
	}
	reasons, dropped := furniture(compact)
	if len(dropped) == 0 {
		return lines, nil
	}
	drop := make([]bool, len(lines))
	for k, r := range reasons {
		drop[at[k]] = r != ""
	}
	var out []string
	last := ""                     // the last kept line of text
	blank, skipped := false, false // since it: a blank line, a dropped line
	for i, line := range lines {
		switch {
		case drop[i]:
			skipped = true
		case items[i].text == "":
			blank = true
		default:
			if joined := skipped && continues(last, items[i].text); blank && !joined {
				out = append(out, "")
			}
			out = append(out, line)
			last, blank, skipped = items[i].text, false, false
		}
	}
	return out, dropped
}

// continues reports whether next goes on with the sentence that prev leaves
// unfinished.
func continues(prev, next string) bool {
	if prev == "" {
		return false
	}
	end, _ := utf8.DecodeLastRuneInString(prev)
	if strings.ContainsRune(".!?:;。！？…\"”’)", end) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return r >= 'a' && r <= 'z' || strings.ContainsRune("àâäçéèêëîïôöùûüÿñáíóú", r)
}
