package idea_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/idea"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

type fixture struct {
	db     *gorm.DB
	svc    *idea.Service
	slug   string
	themes []idea.Theme
}

// newFixture makes a process in its idea-collection phase, in language lang,
// with two themes and the given rules.
func newFixture(t *testing.T, lang string, rules idea.Rules) fixture {
	t.Helper()
	return newFixtureWith(t, []string{lang}, rules)
}

// newFixtureIn makes a process as newFixture does, in several languages.
func newFixtureIn(t *testing.T, languages []string) fixture {
	t.Helper()
	return newFixtureWith(t, languages, idea.Rules{})
}

func newFixtureWith(t *testing.T, languages []string, rules idea.Rules) fixture {
	t.Helper()
	ctx := context.Background()
	sys := apptest.New(t, apptest.Options{Clock: time.Now, Unscreened: true})
	sys.Process(t, "ideas-test", process.PhaseIdeaCollection, languages...)
	db, svc := sys.Owner, sys.Ideas
	s, err := svc.PutSettings(ctx, auth.System, "ideas-test", idea.SettingsInput{Rules: rules,
		Themes: []idea.ThemeInput{{Name: "Nature"}, {Name: "People"}}})
	require.NoError(t, err)
	return fixture{db: db, svc: svc, slug: "ideas-test", themes: s.Themes}
}

// people inserts n accounts and returns them as principals.
func (f fixture) people(t *testing.T, n int) []auth.Principal {
	t.Helper()
	var ids []int64
	require.NoError(t, f.db.Raw(`INSERT INTO users (pseudonym, display_name)
		SELECT 'Participant t' || g || '-' || md5(random()::text), 'Person ' || g FROM generate_series(1, ?) g RETURNING id`, n).Scan(&ids).Error)
	out := make([]auth.Principal, len(ids))
	for i, id := range ids {
		out[i] = auth.Principal{UserID: id, Verified: true}
	}
	return out
}

// counts returns, per idea, the supports counter (sum of shards) and the rows.
func (f fixture) counts(t *testing.T) (counter, rows map[int64]int) {
	t.Helper()
	counter, rows = map[int64]int{}, map[int64]int{}
	var cs []struct {
		IdeaID int64
		N      int
	}
	require.NoError(t, f.db.Raw("SELECT idea_id, sum(supports)::int AS n FROM idea_counts GROUP BY idea_id HAVING sum(supports) <> 0").Scan(&cs).Error)
	for _, c := range cs {
		counter[c.IdeaID] = c.N
	}
	cs = nil
	require.NoError(t, f.db.Raw("SELECT idea_id, count(*)::int AS n FROM idea_supports GROUP BY idea_id").Scan(&cs).Error)
	for _, c := range cs {
		rows[c.IdeaID] = c.N
	}
	return counter, rows
}

// TestSupportsUnderRandomSchedules is QUALITY.md R6 for supports: 1,000
// randomised schedules of concurrent supports and retractions by a few people
// on a few ideas, under a per-person limit; after each, every counter equals
// its rows and nobody exceeds the limit.
func TestSupportsUnderRandomSchedules(t *testing.T) {
	ctx := context.Background()
	const limit = 2
	f := newFixture(t, "en", idea.Rules{SupportLimit: limit})
	people := f.people(t, 4)
	var ideas []int64
	for n := range 3 {
		i, err := f.svc.Create(ctx, people[n], f.slug, idea.CreateInput{Title: fmt.Sprintf("Idea %d", n), Body: "Body", ThemeID: f.themes[0].ID})
		require.NoError(t, err)
		ideas = append(ideas, i.ID)
	}
	for schedule := range 1000 {
		r := rand.New(rand.NewPCG(uint64(schedule), 7))
		var wg sync.WaitGroup
		for range 6 {
			who, what, give := people[r.IntN(len(people))], ideas[r.IntN(len(ideas))], r.IntN(3) > 0
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if give {
					_, err = f.svc.Support(ctx, who, what)
				} else {
					_, err = f.svc.Retract(ctx, who, what)
				}
				if err != nil && !errors.Is(err, idea.ErrSupportLimit) {
					t.Errorf("schedule %d: %v", schedule, err)
				}
			}()
		}
		wg.Wait()
		counter, rows := f.counts(t)
		require.Equal(t, rows, counter, "schedule %d: counters equal the rows", schedule)
		var most int
		require.NoError(t, f.db.Raw("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM idea_supports GROUP BY user_id) x").Scan(&most).Error)
		require.LessOrEqual(t, most, limit, "schedule %d: nobody exceeds the limit", schedule)
	}
}

func TestSearchInTheProcessLanguage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "pt-BR", idea.Rules{})
	p := f.people(t, 1)[0]
	for _, title := range []string{"Mais transparência nas contas públicas", "Orçamento participativo nos bairros", "Hortas comunitárias"} {
		_, err := f.svc.Create(ctx, p, f.slug, idea.CreateInput{Title: title, Body: "Proposta de " + title, ThemeID: f.themes[0].ID})
		require.NoError(t, err)
	}
	titles := func(ideas []idea.Idea) []string {
		out := []string{}
		for _, i := range ideas {
			out = append(out, i.Title)
		}
		return out
	}
	for _, q := range []string{"transparencia", "transparência", "TRANSPARENCIA", "contas"} {
		page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: q, Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"Mais transparência nas contas públicas"}, titles(page.Items), "query %q", q)
	}
	page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: "orcamento", Limit: 10})
	require.NoError(t, err)
	require.Equal(t, []string{"Orçamento participativo nos bairros"}, titles(page.Items), "accents ignored in the query")
	similar, err := f.svc.Similar(ctx, auth.Anonymous, f.slug, "Publicar o orçamento e as contas")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"Mais transparência nas contas públicas", "Orçamento participativo nos bairros"}, titles(similar))
}

// Chinese is written without spaces: a two-character word finds the ideas
// that contain it, a longer phrase the ones that contain the phrase, and
// similar ideas are found by shared words (issue 15, item 7).
func TestSearchInChinese(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "zh-Hant", idea.Rules{})
	p := f.people(t, 1)[0]
	for _, title := range []string{"公開政府預算資料", "社區參與式預算", "改善公園設施"} {
		_, err := f.svc.Create(ctx, p, f.slug, idea.CreateInput{Title: title, Body: "提案：" + title + "。", ThemeID: f.themes[0].ID})
		require.NoError(t, err)
	}
	titles := func(ideas []idea.Idea) []string {
		out := []string{}
		for _, i := range ideas {
			out = append(out, i.Title)
		}
		return out
	}
	for q, want := range map[string][]string{
		"預算":    {"公開政府預算資料", "社區參與式預算"},
		"公園":    {"改善公園設施"},
		"政府預算":  {"公開政府預算資料"},
		"公開 資料": {"公開政府預算資料"},
		"預算 公園": {},
		"参与式预算": {}, // simplified characters are other characters
	} {
		page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: q, Limit: 10})
		require.NoError(t, err)
		require.ElementsMatch(t, want, titles(page.Items), "query %q", q)
	}
	similar, err := f.svc.Similar(ctx, auth.Anonymous, f.slug, "市政府應該公開預算")
	require.NoError(t, err)
	require.Subset(t, titles(similar), []string{"公開政府預算資料", "社區參與式預算"})
	require.NotContains(t, titles(similar), "改善公園設施")
}

// TestSetStatusIsTheResponsesTransition checks the one method a reasoned
// response uses to set an idea's status.
func TestSetStatusIsTheResponsesTransition(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "en", idea.Rules{})
	p := f.people(t, 1)[0]
	i, err := f.svc.Create(ctx, p, f.slug, idea.CreateInput{Title: "Trees", Body: "Plant them", ThemeID: f.themes[0].ID})
	require.NoError(t, err)
	require.NoError(t, f.svc.SetStatus(ctx, i.ID, idea.StatusAccepted, 41))
	got, err := f.svc.Get(ctx, auth.Anonymous, i.ID)
	require.NoError(t, err)
	require.Equal(t, idea.StatusAccepted, got.Status)
	require.EqualValues(t, 41, *got.StatusResponseID)
	require.NotNil(t, got.StatusChangedAt)
	for _, to := range []idea.Status{idea.StatusWithdrawn, idea.StatusMerged, idea.StatusSubmitted, "bogus"} {
		require.ErrorIs(t, f.svc.SetStatus(ctx, i.ID, to, 42), idea.ErrBadTransition, "a response cannot set %s", to)
	}
	w, err := f.svc.Create(ctx, p, f.slug, idea.CreateInput{Title: "Bees", Body: "Hives", ThemeID: f.themes[0].ID})
	require.NoError(t, err)
	_, err = f.svc.Withdraw(ctx, p, w.ID)
	require.NoError(t, err)
	require.ErrorIs(t, f.svc.SetStatus(ctx, w.ID, idea.StatusRejected, 43), idea.ErrBadTransition, "a withdrawn idea stays withdrawn")
	_, err = f.svc.Withdraw(ctx, p, i.ID)
	require.ErrorIs(t, err, idea.ErrNotWithdrawable, "an answered idea cannot be withdrawn")
}

// TestReplayPolisConversation imports a real Polis conversation's comments as
// ideas and replays its vote log, each voter's votes in timestamp order and
// many voters at once: agree supports, disagree and pass retract. The final
// supports equal the log's final state (each voter's last vote per item).
func TestReplayPolisConversation(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "polis", "scoop-hivemind.biodiversity")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the Polis fixture is not here (%s): this test needs ../shared/fixtures beside the project", dir)
	}
	ctx := context.Background()
	f := newFixture(t, "en", idea.Rules{})
	comments := readCSV(t, filepath.Join(dir, "comments.csv"))
	votes := readCSV(t, filepath.Join(dir, "votes.csv"))

	// One account per Polis participant (authors and voters share ids).
	participants := map[string]auth.Principal{}
	var ids []string
	for _, c := range comments {
		ids = append(ids, c["author-id"])
	}
	for _, v := range votes {
		ids = append(ids, v["voter-id"])
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for n, p := range f.people(t, len(ids)) {
		participants[ids[n]] = p
	}

	ideaOf := map[string]int64{}
	for _, c := range comments {
		title := []rune(c["comment-body"])
		if len(title) > 140 {
			title = title[:140]
		}
		i, err := f.svc.Create(ctx, participants[c["author-id"]], f.slug,
			idea.CreateInput{Title: string(title), Body: c["comment-body"], ThemeID: f.themes[0].ID})
		require.NoError(t, err, "comment %s", c["comment-id"])
		ideaOf[c["comment-id"]] = i.ID
	}

	// Each voter's votes in timestamp order (file order breaks ties).
	type vote struct {
		at         int64
		item, vote string
	}
	byVoter := map[string][]vote{}
	final := map[string]map[string]string{} // item → voter → last vote
	for _, v := range votes {
		at, err := strconv.ParseInt(v["timestamp"], 10, 64)
		require.NoError(t, err)
		byVoter[v["voter-id"]] = append(byVoter[v["voter-id"]], vote{at, v["comment-id"], v["vote"]})
	}
	queue := make(chan string, len(byVoter))
	for voter, vs := range byVoter {
		slices.SortStableFunc(vs, func(a, b vote) int { return int(a.at - b.at) })
		for _, v := range vs {
			if final[v.item] == nil {
				final[v.item] = map[string]string{}
			}
			final[v.item][voter] = v.vote
		}
		queue <- voter
	}
	close(queue)

	start := time.Now()
	var wg sync.WaitGroup
	for range 4 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for voter := range queue {
				who := participants[voter]
				for _, v := range byVoter[voter] {
					var err error
					if v.vote == "1" {
						_, err = f.svc.Support(ctx, who, ideaOf[v.item])
					} else {
						_, err = f.svc.Retract(ctx, who, ideaOf[v.item])
					}
					if err != nil {
						t.Errorf("voter %s item %s: %v", voter, v.item, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("replayed %d votes of %d voters on %d ideas in %s", len(votes), len(byVoter), len(comments), time.Since(start).Round(time.Millisecond))

	counter, rows := f.counts(t)
	want := map[int64]int{}
	for item, voters := range final {
		for _, v := range voters {
			if v == "1" {
				want[ideaOf[item]]++
			}
		}
	}
	require.Equal(t, want, rows, "supports rows equal each voter's last vote")
	require.Equal(t, want, counter, "counters equal each voter's last vote")
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	require.NoError(t, err)
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}
