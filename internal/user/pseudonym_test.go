package user

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// cheap are the lowest argon2id costs, for tests.
var cheap = HashParams{MemoryKiB: 8192, Iterations: 1, Threads: 1}

// sequence returns a pseudonym generator that hands out names in turn and
// counts the calls.
func sequence(names ...string) (func() string, *int) {
	var mu sync.Mutex
	calls := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n := names[min(calls, len(names)-1)]
		calls++
		return n
	}, &calls
}

// TestPseudonymCollisionIsRetried: a pseudonym already in use is not an error
// (and above all not "address taken"): another one is drawn.
func TestPseudonymCollisionIsRetried(t *testing.T) {
	db := pgtest.New(t).DB
	s := NewService(db, Options{Hash: cheap})
	ctx := context.Background()
	s.newPseudonym, _ = sequence("Participant 00000001")
	first, err := s.SignUp(ctx, SignUpInput{Email: "ana@example.org", DisplayName: "Ana", Password: "a fine test password"})
	require.NoError(t, err)
	require.Equal(t, "Participant 00000001", first.Pseudonym)

	gen, calls := sequence("Participant 00000001", "Participant 00000001", "Participant 00000002")
	s.newPseudonym = gen
	second, err := s.SignUp(ctx, SignUpInput{Email: "bob@example.org", DisplayName: "Bob", Password: "a fine test password"})
	require.NoError(t, err)
	require.Equal(t, "Participant 00000002", second.Pseudonym)
	require.Equal(t, 3, *calls, "two collisions, then a free name")
	require.EqualValues(t, 1, pgtest.Count(t, db, "users", "email = 'bob@example.org' AND pseudonym = 'Participant 00000002'"))
	require.EqualValues(t, 1, pgtest.Count(t, db, "outbox", "recipient = 'bob@example.org' AND kind = 'verify_email'"), "one verification e-mail, from the attempt that stuck")

	// The command line's accounts too.
	s.newPseudonym, _ = sequence("Participant 00000002", "Participant 00000003")
	third, err := s.Provision(ctx, auth.System, SignUpInput{Email: "cy@example.org", DisplayName: "Cy", Password: "a fine test password"})
	require.NoError(t, err)
	require.Equal(t, "Participant 00000003", third.Pseudonym)

	// A taken address is told apart from a taken pseudonym, in any case.
	taken := "ANA@example.org"
	ok, err := s.store.Insert(ctx, &User{Email: &taken, Pseudonym: "Participant 0000000f"})
	require.ErrorIs(t, err, ErrEmailTaken)
	require.False(t, ok)

	// A generator that only ever collides gives up with an error, not a loop.
	s.newPseudonym, _ = sequence("Participant 00000001")
	_, err = s.SignUp(ctx, SignUpInput{Email: "dee@example.org", DisplayName: "Dee", Password: "a fine test password"})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "email_taken")
	require.Zero(t, pgtest.Count(t, db, "users", "email = 'dee@example.org'"))
}

// TestConcurrentSignUpsGetDistinctPseudonyms: 50 sign-ups at once all get
// an account and a pseudonym of their own, with the real generator and with
// one drawing from 200 names, where they collide often.
func TestConcurrentSignUpsGetDistinctPseudonyms(t *testing.T) {
	for _, narrow := range []bool{false, true} {
		t.Run(fmt.Sprintf("narrow=%t", narrow), func(t *testing.T) {
			db := pgtest.New(t).DB
			s := NewService(db, Options{Hash: cheap})
			if narrow {
				s.newPseudonym = func() string { return fmt.Sprintf("Participant %08x", rand.IntN(200)) }
			}
			var wg sync.WaitGroup
			got := make([]User, 50)
			for n := range got {
				wg.Add(1)
				go func() {
					defer wg.Done()
					u, err := s.SignUp(context.Background(), SignUpInput{Email: fmt.Sprintf("p%d@example.org", n), DisplayName: "P", Password: "a fine test password"})
					assert.NoError(t, err)
					got[n] = u
				}()
			}
			wg.Wait()
			seen := map[string]bool{}
			for _, u := range got {
				require.NotZero(t, u.ID)
				require.False(t, seen[u.Pseudonym], "pseudonym %s given twice", u.Pseudonym)
				seen[u.Pseudonym] = true
			}
			require.EqualValues(t, 50, pgtest.Count(t, db, "users", ""))
			var distinct int64
			require.NoError(t, db.Raw("SELECT count(DISTINCT pseudonym) FROM users").Scan(&distinct).Error)
			require.EqualValues(t, 50, distinct)
		})
	}
}
