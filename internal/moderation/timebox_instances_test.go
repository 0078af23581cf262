package moderation_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/idea"
	"cocreate/internal/moderation"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

// TestTimeBoxOnThreeInstances runs the time-box on three instances at once
// over held ideas of three processes, while a moderator decides some of the
// same items by hand: every overdue item is decided exactly once (published
// by one instance or decided by the moderator), no run fails (a deadlock
// between two instances would), and the instances' counts add up (issue 24).
func TestTimeBoxOnThreeInstances(t *testing.T) {
	ctx := context.Background()
	const perProcess = 80
	sys := apptest.New(t, apptest.Options{})
	slugs := []string{"timebox-a", "timebox-b", "timebox-c"}
	people := sys.People(t, 40)
	moderator := sys.Person(t)
	themes := map[string]int64{}
	for _, slug := range slugs {
		sys.Process(t, slug, process.PhaseIdeaCollection)
		s, err := sys.Ideas.PutSettings(ctx, auth.System, slug, idea.SettingsInput{Themes: []idea.ThemeInput{{Name: "Any"}}})
		require.NoError(t, err)
		themes[slug] = s.Themes[0].ID
		st, err := sys.Moderation.Settings(ctx, auth.System, slug)
		require.NoError(t, err)
		hours := 2
		st.Mode, st.TimeboxHours = moderation.ModePre, &hours
		_, err = sys.Moderation.PutSettings(ctx, auth.System, slug, st)
		require.NoError(t, err)
		sys.Grant(t, slug, moderator, process.RoleModerator)
	}
	// The processes' items interleave in queue order, so each run walks
	// through all three processes' contributions.
	for n := range perProcess {
		for i, slug := range slugs {
			_, err := sys.Ideas.Create(ctx, people[(n*3+i)%len(people)], slug, idea.CreateInput{Title: fmt.Sprintf("Idea %s %d", slug, n),
				Body: fmt.Sprintf("Proposal %d of %s: plant %d trees on street %d", n, slug, n*7+i, n*13+i), ThemeID: themes[slug]})
			require.NoError(t, err)
		}
	}
	total := perProcess * len(slugs)
	require.EqualValues(t, total, pgtest.Count(t, sys.Owner, "moderation_items", "state = 'open'"))
	sys.Clock.Advance(2*time.Hour + time.Minute)

	var published, byHand atomic.Int64
	var wg sync.WaitGroup
	for i, inst := range sys.Instances(t, 3) {
		wg.Go(func() {
			for range 2 { // a second pass finds nothing left
				n, err := inst.Moderation.PublishOverdue(ctx)
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
					return
				}
				published.Add(int64(n))
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			it, err := sys.Moderation.Claim(ctx, moderator, slugs[0], moderation.QueueFilter{})
			if err != nil {
				return // the instances took the rest
			}
			if _, err := sys.Moderation.Decide(ctx, moderator, it.ID, moderation.DecisionInput{Outcome: moderation.OutcomeReject,
				Reason: moderation.ReasonSpam, Explanation: "Advertising.", Version: it.Version}); err == nil {
				byHand.Add(1)
			}
		}
	})
	wg.Wait()

	t.Logf("published by the time-box: %d, decided by hand: %d", published.Load(), byHand.Load())
	assert.EqualValues(t, total, published.Load()+byHand.Load(), "every item decided once, by one of them")
	require.Zero(t, pgtest.Count(t, sys.Owner, "moderation_items", "state = 'open'"))
	if !assert.EqualValues(t, total, pgtest.Count(t, sys.Owner, "moderation_decisions", "")) {
		var rows []struct {
			ItemID      int64
			Outcome     string
			ModeratorID *int64
			ItemVersion int
			ID          int64
		}
		require.NoError(t, sys.Owner.Raw("SELECT id, item_id, outcome, moderator_id, item_version FROM moderation_decisions WHERE item_id IN (SELECT item_id FROM moderation_decisions GROUP BY item_id HAVING count(*) > 1) ORDER BY item_id, id").Scan(&rows).Error)
		t.Logf("DUPS %+v", rows)
	}
	require.Zero(t, pgtest.Count(t, sys.Owner, "moderation_decisions", "item_id IN (SELECT item_id FROM moderation_decisions GROUP BY item_id HAVING count(*) > 1)"),
		"no item has two decisions")
	require.EqualValues(t, published.Load(), pgtest.Count(t, sys.Owner, "moderation_decisions", "outcome = 'auto_publish' AND moderator_id IS NULL"))
	require.EqualValues(t, published.Load(), pgtest.Count(t, sys.Owner, "ideas", "moderation = 'published'"))
}
