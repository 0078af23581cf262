package comment_test

import (
	"context"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/event"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

type fixture struct {
	db    *gorm.DB
	docs  *document.Service
	svc   *comment.Service
	docID int64
	actor auth.Principal
}

func newFixture(t *testing.T, md string) fixture {
	t.Helper()
	sys := apptest.New(t, apptest.Options{Clock: time.Now, Unscreened: true})
	sys.Process(t, "plan-test", process.PhasePublicComment)
	d, _, _ := sys.Draft(t, "plan-test", md)
	return fixture{db: sys.Owner, docs: sys.Documents, svc: sys.Comments, docID: d.ID, actor: sys.Person(t)}
}

// A comment whose statement starts before a publication commits but gets the
// document's lock after it is written on the old version; the sweep that
// follows every publication re-anchors it.
func TestStragglerOfAPublicationIsReanchored(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "First paragraph about budgets.\n\nSecond paragraph about contracts.\n")
	_, v1, b1, err := f.docs.Version(ctx, auth.Anonymous, f.docID, 0)
	require.NoError(t, err)
	_, v2, _, err := f.docs.Import(ctx, auth.System, f.docID, document.ImportInput{Format: document.FormatMarkdown,
		Source: "Second paragraph about contracts.\n\nFirst paragraph about budgets.\n"})
	require.NoError(t, err)
	_, err = comment.CurrentOf(f.svc, ctx, f.docID) // the writer already knows version 1 as the latest
	require.NoError(t, err)

	// A publication in progress: the exclusive lock is held, the version flagged.
	tx := f.db.Begin()
	require.NoError(t, tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", database.LockDocument, int32(f.docID)).Error)
	require.NoError(t, tx.Exec("UPDATE document_versions SET published_at = now() WHERE id = ?", v2.ID).Error)

	done := make(chan error, 1)
	go func() {
		_, err := f.svc.Create(ctx, f.actor, f.docID, comment.CreateInput{Key: b1[0].Key, Version: v1.Number, Body: "Raced with the publication"})
		done <- err
	}()
	require.Eventually(t, func() bool {
		var waiting int64
		f.db.Raw("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&waiting)
		return waiting > 0
	}, 5*time.Second, 10*time.Millisecond, "the comment waits for the document's lock")
	require.NoError(t, tx.Commit().Error)
	require.NoError(t, <-done)

	var c comment.Comment
	require.NoError(t, f.db.Where("body = ?", "Raced with the publication").Take(&c).Error)
	require.Equal(t, v1.ID, c.AnchorVersionID, "written on the old version after its re-anchoring")

	_, v2p, _, err := f.docs.Version(ctx, auth.Anonymous, f.docID, 0)
	require.NoError(t, err)
	require.Equal(t, v2.ID, v2p.ID)
	require.NoError(t, comment.ReanchorStragglers(f.svc, ctx, event.VersionPublished{DocumentID: f.docID, VersionID: v2p.ID,
		Number: v2p.Number, PreviousVersionID: &v1.ID}))
	require.NoError(t, f.db.Where("id = ?", c.ID).Take(&c).Error)
	require.Equal(t, v2.ID, c.AnchorVersionID)
	require.Contains(t, []string{"exact", "moved"}, c.AnchorStatus, "two swapped paragraphs: one of them counts as moved")
	require.Equal(t, b1[0].Key, *c.AnchorKey)
	var counted int
	require.NoError(t, f.db.Raw("SELECT coalesce(sum(comments), 0) FROM paragraph_counts WHERE document_id = ? AND paragraph_key = ?", f.docID, b1[0].Key).
		Scan(&counted).Error)
	require.Equal(t, 1, counted)
}

// The moderation hook moves a comment in and out of its paragraph's counts.
func TestSetStatusKeepsParagraphCounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "Only paragraph.\n")
	_, v, b, err := f.docs.Version(ctx, auth.Anonymous, f.docID, 0)
	require.NoError(t, err)
	c, err := f.svc.Create(ctx, f.actor, f.docID, comment.CreateInput{Key: b[0].Key, Version: v.Number, Body: "Held or shown"})
	require.NoError(t, err)
	_, err = f.svc.Cast(ctx, f.actor, c.ID, comment.Agree)
	require.NoError(t, err)
	counts := func() comment.Counts {
		m, _, err := f.svc.ParagraphCounts(ctx, f.docID)
		require.NoError(t, err)
		return m[b[0].Key]
	}
	require.Equal(t, comment.Counts{Comments: 1, Agree: 1}, counts())
	require.NoError(t, f.svc.SetStatus(ctx, c.ID, comment.StatusHidden))
	require.Equal(t, comment.Counts{}, counts())
	require.NoError(t, f.svc.SetStatus(ctx, c.ID, comment.StatusRejected))
	require.Equal(t, comment.Counts{}, counts(), "hidden to rejected changes nothing")
	_, err = f.svc.Cast(ctx, f.actor, c.ID, comment.Disagree)
	require.ErrorIs(t, err, comment.ErrNotReplyable, "no votes on a comment that is not shown")
	require.NoError(t, f.svc.SetStatus(ctx, c.ID, comment.StatusPublished))
	require.Equal(t, comment.Counts{Comments: 1, Agree: 1}, counts())
	require.ErrorIs(t, f.svc.SetStatus(ctx, 999999, comment.StatusHidden), comment.ErrNotFound)
}

// QUALITY.md R6: votes under 1,000 randomised concurrent schedules keep the
// counters equal to the votes, with at most one vote per person and comment.
func TestVotesUnderRandomSchedules(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "Only paragraph.\n")
	_, v, b, err := f.docs.Version(ctx, auth.Anonymous, f.docID, 0)
	require.NoError(t, err)
	c, err := f.svc.Create(ctx, f.actor, f.docID, comment.CreateInput{Key: b[0].Key, Version: v.Number, Body: "Vote on me"})
	require.NoError(t, err)
	var voters []auth.Principal
	require.NoError(t, f.db.Raw(`INSERT INTO users (email, display_name, pseudonym)
		SELECT 'voter' || g || '@example.org', 'Voter ' || g, 'Participant voter' || g FROM generate_series(1, 6) g RETURNING id AS user_id`).
		Scan(&voters).Error)

	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	schedules := 1000
	if testing.Short() {
		schedules = 100
	}
	for s := range schedules {
		n := 2 + rng.IntN(len(voters)-1)
		type op struct {
			vote  comment.Vote // 0 retracts
			delay time.Duration
		}
		plans := make([][]op, n)
		for i := range plans {
			for range 1 + rng.IntN(3) {
				plans[i] = append(plans[i], op{vote: []comment.Vote{comment.Agree, comment.Disagree, 0}[rng.IntN(3)], delay: time.Duration(rng.IntN(300)) * time.Microsecond})
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i, plan := range plans {
			wg.Add(1)
			go func(who auth.Principal, plan []op) {
				defer wg.Done()
				for _, o := range plan {
					time.Sleep(o.delay)
					var err error
					if o.vote == 0 {
						_, err = f.svc.Retract(ctx, who, c.ID)
					} else {
						_, err = f.svc.Cast(ctx, who, c.ID, o.vote)
					}
					if err != nil {
						errs <- err
					}
				}
			}(voters[i], plan)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("schedule %d: %v", s, err)
		}
		var got struct{ RowsA, RowsD, CountA, CountD, ParaA, ParaD, Dup int }
		require.NoError(t, f.db.Raw(`SELECT
			(SELECT count(*) FROM comment_votes WHERE comment_id = @c AND value = 1) AS rows_a,
			(SELECT count(*) FROM comment_votes WHERE comment_id = @c AND value = -1) AS rows_d,
			(SELECT coalesce(sum(agree), 0) FROM comment_vote_counts WHERE comment_id = @c) AS count_a,
			(SELECT coalesce(sum(disagree), 0) FROM comment_vote_counts WHERE comment_id = @c) AS count_d,
			(SELECT coalesce(sum(agree), 0) FROM paragraph_counts WHERE document_id = @d) AS para_a,
			(SELECT coalesce(sum(disagree), 0) FROM paragraph_counts WHERE document_id = @d) AS para_d,
			(SELECT count(*) FROM (SELECT user_id FROM comment_votes WHERE comment_id = @c GROUP BY user_id HAVING count(*) > 1) x) AS dup`,
			map[string]any{"c": c.ID, "d": f.docID}).Scan(&got).Error)
		require.Equal(t, got.RowsA, got.CountA, "schedule %d (seed %d): agree counter", s, seed)
		require.Equal(t, got.RowsD, got.CountD, "schedule %d (seed %d): disagree counter", s, seed)
		require.Equal(t, got.RowsA, got.ParaA, "schedule %d (seed %d): paragraph agree", s, seed)
		require.Equal(t, got.RowsD, got.ParaD, "schedule %d (seed %d): paragraph disagree", s, seed)
		require.Zero(t, got.Dup)
	}
}
