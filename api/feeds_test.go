package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"github.com/stretchr/testify/require"

	"cocreate/internal/demo"
)

// atomFeed is as much of an Atom document as the tests read.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Link    struct {
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Content string `xml:"content"`
}

func (e *testEnv) feed(t *testing.T, url, token string) (atomFeed, string) {
	t.Helper()
	rec := e.Do(t, http.MethodGet, url, token, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "application/atom+xml; charset=utf-8", rec.Header().Get("Content-Type"))
	require.Equal(t, "public, max-age=300", rec.Header().Get("Cache-Control"))
	var f atomFeed
	require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &f), rec.Body.String())
	return f, rec.Body.String()
}

func (e *testEnv) calendar(t *testing.T, url string) (*ics.Calendar, string) {
	t.Helper()
	rec := e.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "text/calendar; charset=utf-8", rec.Header().Get("Content-Type"))
	cal, err := ics.ParseCalendar(bytes.NewReader(rec.Body.Bytes()))
	require.NoError(t, err, rec.Body.String())
	return cal, rec.Body.String()
}

func titlesOf(f atomFeed) []string {
	out := make([]string, len(f.Entries))
	for i, e := range f.Entries {
		out[i] = e.Title
	}
	return out
}

// feedFixture is the visibility walk's process with everything hidden that
// it hides, plus an update with a hostile title, a draft meeting, an
// unpublished version, a signed checkpoint and an unpublished process.
type feedFixture struct {
	visibilityFixture
	processID, meeting, draftMeeting int64
}

func newFeedFixture(t *testing.T, env *testEnv) feedFixture {
	t.Helper()
	f := feedFixture{visibilityFixture: newVisibilityFixture(t, env)}
	hideAll(t, env, f.visibilityFixture)
	admin := env.AdminToken(t)
	require.NoError(t, env.DB.Raw("SELECT id FROM processes WHERE slug = ?", f.slug).Scan(&f.processID).Error)
	require.NoError(t, env.DB.Raw("SELECT id FROM meetings WHERE process_id = ? AND published_at IS NOT NULL", f.processID).Scan(&f.meeting).Error)

	rec := env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/updates", admin,
		`{"title":"Budget <script>alert('x')</script> & \"more\"","body":"The **draft** is out <img src=x onerror=alert(1)>."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	rec = env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/meetings", admin, `{"kind":"open","title":"zqdraftmeeting","starts":"2027-04-02T18:00",`+
		`"ends":"2027-04-02T19:00","time_zone":"Europe/Paris","place":"City hall","agenda":"Not yet"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	f.draftMeeting = decodeID(t, rec.Body.Bytes())

	var doc int64
	require.NoError(t, env.DB.Raw("SELECT id FROM documents WHERE process_id = ?", f.processID).Scan(&doc).Error)
	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": draftV1, "note": "zqunpublishedversion"})
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", doc), admin, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	_, err := env.Sys.Ledger.CheckpointAll(context.Background(), time.Now())
	require.NoError(t, err)
	env.createUnpublished(t, "plan-secret")
	return f
}

func TestProcessFeed(t *testing.T) {
	env := newTestEnv(t)
	f := newFeedFixture(t, env)
	url := "/api/v1/processes/" + f.slug + "/feed.atom"

	began := time.Now()
	feed, raw := env.feed(t, url, "")
	t.Logf("process feed: %d entries, %d bytes in %s", len(feed.Entries), len(raw), time.Since(began))
	require.Equal(t, "Visible plan", feed.Title)
	require.Equal(t, env.Config.PublicURL+"/processes/"+f.slug, feed.ID)
	titles := titlesOf(feed)
	for _, want := range []string{
		"New draft version: Draft plan (version 1)",
		"Phase open: Idea collection",
		"Response published: noted",
		"Progress update: Open contracting",
		`Update: Budget <script>alert('x')</script> & "more"`,
	} {
		require.Contains(t, titles, want)
	}
	require.NotContains(t, titles, "Phase open: Implementation", "a phase shows once it has opened")
	require.True(t, slices.ContainsFunc(titles, func(s string) bool { return strings.HasPrefix(s, "Ledger checkpoint at entry ") }), titles)
	require.Len(t, feed.Entries, len(titles))

	// Newest first, each with a tag: id and a link into the SPA.
	for i, e := range feed.Entries {
		require.True(t, strings.HasPrefix(e.ID, "tag:"), e.ID)
		require.True(t, strings.HasPrefix(e.Link.Href, env.Config.PublicURL+"/"), e.Link.Href)
		at, err := time.Parse(time.RFC3339, e.Updated)
		require.NoError(t, err)
		if i > 0 {
			prev, _ := time.Parse(time.RFC3339, feed.Entries[i-1].Updated)
			require.False(t, at.After(prev), "entry %d (%s) is newer than the one before it", i, e.Title)
		}
	}
	var response atomEntry
	for _, e := range feed.Entries {
		if e.Title == "Response published: noted" {
			response = e
		}
	}
	require.Equal(t, fmt.Sprintf("%s/responses/%d", env.Config.PublicURL, f.response), response.Link.Href)
	require.Contains(t, response.Content, "<strong>every</strong>", "the reasoning as sanitised HTML")

	// Hostile text is escaped in the XML, and the update's HTML is sanitised.
	require.NotContains(t, raw, "<script")
	require.NotContains(t, raw, "onerror")
	require.Contains(t, raw, "&lt;script&gt;")

	// Nothing hidden, held, unpublished or private.
	for marker, how := range f.hidden {
		require.NotContains(t, raw, marker, "the feed shows %s, hidden (%s)", marker, how)
	}
	require.NotContains(t, raw, "zqunpublishedversion")
	require.NotContains(t, raw, "version 2")
	require.NotContains(t, raw, "@example.org")

	// The same request gives the same bytes, ids included, and 304 on the ETag;
	// a signed-in owner reads the same public feed.
	rec := env.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, raw, rec.Body.String())
	etag := rec.Header().Get("ETag")
	require.NotEmpty(t, etag)
	rec = env.Do(t, http.MethodGet, url, "", "", "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, rec.Code)
	asAdmin, _ := env.feed(t, url, env.AdminToken(t))
	require.Equal(t, feed, asAdmin)

	// Unknown and unpublished processes are not found, even by an administrator.
	for _, u := range []string{"/api/v1/processes/no-such-plan/feed.atom", "/api/v1/processes/plan-secret/feed.atom"} {
		for _, tok := range []string{"", env.AdminToken(t)} {
			rec := env.Do(t, http.MethodGet, u, tok, "")
			require.Equal(t, http.StatusNotFound, rec.Code, u)
		}
	}

	// The site feed: every published process, never the unpublished one.
	site, siteRaw := env.feed(t, "/api/v1/feed.atom", "")
	siteTitles := titlesOf(site)
	require.Contains(t, siteTitles, "Visible plan: Response published: noted")
	require.Contains(t, siteTitles, "New process: Visible plan")
	require.NotContains(t, siteRaw, "plan-secret")
	require.LessOrEqual(t, len(site.Entries), 50)
	for marker := range f.hidden {
		require.NotContains(t, siteRaw, marker)
	}
}

// TestFeedIsBounded checks the feed keeps the newest 50 entries.
func TestFeedIsBounded(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	for i := range 55 {
		env.Clock.Advance(time.Second)
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/updates", admin, fmt.Sprintf(`{"title":"News %d","body":"Text"}`, i))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	feed, _ := env.feed(t, "/api/v1/processes/plan-2027/feed.atom", "")
	require.Len(t, feed.Entries, 50)
	require.Equal(t, "Update: News 54", feed.Entries[0].Title)
}

func TestProcessCalendar(t *testing.T) {
	env := newTestEnv(t)
	f := newFeedFixture(t, env)
	admin := env.AdminToken(t)
	// A title and an agenda that need escaping.
	rec := env.Do(t, http.MethodPatch, "/api/v1/processes/"+f.slug, admin, `{"title":"Plan; budgets, parks"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/meetings/%d", f.meeting), admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	revision := int(decode(t, rec)["revision"].(float64))
	agenda := "1. Budget; parks, trams\n2. " + strings.Repeat("A long item about open contracting ", 4) + strings.Repeat("é", 60)
	body, _ := json.Marshal(map[string]any{"revision": revision, "agenda": agenda, "kind": "open", "title": "Open meeting",
		"starts": "2027-04-01T18:00", "ends": "2027-04-01T19:00", "time_zone": "Europe/Paris", "place": "City hall"})
	rec = env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/meetings/%d", f.meeting), admin, string(body))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	url := "/api/v1/processes/" + f.slug + "/calendar.ics"
	began := time.Now()
	cal, raw := env.calendar(t, url)
	t.Logf("process calendar: %d events, %d bytes in %s", len(cal.Events()), len(raw), time.Since(began))
	events := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		events[ev.Id()] = ev
	}
	var version int64
	require.NoError(t, env.DB.Raw(`SELECT v.id FROM document_versions v JOIN documents d ON d.id = v.document_id
		WHERE d.process_id = ? AND v.published_at IS NOT NULL`, f.processID).Scan(&version).Error)
	host := "127.0.0.1"
	uids := []string{
		fmt.Sprintf("phase-%d-idea_collection@%s", f.processID, host),
		fmt.Sprintf("phase-%d-implementation@%s", f.processID, host),
		fmt.Sprintf("comments-%d@%s", version, host),
		fmt.Sprintf("meeting-%d@%s", f.meeting, host),
	}
	require.ElementsMatch(t, uids, keysOf(events), raw)

	phase := events[uids[0]]
	start, err := phase.GetStartAt()
	require.NoError(t, err)
	end, err := phase.GetEndAt()
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), start.UTC())
	require.Equal(t, time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), end.UTC())
	require.Equal(t, "Plan; budgets, parks: Idea collection", phase.GetProperty(ics.ComponentPropertySummary).Value)
	require.NotNil(t, phase.GetProperty(ics.ComponentPropertyDtstamp))

	comments := events[uids[2]]
	end, err = comments.GetEndAt()
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC), end.UTC(), "the comment deadline")

	m := events[uids[3]]
	start, err = m.GetStartAt()
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC), start.UTC(), "18:00 in Paris, in UTC")
	require.Equal(t, "City hall", m.GetProperty(ics.ComponentPropertyLocation).Value)
	require.Contains(t, m.GetProperty(ics.ComponentPropertyDescription).Value, strings.TrimSpace(agenda))

	// Escaped and folded as RFC 5545 says.
	require.Contains(t, raw, `SUMMARY:Plan\; budgets\, parks: Idea collection`)
	require.Contains(t, raw, `1. Budget\; parks\, trams\n2. A long`)
	for _, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		require.LessOrEqual(t, len(line), 75, "unfolded line %q", line)
		require.True(t, utf8.ValidString(line), "a line folded inside a character: %q", line)
	}
	require.NotContains(t, raw, "zqdraftmeeting")

	// The same UIDs and bytes on a second request.
	_, again := env.calendar(t, url)
	require.Equal(t, raw, again)

	for _, u := range []string{"/api/v1/processes/no-such-plan/calendar.ics", "/api/v1/processes/plan-secret/calendar.ics"} {
		rec := env.Do(t, http.MethodGet, u, admin, "")
		require.Equal(t, http.StatusNotFound, rec.Code, u)
	}

	site, siteRaw := env.calendar(t, "/api/v1/calendar.ics")
	require.Len(t, site.Events(), len(uids), "the unpublished process adds nothing")
	require.NotContains(t, siteRaw, "zqdraftmeeting")
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestFeedsOfTheDemo reads the site's feed and calendar over the demo's
// processes: both parse, and their cost is logged.
func TestFeedsOfTheDemo(t *testing.T) {
	env := newTestEnv(t)
	_, err := demo.Load(context.Background(), env.Sys.App)
	require.NoError(t, err)
	var published int
	require.NoError(t, env.DB.Raw("SELECT count(*) FROM processes WHERE published_at IS NOT NULL").Scan(&published).Error)

	began := time.Now()
	feed, raw := env.feed(t, "/api/v1/feed.atom", "")
	t.Logf("site feed over %d processes: %d entries, %d bytes in %s", published, len(feed.Entries), len(raw), time.Since(began))
	news := 0
	for _, e := range feed.Entries {
		if strings.HasPrefix(e.Title, "New process: ") {
			news++
		}
	}
	require.NotEmpty(t, feed.Entries)
	require.LessOrEqual(t, len(feed.Entries), 50)
	began = time.Now()
	env.feed(t, "/api/v1/feed.atom", "")
	t.Logf("site feed again: %s", time.Since(began))

	began = time.Now()
	cal, raw := env.calendar(t, "/api/v1/calendar.ics")
	t.Logf("site calendar over %d processes: %d events, %d bytes in %s (%d processes announced in the feed)", published, len(cal.Events()), len(raw), time.Since(began), news)
	var phases int
	require.NoError(t, env.DB.Raw("SELECT count(*) FROM process_phases ph JOIN processes p ON p.id = ph.process_id WHERE p.published_at IS NOT NULL").Scan(&phases).Error)
	require.GreaterOrEqual(t, len(cal.Events()), phases, "every phase of every published process")
}
