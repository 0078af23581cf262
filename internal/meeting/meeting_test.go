package meeting_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/forum"
	"cocreate/internal/meeting"
	"cocreate/internal/moderation"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// start is the clock's first reading: 1 March 2027, 09:00 UTC (10:00 in Paris).
var start = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture is a public process with an owner, a forum of two members, a
// moderator, and citizens.
type fixture struct {
	*apptest.Env
	slug                string
	owner, moderator    auth.Principal
	gov, civil, citizen auth.Principal
	other               auth.Principal // another process's owner
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sys := apptest.New(t, apptest.Options{Start: start, AppRole: true})
	f := &fixture{Env: sys, slug: "plan-2027"}
	sys.Process(t, f.slug, process.PhaseDrafting)
	sys.Process(t, "plan-other", process.PhaseDrafting)
	require.NoError(t, sys.Owner.Exec("UPDATE processes SET published_at = now()").Error)
	ps := sys.People(t, 6)
	f.owner, f.moderator, f.gov, f.civil, f.citizen, f.other = ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]
	sys.Grant(t, f.slug, f.owner, process.RoleOwner)
	sys.Grant(t, f.slug, f.moderator, process.RoleModerator)
	sys.Grant(t, f.slug, f.gov, process.RoleForumMember, process.SeatGovernment)
	sys.Grant(t, f.slug, f.civil, process.RoleForumMember, process.SeatCivilSociety)
	sys.Grant(t, "plan-other", f.other, process.RoleOwner)
	return f
}

// input is a valid open meeting, on 4 May 2027 in Paris.
func input() meeting.Input {
	return meeting.Input{Kind: meeting.KindOpen, Title: "Open meeting on the draft plan", Starts: "2027-05-04T18:30", Ends: "2027-05-04T20:30",
		TimeZone: "Europe/Paris", Place: "City hall, room 2", RemoteURL: "https://meet.example.org/plan", Agenda: "1. **Budget**\n2. Open data"}
}

// published creates and publishes a meeting from in.
func (f *fixture) published(t *testing.T, in meeting.Input) meeting.Meeting {
	t.Helper()
	m, err := f.Meetings.Create(context.Background(), f.owner, f.slug, in)
	require.NoError(t, err)
	m, err = f.Meetings.Publish(context.Background(), f.owner, m.ID)
	require.NoError(t, err)
	return m
}

func (f *fixture) count(t *testing.T, table, where string, args ...any) int64 {
	t.Helper()
	return pgtest.Count(t, f.Owner, table, where, args...)
}

func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "not an application error: %v", err)
	require.Equal(t, code, e.Code, e.Message)
}

// fieldOf is the field of a validation error.
func fieldOf(t *testing.T, err error) string {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "not an application error: %v", err)
	require.Equal(t, "meeting.invalid", e.Code)
	require.NotEmpty(t, e.Fields)
	return e.Fields[0].Field
}

// TestMeetingsAreCheckedAndOwned: times are read in their IANA zone (a time
// the clocks skip is refused), remote links are https only, a meeting has a
// place or a link, only open meetings take a capacity; only the process's
// owners create, edit and publish, and a draft is theirs to see.
func TestMeetingsAreCheckedAndOwned(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, c := range []struct {
		name, field string
		change      func(*meeting.Input)
	}{
		{"an unknown zone", "time_zone", func(in *meeting.Input) { in.TimeZone = "Mars/Olympus_Mons" }},
		{"the server's zone", "time_zone", func(in *meeting.Input) { in.TimeZone = "Local" }},
		{"a path for a zone", "time_zone", func(in *meeting.Input) { in.TimeZone = "../../etc/passwd" }},
		{"no zone", "time_zone", func(in *meeting.Input) { in.TimeZone = "" }},
		{"a time the clocks skip", "starts", func(in *meeting.Input) { in.Starts, in.Ends = "2027-03-28T02:30", "2027-03-28T04:00" }},
		{"not a time", "starts", func(in *meeting.Input) { in.Starts = "4 May, evening" }},
		{"an offset instead of wall time", "starts", func(in *meeting.Input) { in.Starts = "2027-05-04T18:30:00+02:00" }},
		{"ending before it starts", "ends", func(in *meeting.Input) { in.Ends = "2027-05-04T18:00" }},
		{"lasting over a week", "ends", func(in *meeting.Input) { in.Ends = "2027-05-14T18:00" }},
		{"a plain http link", "remote_url", func(in *meeting.Input) { in.RemoteURL = "http://meet.example.org/plan" }},
		{"a script link", "remote_url", func(in *meeting.Input) { in.RemoteURL = "javascript:alert(1)" }},
		{"a link with a password", "remote_url", func(in *meeting.Input) { in.RemoteURL = "https://me:secret@meet.example.org/" }},
		{"neither place nor link", "place", func(in *meeting.Input) { in.Place, in.RemoteURL = "", "" }},
		{"no title", "title", func(in *meeting.Input) { in.Title = "  " }},
		{"an unknown kind", "kind", func(in *meeting.Input) { in.Kind = "party" }},
		{"a capacity for a forum meeting", "capacity", func(in *meeting.Input) { in.Kind, in.Capacity = meeting.KindForum, new(10) }},
		{"no places", "capacity", func(in *meeting.Input) { in.Capacity = new(0) }},
		{"an agenda too long", "agenda", func(in *meeting.Input) { in.Agenda = strings.Repeat("x", meeting.MaxAgendaChars+1) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := input()
			c.change(&in)
			_, err := f.Meetings.Create(ctx, f.owner, f.slug, in)
			require.Equal(t, c.field, fieldOf(t, err))
		})
	}
	for _, who := range []auth.Principal{f.gov, f.moderator, f.citizen, f.other, {}} {
		_, err := f.Meetings.Create(ctx, who, f.slug, input())
		requireCode(t, err, "meeting.forbidden")
	}
	require.EqualValues(t, 0, f.count(t, "meetings", "true"))

	// Only a link, in winter time in New York.
	in := input()
	in.Place, in.TimeZone, in.Starts, in.Ends = "", "America/New_York", "2027-01-12T09:00", "2027-01-12T10:00"
	m, err := f.Meetings.Create(ctx, f.owner, f.slug, in)
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 1, 12, 14, 0, 0, 0, time.UTC), m.StartsAt.UTC())
	require.Equal(t, "2027-01-12T09:00", meeting.Wall(m.StartsAt, m.Location()))

	m, err = f.Meetings.Create(ctx, f.owner, f.slug, input())
	require.NoError(t, err)
	require.False(t, m.Published())
	require.Equal(t, time.Date(2027, 5, 4, 16, 30, 0, 0, time.UTC), m.StartsAt.UTC(), "18:30 in Paris in May is 16:30 UTC")
	require.Contains(t, m.AgendaHTML, "<strong>Budget</strong>")
	for _, who := range []auth.Principal{f.citizen, f.gov, f.other, {}} {
		_, err := f.Meetings.Get(ctx, who, m.ID)
		requireCode(t, err, "meeting.not_found")
	}
	page, err := f.Meetings.List(ctx, f.citizen, f.slug, meeting.Upcoming, "", 10)
	require.NoError(t, err)
	require.Empty(t, page.Items, "drafts are the owners'")
	page, err = f.Meetings.List(ctx, f.owner, f.slug, meeting.Upcoming, "", 10)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.True(t, page.Manage)
	page, err = f.Meetings.List(ctx, f.owner, f.slug, meeting.Past, "", 10)
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "January's is over")
	require.Equal(t, "America/New_York", page.Items[0].TimeZone)

	_, err = f.Meetings.Publish(ctx, f.gov, m.ID)
	requireCode(t, err, "meeting.not_found")
	m, err = f.Meetings.Publish(ctx, f.owner, m.ID)
	require.NoError(t, err)
	_, err = f.Meetings.Publish(ctx, f.owner, m.ID)
	requireCode(t, err, "meeting.already_published")
	got, err := f.Meetings.Get(ctx, auth.Principal{}, m.ID)
	require.NoError(t, err)
	require.False(t, got.Viewer.Manage)

	// Edits: the owner's, on the revision read.
	edit := input()
	edit.Title, edit.Revision = "Open meeting, moved", m.Revision
	_, err = f.Meetings.Update(ctx, f.civil, m.ID, edit)
	requireCode(t, err, "meeting.forbidden")
	edit.Revision = m.Revision - 1
	_, err = f.Meetings.Update(ctx, f.owner, m.ID, edit)
	requireCode(t, err, "meeting.stale")
	edit.Revision = m.Revision
	m, err = f.Meetings.Update(ctx, f.owner, m.ID, edit)
	require.NoError(t, err)
	require.Equal(t, "Open meeting, moved", m.Title)

	// A process prepared unpublished shows nothing of its meetings.
	require.NoError(t, f.Owner.Exec("UPDATE processes SET published_at = NULL WHERE slug = ?", f.slug).Error)
	_, err = f.Meetings.Get(ctx, f.citizen, m.ID)
	requireCode(t, err, "meeting.not_found")
	_, err = f.Meetings.List(ctx, auth.Principal{}, f.slug, meeting.Upcoming, "", 10)
	requireCode(t, err, "process.not_found")
	_, err = f.Meetings.Frequency(ctx, auth.Principal{}, f.slug)
	requireCode(t, err, "process.not_found")
	_, err = f.Meetings.Get(ctx, f.owner, m.ID)
	require.NoError(t, err)
}

// TestRegistrationIsExactUnderConcurrency: 200 people register at once for
// 50 places: exactly 50 get one, 150 wait in order. A place given up goes
// to the first waiting, who is e-mailed; a larger capacity fills from the
// list; a smaller one than the places given is refused.
func TestRegistrationIsExactUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	in := input()
	in.Capacity = new(50)
	m := f.published(t, in)
	people := f.People(t, 200)
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Meetings.Register(ctx, p, m.ID)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.EqualValues(t, 50, f.count(t, "meeting_registrations", "meeting_id = ? AND status = 'confirmed'", m.ID))
	require.EqualValues(t, 150, f.count(t, "meeting_registrations", "meeting_id = ? AND status = 'waiting'", m.ID))
	got, err := f.Meetings.Get(ctx, auth.Principal{}, m.ID)
	require.NoError(t, err)
	require.Equal(t, 50, got.Confirmed)
	require.Equal(t, 150, got.Waiting)

	// Positions run 1..150 in order of arrival; registering again changes nothing.
	var order []int64
	require.NoError(t, f.Owner.Raw("SELECT user_id FROM meeting_registrations WHERE meeting_id = ? AND status = 'waiting' ORDER BY seq", m.ID).
		Scan(&order).Error)
	seen := map[int]bool{}
	for _, p := range people {
		got, err := f.Meetings.Register(ctx, p, m.ID)
		require.NoError(t, err)
		r := got.Viewer.Registration
		require.NotNil(t, r)
		if r.Status == meeting.StatusWaiting {
			require.False(t, seen[r.Position])
			seen[r.Position] = true
			require.Equal(t, order[r.Position-1], p.UserID)
		}
	}
	require.Len(t, seen, 150)
	require.EqualValues(t, 200, f.count(t, "meeting_registrations", "meeting_id = ?", m.ID))

	var confirmed int64
	require.NoError(t, f.Owner.Raw("SELECT user_id FROM meeting_registrations WHERE meeting_id = ? AND status = 'confirmed' LIMIT 1", m.ID).
		Scan(&confirmed).Error)
	_, err = f.Meetings.Unregister(ctx, auth.Principal{UserID: confirmed, Verified: true}, m.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, f.count(t, "meeting_registrations", "meeting_id = ? AND user_id = ? AND status = 'confirmed'", m.ID, order[0]),
		"the first waiting gets the place")
	require.EqualValues(t, 1, f.count(t, "outbox", "kind = 'meeting_place' AND user_id = ?", order[0]))
	require.EqualValues(t, 50, f.count(t, "meeting_registrations", "meeting_id = ? AND status = 'confirmed'", m.ID))
	_, err = f.Meetings.Unregister(ctx, auth.Principal{UserID: confirmed, Verified: true}, m.ID)
	requireCode(t, err, "meeting.not_registered")

	edit := input()
	edit.Revision, edit.Capacity = got.Revision, new(49)
	_, err = f.Meetings.Update(ctx, f.owner, m.ID, edit)
	require.Equal(t, "capacity", fieldOf(t, err))
	edit.Kind, edit.Capacity = meeting.KindForum, nil
	_, err = f.Meetings.Update(ctx, f.owner, m.ID, edit)
	require.Equal(t, "kind", fieldOf(t, err), "people registered: it stays open")
	edit.Kind, edit.Capacity = meeting.KindOpen, new(55)
	_, err = f.Meetings.Update(ctx, f.owner, m.ID, edit)
	require.NoError(t, err)
	require.EqualValues(t, 55, f.count(t, "meeting_registrations", "meeting_id = ? AND status = 'confirmed'", m.ID))
	require.EqualValues(t, 6, f.count(t, "outbox", "kind = 'meeting_place'"))

	// Only open meetings, until they end, for active accounts.
	forumIn := input()
	forumIn.Kind = meeting.KindForum
	fm := f.published(t, forumIn)
	_, err = f.Meetings.Register(ctx, f.citizen, fm.ID)
	requireCode(t, err, "meeting.no_registration")
	_, err = f.Meetings.Register(ctx, auth.Principal{}, m.ID)
	requireCode(t, err, "meeting.contribute_forbidden")
	_, err = f.Meetings.Register(ctx, auth.Principal{UserID: f.citizen.UserID, Verified: true, Suspended: true}, m.ID)
	requireCode(t, err, "meeting.contribute_forbidden")
	f.Clock.Advance(m.EndsAt.Sub(f.Now()))
	_, err = f.Meetings.Register(ctx, f.citizen, m.ID)
	requireCode(t, err, "meeting.registration_closed")
	regs, err := f.Meetings.Registrations(ctx, f.owner, m.ID)
	require.NoError(t, err)
	require.Len(t, regs, 199)
	_, err = f.Meetings.Registrations(ctx, f.citizen, m.ID)
	requireCode(t, err, "meeting.forbidden")
}

// TestAgendaInputIsModerated: written input passes the moderation screen as
// comments do. In pre-moderation it waits in the queue, seen by its author
// only, until a moderator approves it; it closes when the meeting starts.
func TestAgendaInputIsModerated(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := f.published(t, input())
	in, err := f.Meetings.AddInput(ctx, f.citizen, m.ID, "Please put **transport** on the agenda.")
	require.NoError(t, err)
	require.Equal(t, meeting.InputPublished, in.Status, "post-moderation publishes at once")
	_, err = f.Meetings.AddInput(ctx, f.citizen, m.ID, "Please put **transport** on the agenda.")
	requireCode(t, err, "moderation.duplicate")
	for _, bad := range []string{"", "   ", strings.Repeat("x", meeting.MaxInputChars+1)} {
		_, err := f.Meetings.AddInput(ctx, f.citizen, m.ID, bad)
		requireCode(t, err, "meeting.invalid")
	}
	_, err = f.Meetings.AddInput(ctx, auth.Principal{}, m.ID, "Hello")
	requireCode(t, err, "meeting.contribute_forbidden")

	_, err = f.Moderation.PutSettings(ctx, f.owner, f.slug, moderation.Settings{Mode: moderation.ModePre, FlagThreshold: 3})
	require.NoError(t, err)
	held, err := f.Meetings.AddInput(ctx, f.gov, m.ID, "Could we hear the transport union?")
	require.NoError(t, err)
	require.Equal(t, meeting.InputPending, held.Status)
	require.EqualValues(t, 1, f.count(t, "moderation_items", "meeting_input_id = ? AND state = 'open'", held.ID))
	mine, err := f.Meetings.Inputs(ctx, f.gov, m.ID)
	require.NoError(t, err)
	require.Len(t, mine, 2, "the author sees their held input")
	public, err := f.Meetings.Inputs(ctx, auth.Principal{}, m.ID)
	require.NoError(t, err)
	require.Len(t, public, 1)

	// The moderator decides it in the queue, like a comment.
	it, err := f.Moderation.Claim(ctx, f.moderator, f.slug, moderation.QueueFilter{Target: "agenda_input", Limit: 10})
	require.NoError(t, err)
	require.Equal(t, held.ID, *it.MeetingInputID)
	require.Equal(t, m.ID, *it.MeetingID)
	d, err := f.Moderation.Detail(ctx, f.moderator, it.ID)
	require.NoError(t, err)
	require.Equal(t, m.Title, d.Context)
	_, err = f.Moderation.Decide(ctx, f.moderator, it.ID, moderation.DecisionInput{Outcome: moderation.OutcomeRedact,
		RedactedBody: "Could we hear [a union]?", Version: it.Version})
	require.NoError(t, err)
	public, err = f.Meetings.Inputs(ctx, auth.Principal{}, m.ID)
	require.NoError(t, err)
	require.Len(t, public, 2)
	require.Equal(t, "Could we hear [a union]?", public[1].Body)
	require.EqualValues(t, 1, f.count(t, "moderation_redactions", "item_id = ? AND original_body = 'Could we hear the transport union?'", it.ID))
	require.EqualValues(t, 1, f.count(t, "outbox", "kind = 'moderation_redact' AND subject LIKE '%input to a meeting''s agenda%'"))

	rejected, err := f.Meetings.AddInput(ctx, f.civil, m.ID, "Buy cheap watches at spam.example")
	require.NoError(t, err)
	var item struct {
		ID      int64
		Version int
	}
	require.NoError(t, f.Owner.Raw("SELECT id, version FROM moderation_items WHERE meeting_input_id = ?", rejected.ID).Scan(&item).Error)
	_, err = f.Moderation.Decide(ctx, f.moderator, item.ID, moderation.DecisionInput{Outcome: moderation.OutcomeReject,
		Reason: moderation.ReasonSpam, Explanation: "Advertising.", Version: item.Version})
	require.NoError(t, err)
	require.EqualValues(t, 1, f.count(t, "meeting_inputs", "id = ? AND status = 'rejected'", rejected.ID))

	f.Clock.Advance(m.StartsAt.Sub(f.Now()))
	_, err = f.Meetings.AddInput(ctx, f.citizen, m.ID, "Too late?")
	requireCode(t, err, "meeting.input_closed")
	require.EqualValues(t, 3, f.count(t, "meeting_inputs", "meeting_id = ?", m.ID))
}

// TestMinutesAreImmutable: minutes are published once the meeting has
// started, with the forum members present and a count of others; a version
// never changes (the database refuses it, even to the owner's role), a
// correction is the next version with its reason, and both stay.
func TestMinutesAreImmutable(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	in := input()
	in.Kind = meeting.KindForum
	draft, err := f.Meetings.Create(ctx, f.owner, f.slug, in)
	require.NoError(t, err)
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, draft.ID, meeting.MinutesInput{Body: "We met."})
	requireCode(t, err, "meeting.not_published")
	m, err := f.Meetings.Publish(ctx, f.owner, draft.ID)
	require.NoError(t, err)
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "We met."})
	requireCode(t, err, "meeting.not_held")
	f.Clock.Advance(m.StartsAt.Sub(f.Now()) + time.Hour)

	terms, err := f.Forum.Institution(ctx, f.owner, f.slug)
	require.NoError(t, err)
	var members []int64
	for _, ms := range terms.Memberships {
		members = append(members, ms.ID)
	}
	require.Len(t, members, 2)
	outsider := f.People(t, 1)[0]
	f.Grant(t, "plan-other", outsider, process.RoleForumMember, process.SeatOther)
	var foreign int64
	require.NoError(t, f.Owner.Raw("SELECT id FROM forum_memberships WHERE user_id = ?", outsider.UserID).Scan(&foreign).Error)
	for _, c := range []struct {
		name, field string
		in          meeting.MinutesInput
	}{
		{"no text and no document", "body", meeting.MinutesInput{Body: "  "}},
		{"a member of another forum", "attendees", meeting.MinutesInput{Body: "We met.", Attendees: []int64{foreign}}},
		{"a negative count", "others_present", meeting.MinutesInput{Body: "We met.", OthersPresent: -1}},
		{"a reason for a first version", "correction_reason", meeting.MinutesInput{Body: "We met.", CorrectionReason: "Why?"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.Meetings.PublishMinutes(ctx, f.owner, m.ID, c.in)
			if c.field == "attendees" {
				requireCode(t, err, "meeting.invalid")
				return
			}
			require.Equal(t, c.field, fieldOf(t, err))
		})
	}
	_, err = f.Meetings.PublishMinutes(ctx, f.gov, m.ID, meeting.MinutesInput{Body: "We met."})
	requireCode(t, err, "meeting.forbidden")
	require.EqualValues(t, 0, f.count(t, "meeting_minutes", "true"))

	m, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "We agreed on **three** commitments.",
		Attendees: []int64{members[0], members[1], members[0]}, OthersPresent: 12})
	require.NoError(t, err)
	require.Len(t, m.Minutes, 1)
	require.Len(t, m.Minutes[0].Attendees, 2)
	require.Equal(t, 12, m.Minutes[0].OthersPresent)
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "Rewritten."})
	requireCode(t, err, "meeting.minutes_published")
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "Corrected.", Corrects: 1})
	require.Equal(t, "correction_reason", fieldOf(t, err))

	// The database refuses any change, to the application and to the owner.
	err = f.DB.Exec("UPDATE meeting_minutes SET body = 'Changed.' WHERE meeting_id = ?", m.ID).Error
	require.ErrorContains(t, err, "permission denied")
	err = f.DB.Exec("DELETE FROM meeting_attendees WHERE meeting_id = ?", m.ID).Error
	require.ErrorContains(t, err, "permission denied")
	err = f.Owner.Exec("UPDATE meeting_minutes SET body = 'Changed.' WHERE meeting_id = ?", m.ID).Error
	require.ErrorContains(t, err, "immutable")

	m, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "We agreed on **four** commitments.",
		Attendees: members, OthersPresent: 12, Corrects: 1, CorrectionReason: "The fourth commitment was left out."})
	require.NoError(t, err)
	require.Len(t, m.Minutes, 2, "both versions stay")
	require.Equal(t, 2, m.Minutes[0].Version)
	require.Contains(t, m.Minutes[1].BodyHTML, "<strong>three</strong>")
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{Body: "Again.", Corrects: 1, CorrectionReason: "Stale."})
	requireCode(t, err, "meeting.minutes_stale")

	// Minutes kept in the process's repository, not another's.
	var mine, theirs int64
	for slug, id := range map[string]*int64{f.slug: &mine, "plan-other": &theirs} {
		require.NoError(t, f.Owner.Raw(`INSERT INTO repository_items (process_id, kind, title, document_date, language, external_url)
			SELECT id, 'minutes', 'Minutes of 4 May', '2027-05-04', 'en', 'https://docs.example.org/minutes.pdf' FROM processes WHERE slug = ?
			RETURNING id`, slug).Scan(id).Error)
	}
	_, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{RepositoryItemID: &theirs, Corrects: 2, CorrectionReason: "The signed copy."})
	require.Equal(t, "repository_item_id", fieldOf(t, err))
	m, err = f.Meetings.PublishMinutes(ctx, f.owner, m.ID, meeting.MinutesInput{RepositoryItemID: &mine, Corrects: 2, CorrectionReason: "The signed copy."})
	require.NoError(t, err)
	require.Equal(t, "Minutes of 4 May", *m.Minutes[0].RepositoryTitle)
	require.EqualValues(t, 3, f.count(t, "meeting_minutes", "meeting_id = ?", m.ID))
}

// TestFrequency: the forum's published meetings that took place, counted
// per quarter of their own local date, against the terms' target; open,
// draft and future meetings do not count.
func TestFrequency(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.Forum.SetTerms(ctx, f.owner, f.slug, forum.TermsInput{MeetingsPerQuarter: 2})
	require.NoError(t, err)
	at := func(kind meeting.Kind, starts string, publish bool) {
		in := input()
		in.Kind, in.Capacity, in.Starts = kind, nil, starts
		in.Ends = starts[:11] + "23:59"
		m, err := f.Meetings.Create(ctx, f.owner, f.slug, in)
		require.NoError(t, err)
		if publish {
			_, err = f.Meetings.Publish(ctx, f.owner, m.ID)
			require.NoError(t, err)
		}
	}
	at(meeting.KindForum, "2027-01-10T10:00", true)
	at(meeting.KindForum, "2027-02-10T10:00", true)
	at(meeting.KindForum, "2027-04-01T00:30", true) // 31 March 22:30 UTC: the second quarter in Paris
	at(meeting.KindOpen, "2027-02-11T10:00", true)
	at(meeting.KindForum, "2027-03-01T10:00", false)
	at(meeting.KindForum, "2027-06-30T10:00", true) // not yet
	f.Clock.Advance(45 * 24 * time.Hour)            // 15 April 2027
	fr, err := f.Meetings.Frequency(ctx, auth.Principal{}, f.slug)
	require.NoError(t, err)
	require.Equal(t, 2, fr.Target)
	held := map[string]int{}
	for _, q := range fr.Quarters {
		held[fmt.Sprintf("%d-Q%d", q.Year, q.Quarter)] = q.Held
	}
	require.Equal(t, 2, held["2027-Q1"])
	require.Equal(t, 1, held["2027-Q2"])
	last := fr.Quarters[len(fr.Quarters)-1]
	require.True(t, last.Current)
	require.Equal(t, 2027, last.Year)
	require.Equal(t, 2, last.Quarter)
}
