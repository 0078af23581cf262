package main

// W15: the owner's Word import, through the API. The shared toolkit draft,
// made a Word file by pandoc, is imported as a new version of a published,
// commented draft and previewed, three times (the figure is the median); then
// the largest .docx the limits accept is found: the 5,000-block limit for a
// file of text, the upload limit (UPLOAD_MAX_BYTES) for one that carries
// pictures.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/config"
	"cocreate/internal/document"
)

// w15Comments is how many comments the published version carries.
const w15Comments = 1000

func (e *env) w15(ctx context.Context) (result, error) {
	raw, err := os.ReadFile(e.o.toolkit)
	if err != nil {
		return result{}, fmt.Errorf("the toolkit draft (-toolkit): %w", err)
	}
	blocks, err := document.Parse(document.FormatText, string(raw))
	if err != nil {
		return result{}, err
	}
	dir := filepath.Join(e.tmp, "w15")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return result{}, err
	}
	cfg, err := config.LoadFrom(map[string]string{}) // the server runs with the defaults
	if err != nil {
		return result{}, err
	}

	// Version 1, published, with comments on every fifth paragraph.
	md := markdownOf(blocks, nil)
	docs := e.app.Documents
	d, err := docs.Create(ctx, auth.System, "bench-plan", document.CreateInput{Title: "Bench toolkit W15", Language: "en"})
	if err != nil {
		return result{}, err
	}
	_, v1, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: md})
	if err != nil {
		return result{}, err
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, v1.Number); err != nil {
		return result{}, err
	}
	if err := e.db.Exec(`INSERT INTO comments (root_id, document_id, version_id, paragraph_key, author_id, body, body_html,
			anchor_version_id, anchor_key, anchor_status)
		SELECT 0, ?, b.version_id, b.key, (SELECT min(id) FROM users), 'Bench comment ' || g, '<p>Bench comment</p>', b.version_id, b.key, 'exact'
		FROM generate_series(0, ? - 1) g
		JOIN blocks b ON b.version_id = ? AND b.position = (g * 5) % (SELECT count(*) FROM blocks WHERE version_id = ?)`,
		d.ID, w15Comments, v1.ID, v1.ID).Error; err != nil {
		return result{}, err
	}
	if err := e.db.Exec("UPDATE comments SET root_id = id WHERE document_id = ? AND root_id = 0", d.ID).Error; err != nil {
		return result{}, err
	}

	// The revised draft as a Word file: one paragraph in twenty reworded, a
	// quarter of them commented on.
	revised, err := pandocDocx(dir, "toolkit", markdownOf(blocks, func(i int, s string) string {
		if i%20 == 5 {
			return s + " (Revised after the first round of comments.)"
		}
		return s
	}))
	if err != nil {
		return result{}, err
	}
	admin, err := e.adminToken(ctx)
	if err != nil {
		return result{}, err
	}
	slow := &http.Client{Timeout: cfg.ImportTimeout + 2*time.Minute}
	var imports, previews, totals []float64
	var pv struct {
		Changes  map[string]int `json:"changes"`
		Comments map[string]int `json:"comments"`
	}
	var nblocks int
	for range 3 {
		t0 := time.Now()
		status, body, err := uploadDraft(slow, e.base, admin, d.ID, "toolkit.docx", revised)
		if err != nil {
			return result{}, err
		}
		if status != http.StatusCreated {
			return result{}, fmt.Errorf("import: %d %s", status, body)
		}
		var v struct {
			Number int               `json:"number"`
			Blocks []json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return result{}, err
		}
		nblocks = len(v.Blocks)
		t1 := time.Now()
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d/versions/%d/preview", e.base, d.ID, v.Number), nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		res, err := slow.Do(req)
		if err != nil {
			return result{}, err
		}
		pb, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return result{}, fmt.Errorf("preview: %s %s", res.Status, pb)
		}
		if err := json.Unmarshal(pb, &pv); err != nil {
			return result{}, err
		}
		t2 := time.Now()
		imports = append(imports, ms(t1.Sub(t0)))
		previews = append(previews, ms(t2.Sub(t1)))
		totals = append(totals, ms(t2.Sub(t0)))
	}
	r := result{Scenario: "W15", Connections: 1, Requests: 6, P50ms: median(totals), P99ms: maxOf(totals)}
	r.DurationS = round(sum(totals) / 1000)
	r.RPS = round(6 / (sum(totals) / 1000))
	forecast := 0
	for _, n := range pv.Comments {
		forecast += n
	}
	check := fmt.Sprintf("toolkit .docx %d KB, %d blocks: import median %.0f ms, preview median %.0f ms (changes %v, comments %v)",
		len(revised)/1024, nblocks, median(imports), median(previews), pv.Changes, pv.Comments)
	if forecast != w15Comments {
		r.Errors++
		check = fmt.Sprintf("FAILED: the preview counts %d of %d comments; %s", forecast, w15Comments, check)
	}

	// The largest file of text: MaxBlocks paragraphs are accepted, one more is refused.
	largest, err := e.w15Largest(slow, dir, admin, blocks)
	if err != nil {
		return r, err
	}
	// The largest file with pictures: just under UPLOAD_MAX_BYTES is accepted, just over is refused (413).
	padded, err := e.w15Padded(slow, admin, revised, cfg.UploadMaxBytes)
	if err != nil {
		return r, err
	}
	r.Check = "ok: " + check + "; " + largest + "; " + padded
	if strings.Contains(largest+padded, "FAILED") {
		r.Errors++
		r.Check = "FAILED: " + check + "; " + largest + "; " + padded
	}
	return r, nil
}

// w15Largest imports Word files of exactly MaxBlocks and MaxBlocks+1
// toolkit paragraphs into a document of their own.
func (e *env) w15Largest(c *http.Client, dir, admin string, blocks []document.Parsed) (string, error) {
	d, err := e.app.Documents.Create(context.Background(), auth.System, "bench-plan", document.CreateInput{Title: "Bench largest W15", Language: "en"})
	if err != nil {
		return "", err
	}
	var out []string
	for _, n := range []int{document.MaxBlocks, document.MaxBlocks + 1} {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%s\n\n", escapeMarkdown(blocks[i%len(blocks)].Text))
		}
		file, err := pandocDocx(dir, fmt.Sprintf("blocks-%d", n), b.String())
		if err != nil {
			return "", err
		}
		t0 := time.Now()
		status, body, err := uploadDraft(c, e.base, admin, d.ID, "large.docx", file)
		if err != nil {
			return "", err
		}
		took := time.Since(t0)
		want := http.StatusCreated
		if n > document.MaxBlocks {
			want = http.StatusUnprocessableEntity
		}
		verdict := "as expected"
		if status != want || (status == http.StatusUnprocessableEntity && !bytes.Contains(body, []byte(`"blocks"`))) {
			verdict = fmt.Sprintf("FAILED (want %d): %.200s", want, body)
		}
		out = append(out, fmt.Sprintf("%d paragraphs: .docx %d KB -> %d in %.1f s, %s", n, len(file)/1024, status, took.Seconds(), verdict))
	}
	return "text: " + strings.Join(out, "; "), nil
}

// w15Padded imports the toolkit's Word file padded with a picture's worth of
// random bytes to just under, then just over, the upload limit.
func (e *env) w15Padded(c *http.Client, admin string, docx []byte, limit int64) (string, error) {
	d, err := e.app.Documents.Create(context.Background(), auth.System, "bench-plan", document.CreateInput{Title: "Bench padded W15", Language: "en"})
	if err != nil {
		return "", err
	}
	var out []string
	for _, target := range []int64{limit - 64<<10, limit + 1} {
		file, err := padDocx(docx, target)
		if err != nil {
			return "", err
		}
		t0 := time.Now()
		status, body, err := uploadDraft(c, e.base, admin, d.ID, "padded.docx", file)
		if err != nil {
			return "", err
		}
		want := http.StatusCreated
		if int64(len(file)) > limit {
			want = http.StatusRequestEntityTooLarge
		}
		verdict := "as expected"
		if status != want {
			verdict = fmt.Sprintf("FAILED (want %d): %.200s", want, body)
		}
		out = append(out, fmt.Sprintf(".docx of %d bytes (%.2f MiB) -> %d in %.1f s, %s", len(file), float64(len(file))/(1<<20), status, time.Since(t0).Seconds(), verdict))
	}
	return "with pictures: " + strings.Join(out, "; "), nil
}

// padDocx adds an incompressible picture to a Word file so that it weighs
// exactly size bytes (a stored entry grows the file byte for byte).
func padDocx(docx []byte, size int64) ([]byte, error) {
	build := func(pad int64) ([]byte, error) {
		zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/media/picture.png", Method: zip.Store})
		if err != nil {
			return nil, err
		}
		if _, err := io.CopyN(w, rand.Reader, pad); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	empty, err := build(0)
	if err != nil {
		return nil, err
	}
	if size < int64(len(empty)) {
		return nil, fmt.Errorf("pad: %d bytes is less than the file itself", size)
	}
	return build(size - int64(len(empty)))
}

// uploadDraft posts file to the document's import route.
func uploadDraft(c *http.Client, base, token string, docID int64, name string, file []byte) (int, []byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return 0, nil, err
	}
	if _, err := fw.Write(file); err != nil {
		return 0, nil, err
	}
	if err := mw.Close(); err != nil {
		return 0, nil, err
	}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/documents/%d/imports", base, docID), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// pandocDocx converts Markdown to a Word file with pandoc.
func pandocDocx(dir, name, md string) ([]byte, error) {
	src, out := filepath.Join(dir, name+".md"), filepath.Join(dir, name+".docx")
	if err := os.WriteFile(src, []byte(md), 0o644); err != nil {
		return nil, err
	}
	if msg, err := exec.Command("pandoc", "--from=gfm", "--to=docx", "--output="+out, src).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("W15 makes its Word files with pandoc (Debian package pandoc): %v: %s", err, msg)
	}
	return os.ReadFile(out)
}

// markdownOf writes parsed blocks back as Markdown (headings, lists, tables,
// quotes), through edit when given.
func markdownOf(blocks []document.Parsed, edit func(i int, s string) string) string {
	var b strings.Builder
	cols := 0
	for i, bl := range blocks {
		text := bl.Text
		if edit != nil {
			text = edit(i, text)
		}
		if bl.Kind != document.KindTableRow && cols > 0 {
			cols = 0
			b.WriteString("\n")
		}
		switch bl.Kind {
		case document.KindHeading:
			fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", max(1, min(6, bl.Level))), escapeMarkdown(text))
		case document.KindListItem:
			fmt.Fprintf(&b, "- %s\n\n", escapeMarkdown(text))
		case document.KindQuote:
			fmt.Fprintf(&b, "> %s\n\n", escapeMarkdown(text))
		case document.KindTableRow:
			cells := strings.Split(bl.Text, "\t")
			if cols == 0 {
				cols = len(cells)
				fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(pipeCells(cells, cols), " | "), strings.Repeat("---|", cols))
				continue
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(pipeCells(cells, cols), " | "))
		default:
			fmt.Fprintf(&b, "%s\n\n", escapeMarkdown(text))
		}
	}
	return b.String()
}

func pipeCells(cells []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		if i < len(cells) {
			out[i] = strings.ReplaceAll(escapeMarkdown(cells[i]), "|", `\|`)
		}
	}
	return out
}

// escapeMarkdown keeps a plain paragraph one paragraph: characters that would
// start a list, a heading or a quote, or mark emphasis, are escaped.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, "#", `\#`)
	s = r.Replace(s)
	if m := orderedRE.FindStringIndex(s); m != nil {
		return s[:m[1]-1] + `\` + s[m[1]-1:] // "1. " would start a numbered list: "1\. "
	}
	if len(s) > 0 && strings.ContainsRune("-+>=", rune(s[0])) {
		s = `\` + s
	}
	return s
}

var orderedRE = regexp.MustCompile(`^\d{1,9}[.)]`)

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return round(s[len(s)/2])
}

func maxOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return round(m)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
