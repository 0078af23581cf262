package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/feeds"

	"cocreate/internal/auth"
	"cocreate/internal/document"
	"cocreate/internal/ledger"
	"cocreate/internal/meeting"
	"cocreate/internal/process"
)

// The feeds and calendars are read as an anonymous visitor, whoever asks:
// they show what is public and nothing else, so any cache may keep them.
const (
	feedMaxEntries = 50  // the newest entries of an Atom feed
	feedProcesses  = 100 // the newest published processes the site-wide feeds cover
	feedMaxAge     = "300"
)

// feedEntry is one entry of an Atom feed before it is written.
type feedEntry struct {
	id      string // a tag: URI, stable across requests
	title   string
	path    string // of the SPA page it links to
	updated time.Time
	html    string // sanitised HTML or escaped text
}

// feedTag is a stable tag: URI (RFC 4151) naming an object of this site.
func (h *handlers) feedTag(kind string, parts ...any) string {
	host := "cocreate"
	if u, err := url.Parse(h.cfg.PublicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = fmt.Sprint(p)
	}
	return "tag:" + host + ",2026:" + kind + ":" + strings.Join(s, ":")
}

// siteURL is PUBLIC_URL with path.
func (h *handlers) siteURL(path string) string {
	return strings.TrimRight(h.cfg.PublicURL, "/") + path
}

// phaseNames are the phases as a feed or a calendar names them.
var phaseNames = map[process.PhaseKind]string{
	process.PhaseAgendaSetting:  "Agenda setting",
	process.PhaseIdeaCollection: "Idea collection",
	process.PhaseDrafting:       "Drafting",
	process.PhasePublicComment:  "Public comment",
	process.PhaseResponse:       "Response",
	process.PhaseImplementation: "Implementation",
}

// publishedProcess reads a process by slug for the feeds: a process that is
// not public is not found, even by its owners.
func (h *handlers) publishedProcess(ctx context.Context, slug string) (process.Process, error) {
	p, err := h.processes.GetReadable(ctx, auth.Anonymous, slug)
	if err == nil && !p.Public() {
		err = process.ErrNotFound
	}
	return p, err
}

// publishedProcesses lists the newest published processes.
func (h *handlers) publishedProcesses(ctx context.Context) ([]process.Process, error) {
	page, err := h.processes.List(ctx, auth.Anonymous, "", feedProcesses)
	if err != nil {
		return nil, err
	}
	out := page.Items[:0:0]
	for _, p := range page.Items {
		if p.Public() {
			out = append(out, p)
		}
	}
	return out, nil
}

// publishedVersions lists the published versions of a process's documents.
func (h *handlers) publishedVersions(ctx context.Context, p process.Process) ([]document.Document, [][]document.Version, error) {
	docs, err := h.documents.ListForProcess(ctx, auth.Anonymous, p.Slug)
	if err != nil {
		return nil, nil, err
	}
	var ds []document.Document
	var vss [][]document.Version
	for _, d := range docs {
		doc, _, vs, err := h.documents.Get(ctx, auth.Anonymous, d.ID)
		if err != nil {
			return nil, nil, err
		}
		pub := vs[:0:0]
		for _, v := range vs {
			if v.Published() {
				pub = append(pub, v)
			}
		}
		ds = append(ds, doc)
		vss = append(vss, pub)
	}
	return ds, vss, nil
}

// processEntries gathers the public events of a process: draft versions
// published, phases opened, ledger entries and checkpoints, updates.
func (h *handlers) processEntries(ctx context.Context, p process.Process) ([]feedEntry, error) {
	now := h.now()
	var out []feedEntry
	docs, vss, err := h.publishedVersions(ctx, p)
	if err != nil {
		return nil, err
	}
	for i, d := range docs {
		for _, v := range vss[i] {
			body := "Version " + strconv.Itoa(v.Number) + " of " + d.Title + " is published."
			if v.ClosesAt != nil {
				body += " Comments are open until " + v.ClosesAt.UTC().Format(time.RFC1123) + "."
			}
			if v.Note != "" {
				body += "\n\n" + v.Note
			}
			out = append(out, feedEntry{
				id:    h.feedTag("version", v.ID),
				title: fmt.Sprintf("New draft version: %s (version %d)", d.Title, v.Number),
				path:  fmt.Sprintf("/documents/%d/v/%d", d.ID, v.Number), updated: *v.PublishedAt,
				html: textHTML(body),
			})
		}
	}
	for _, ph := range p.Phases {
		if now.Before(ph.OpensAt) {
			continue // a phase shows once it has opened
		}
		out = append(out, feedEntry{
			id: h.feedTag("phase", p.ID, ph.Kind), title: "Phase open: " + phaseNames[ph.Kind],
			path: "/processes/" + p.Slug, updated: ph.OpensAt,
			html: textHTML(fmt.Sprintf("%s is open from %s until %s.", phaseNames[ph.Kind],
				ph.OpensAt.UTC().Format(time.RFC1123), ph.ClosesAt.UTC().Format(time.RFC1123))),
		})
	}
	led, err := h.ledgerEntries(ctx, p)
	if err != nil {
		return nil, err
	}
	out = append(out, led...)
	page, _, err := h.updates.List(ctx, auth.Anonymous, p.Slug, "", feedMaxEntries)
	if err != nil {
		return nil, err
	}
	for _, u := range page.Items {
		at := u.PublishedAt
		if u.EditedAt != nil {
			at = *u.EditedAt
		}
		out = append(out, feedEntry{id: h.feedTag("update", u.ID), title: "Update: " + u.Title,
			path: "/processes/" + p.Slug + "/updates", updated: at, html: u.BodyHTML})
	}
	return out, nil
}

// ledgerEntries are the newest entries of a process's public ledger
// (responses, progress updates, close-out reports, rule changes) and its
// signed checkpoints, so readers can keep them outside the system.
func (h *handlers) ledgerEntries(ctx context.Context, p process.Process) ([]feedEntry, error) {
	entries, _, err := h.ledger.List(ctx, p.ID, ledger.Filter{Limit: feedMaxEntries})
	if err != nil {
		return nil, err
	}
	var out []feedEntry
	for _, e := range entries {
		var hd ledger.Header
		if err := json.Unmarshal(e.Fields, &hd); err != nil {
			return nil, fmt.Errorf("feed: ledger entry %d: %w", e.Seq, err)
		}
		at, _ := time.Parse(time.RFC3339, hd.RecordedAt)
		r, err := h.ledger.Render(e)
		if err != nil {
			return nil, err
		}
		fe := feedEntry{id: h.feedTag("ledger", p.ID, e.Seq), updated: at, path: "/processes/" + p.Slug + "/ledger"}
		hashes := textHTML(fmt.Sprintf("Ledger entry %d, hash %s.", e.Seq, e.Hash))
		switch r.Kind {
		case ledger.KindResponse:
			var f ledger.Fields
			_ = json.Unmarshal(e.Fields, &f)
			fe.title = "Response published: " + strings.ReplaceAll(f.Disposition, "_", " ")
			fe.path = fmt.Sprintf("/responses/%d", f.Response)
			fe.html = r.ReasoningHTML + hashes
		case ledger.KindProgressUpdate:
			var f ledger.ProgressUpdate
			_ = json.Unmarshal(e.Fields, &f)
			fe.title = "Progress update: " + f.CommitmentTitle
			fe.path = fmt.Sprintf("/progress-updates/%d", f.Update)
			fe.html = r.ProgressHTML + hashes
		case ledger.KindReport:
			var f ledger.CloseOutReport
			_ = json.Unmarshal(e.Fields, &f)
			fe.title = fmt.Sprintf("Close-out report %d published", f.Report)
			fe.path = fmt.Sprintf("/processes/%s/reports/%d", p.Slug, f.Report)
			fe.html = textHTML(fmt.Sprintf("Report %d, content SHA-256 %s.", f.Report, f.ContentSHA256)) + hashes
		default:
			fe.title = "Forum rule changed"
			fe.html = hashes
		}
		out = append(out, fe)
	}
	cps, err := h.ledger.Checkpoints(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if len(cps) > feedMaxEntries {
		cps = cps[len(cps)-feedMaxEntries:] // oldest first: keep the newest
	}
	for _, cp := range cps {
		out = append(out, feedEntry{
			id: h.feedTag("checkpoint", p.ID, cp.Seq, cp.KeyID), title: fmt.Sprintf("Ledger checkpoint at entry %d", cp.Seq),
			path: "/processes/" + p.Slug + "/ledger", updated: cp.SignedAt,
			html: textHTML(fmt.Sprintf("process: %s\nseq: %d\nhash: %s\nsigned_at: %s\nkey_id: %s\npublic_key: %s\nsignature: %s",
				cp.Process, cp.Seq, cp.Hash, ledger.Timestamp(cp.SignedAt), cp.KeyID, cp.PublicKey, cp.Signature)),
		})
	}
	return out, nil
}

// textHTML is plain text as HTML: escaped, paragraphs and line breaks kept.
func textHTML(s string) string {
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
	}
	return b.String()
}

// sendFeed writes entries, newest first and at most feedMaxEntries, as Atom.
func (h *handlers) sendFeed(c *gin.Context, title, path string, entries []feedEntry) {
	sort.SliceStable(entries, func(i, j int) bool {
		if !entries[i].updated.Equal(entries[j].updated) {
			return entries[i].updated.After(entries[j].updated)
		}
		return entries[i].id < entries[j].id
	})
	if len(entries) > feedMaxEntries {
		entries = entries[:feedMaxEntries]
	}
	f := &feeds.Feed{Title: title, Link: &feeds.Link{Href: h.siteURL(path)}}
	for _, e := range entries {
		if e.updated.After(f.Updated) {
			f.Updated = e.updated
		}
		f.Items = append(f.Items, &feeds.Item{
			Id: e.id, Title: e.title, Link: &feeds.Link{Href: h.siteURL(e.path)},
			Updated: e.updated.UTC(), Content: e.html,
		})
	}
	if f.Updated.IsZero() {
		f.Updated = time.Unix(0, 0)
	}
	f.Updated = f.Updated.UTC()
	body, err := f.ToAtom()
	if err != nil {
		h.fail(c, err)
		return
	}
	h.sendPublic(c, "application/atom+xml; charset=utf-8", []byte(body))
}

// sendPublic answers a public read that is not JSON, with an ETag.
func (h *handlers) sendPublic(c *gin.Context, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "public, max-age="+feedMaxAge)
	if matchesETag(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, contentType, body)
}

// processFeed handles GET /api/v1/processes/:slug/feed.atom.
func (h *handlers) processFeed(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := h.publishedProcess(ctx, c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	entries, err := h.processEntries(ctx, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.sendFeed(c, p.Title, "/processes/"+p.Slug, entries)
}

// siteFeed handles GET /api/v1/feed.atom: every published process's feed.
func (h *handlers) siteFeed(c *gin.Context) {
	ctx := c.Request.Context()
	ps, err := h.publishedProcesses(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	var all []feedEntry
	for _, p := range ps {
		all = append(all, feedEntry{id: h.feedTag("process", p.ID), title: "New process: " + p.Title,
			path: "/processes/" + p.Slug, updated: *p.PublishedAt, html: p.SummaryHTML})
		entries, err := h.processEntries(ctx, p)
		if err != nil {
			h.fail(c, err)
			return
		}
		for _, e := range entries {
			e.title = p.Title + ": " + e.title
			all = append(all, e)
		}
	}
	h.sendFeed(c, "Cocreate", "/", all)
}

// addProcessEvents adds a process's phases, comment windows and published
// meetings to cal, each with a UID that stays the same across requests.
func (h *handlers) addProcessEvents(ctx context.Context, cal *ics.Calendar, p process.Process) error {
	host := "cocreate"
	if u, err := url.Parse(h.cfg.PublicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	for _, ph := range p.Phases {
		ev := cal.AddEvent(fmt.Sprintf("phase-%d-%s@%s", p.ID, ph.Kind, host))
		ev.SetDtStampTime(p.UpdatedAt.UTC())
		ev.SetStartAt(ph.OpensAt.UTC())
		ev.SetEndAt(ph.ClosesAt.UTC())
		ev.SetSummary(p.Title + ": " + phaseNames[ph.Kind])
		ev.SetURL(h.siteURL("/processes/" + p.Slug))
	}
	docs, vss, err := h.publishedVersions(ctx, p)
	if err != nil {
		return err
	}
	for i, d := range docs {
		for _, v := range vss[i] {
			if v.ClosesAt == nil {
				continue
			}
			start := *v.PublishedAt
			if v.OpensAt != nil {
				start = *v.OpensAt
			}
			ev := cal.AddEvent(fmt.Sprintf("comments-%d@%s", v.ID, host))
			ev.SetDtStampTime(v.PublishedAt.UTC())
			ev.SetStartAt(start.UTC())
			ev.SetEndAt(v.ClosesAt.UTC())
			ev.SetSummary(fmt.Sprintf("%s: comments on %s (version %d)", p.Title, d.Title, v.Number))
			ev.SetDescription("The comment window closes at the end of this event.")
			ev.SetURL(h.siteURL(fmt.Sprintf("/documents/%d/v/%d", d.ID, v.Number)))
		}
	}
	for _, when := range []meeting.When{meeting.Past, meeting.Upcoming} {
		page, err := h.meetings.List(ctx, auth.Anonymous, p.Slug, when, "", meeting.MaxPageSize)
		if err != nil {
			return err
		}
		for _, m := range page.Items {
			ev := cal.AddEvent(fmt.Sprintf("meeting-%d@%s", m.ID, host))
			ev.SetDtStampTime(m.UpdatedAt.UTC())
			ev.SetSequence(m.Revision)
			ev.SetStartAt(m.StartsAt.UTC())
			ev.SetEndAt(m.EndsAt.UTC())
			ev.SetSummary(p.Title + ": " + m.Title)
			desc := "Time zone: " + m.TimeZone
			if m.RemoteURL != nil && *m.RemoteURL != "" {
				desc += "\nOnline: " + *m.RemoteURL
			}
			if m.Agenda != "" {
				desc += "\n\n" + m.Agenda
			}
			ev.SetDescription(desc)
			if m.Place != "" {
				ev.SetLocation(m.Place)
			}
			ev.SetURL(h.siteURL(fmt.Sprintf("/meetings/%d", m.ID)))
		}
	}
	return nil
}

// sendCalendar writes cal as text/calendar.
func (h *handlers) sendCalendar(c *gin.Context, cal *ics.Calendar) {
	h.sendPublic(c, "text/calendar; charset=utf-8", []byte(cal.Serialize(ics.WithNewLineWindows)))
}

func newCalendar(name string) *ics.Calendar {
	cal := ics.NewCalendarFor("Cocreate")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(name)
	return cal
}

// processCalendar handles GET /api/v1/processes/:slug/calendar.ics.
func (h *handlers) processCalendar(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := h.publishedProcess(ctx, c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	cal := newCalendar(p.Title)
	if err := h.addProcessEvents(ctx, cal, p); err != nil {
		h.fail(c, err)
		return
	}
	h.sendCalendar(c, cal)
}

// siteCalendar handles GET /api/v1/calendar.ics: every published process's.
func (h *handlers) siteCalendar(c *gin.Context) {
	ctx := c.Request.Context()
	ps, err := h.publishedProcesses(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	cal := newCalendar("Cocreate")
	for _, p := range ps {
		if err := h.addProcessEvents(ctx, cal, p); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.sendCalendar(c, cal)
}
