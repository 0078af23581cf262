package ledger_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func newProcess(t *testing.T, db *gorm.DB, slug string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, db.Raw("INSERT INTO processes (slug, title, languages) VALUES (?, 'Plan', '{en}') RETURNING id", slug).Scan(&id).Error)
	return id
}

// appendN appends n entries, each in its own transaction.
func appendN(t *testing.T, db *gorm.DB, l *ledger.Service, processID int64, n int, reasoning string) []ledger.Entry {
	t.Helper()
	var out []ledger.Entry
	for i := 0; i < n; i++ {
		var e ledger.Entry
		err := database.InTx(context.Background(), db, func(ctx context.Context) error {
			var err error
			e, err = l.Append(ctx, processID, ledger.Fields{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now()), Response: int64(i + 1),
				Disposition: "adopted", Reasoning: fmt.Sprintf("%s %d", reasoning, i+1), Covers: []string{fmt.Sprintf("comment:%d", i+1)},
				Signers: []ledger.Member{{Member: "m-0123456789abcdef", Seat: "government", Organisation: "City"}}})
			return err
		})
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// TestHashIsTheDocumentedEncoding pins the encoding of docs/ledger.md: the
// canonical JSON of the fields with seq and prev_hash, whatever the key order
// and spacing of the stored copy.
func TestHashIsTheDocumentedEncoding(t *testing.T) {
	a, err := ledger.Hash(2, ledger.Genesis, []byte(`{"v":1,"reasoning":"Café \"quoted\"\n<b>&","covers":["idea:2"],"supersedes":null}`))
	require.NoError(t, err)
	b, err := ledger.Hash(2, ledger.Genesis, []byte(`{ "supersedes" : null, "covers" : [ "idea:2" ], "reasoning": "Caf\u00e9 \"quoted\"\n<b>&", "v": 1 }`))
	require.NoError(t, err)
	assert.Equal(t, a, b, "key order, spacing and escapes do not change the hash")
	// What docs/ledger.md says is hashed: keys sorted, no spaces, UTF-8 as is,
	// only quote, backslash and control characters escaped.
	canonical := `{"covers":["idea:2"],"prev_hash":"` + ledger.Genesis + `","reasoning":"Café \"quoted\"\n<b>&","seq":2,"supersedes":null,"v":1}`
	sum := sha256.Sum256([]byte(canonical))
	assert.Equal(t, hex.EncodeToString(sum[:]), a)
	c, err := ledger.Hash(3, ledger.Genesis, []byte(`{"v":1,"reasoning":"Café \"quoted\"\n<b>&","covers":["idea:2"],"supersedes":null}`))
	require.NoError(t, err)
	assert.NotEqual(t, a, c, "seq is hashed")
	_, err = ledger.Hash(1, ledger.Genesis, []byte(`["not an object"]`))
	assert.Error(t, err)
	assert.Equal(t, "é\nx", ledger.Normalize("e\u0301\r\nx"), "NFC and \\n line ends")
}

func TestAppendNumbersWithoutGapsUnderConcurrency(t *testing.T) {
	db := pgtest.New(t).DB
	l := ledger.NewService(db, nil)
	p := newProcess(t, db, "plan-2027")
	other := newProcess(t, db, "plan-other")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pid := p
			if i%4 == 0 {
				pid = other
			}
			errs <- database.InTx(context.Background(), db, func(ctx context.Context) error {
				_, err := l.Append(ctx, pid, ledger.Fields{Process: "x", RecordedAt: ledger.Timestamp(time.Now()), Response: int64(i), Disposition: "noted", Reasoning: "r"})
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var seqs []int64
	require.NoError(t, db.Raw("SELECT seq FROM ledger_entries WHERE process_id = ? ORDER BY seq", p).Scan(&seqs).Error)
	require.Len(t, seqs, 30)
	for i, s := range seqs {
		require.Equal(t, int64(i+1), s)
	}
	for _, pid := range []int64{p, other} {
		rep, err := l.Verify(context.Background(), pid)
		require.NoError(t, err)
		require.True(t, rep.OK, rep.Problem)
	}
}

// TestTamperingIsFound is the acceptance test: the superuser changes one byte
// of one entry's reasoning, then deletes a row, then cuts the tail; each time
// verification names the seq. The application's role cannot UPDATE or DELETE.
func TestTamperingIsFound(t *testing.T) {
	db := pgtest.New(t).DB // the test connects as the cluster's superuser
	ctx := context.Background()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	keys, err := ledger.NewKeys(priv, nil, nil)
	require.NoError(t, err)
	l := ledger.NewService(db, keys)
	p := newProcess(t, db, "plan-2027")
	entries := appendN(t, db, l, p, 6, "Adopted as commitment")
	rep, err := l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK)
	require.Equal(t, int64(6), rep.Entries)
	require.Equal(t, entries[5].Hash, rep.HeadHash)

	// The application's role may read and append, never rewrite.
	for _, stmt := range []string{
		"UPDATE ledger_entries SET fields = replace(fields, 'Adopted', 'Rejected') WHERE seq = 1",
		"DELETE FROM ledger_entries WHERE seq = 1",
		"TRUNCATE ledger_entries",
		"UPDATE ledger_checkpoints SET seq = 1",
	} {
		err := db.Transaction(func(tx *gorm.DB) error {
			require.NoError(t, tx.Exec("SET LOCAL ROLE cocreate_app").Error)
			return tx.Exec(stmt).Error
		})
		require.ErrorContains(t, err, "permission denied", stmt)
	}
	// Without the superuser's bypass, the trigger refuses even the owner.
	err = db.Exec("UPDATE ledger_entries SET hash = hash WHERE seq = 1").Error
	require.ErrorContains(t, err, "append-only")
	err = db.Exec("DELETE FROM ledger_entries WHERE seq = 1").Error
	require.ErrorContains(t, err, "append-only")

	// The superuser bypasses the trigger: one byte of entry 4's reasoning.
	tamper := func(stmt string, args ...any) {
		t.Helper()
		require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL session_replication_role = replica").Error; err != nil {
				return err
			}
			return tx.Exec(stmt, args...).Error
		}))
	}
	var original string
	require.NoError(t, db.Raw("SELECT fields FROM ledger_entries WHERE process_id = ? AND seq = 4", p).Scan(&original).Error)
	tamper(`UPDATE ledger_entries SET fields = overlay(fields placing 'a' from strpos(fields, '"reasoning":"') + 13 for 1)
		WHERE process_id = ? AND seq = 4`, p)
	var changed string
	require.NoError(t, db.Raw("SELECT fields FROM ledger_entries WHERE process_id = ? AND seq = 4", p).Scan(&changed).Error)
	require.Len(t, changed, len(original))
	diff := 0
	for i := range original {
		if original[i] != changed[i] {
			diff++
		}
	}
	require.Equal(t, 1, diff, "exactly one byte changed")
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.NotNil(t, rep.FirstBrokenSeq)
	require.Equal(t, int64(4), *rep.FirstBrokenSeq, rep.Problem)
	require.Contains(t, rep.Problem, "does not match its hash")
	tamper("UPDATE ledger_entries SET fields = ? WHERE process_id = ? AND seq = 4", original, p)
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK, "restoring the byte restores the chain: %s", rep.Problem)

	// A checkpoint pins the head; then a row is deleted: the gap is reported.
	cp, err := l.Checkpoint(ctx, p, time.Now())
	require.NoError(t, err)
	require.Equal(t, int64(6), cp.Seq)
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.True(t, *rep.CheckpointValid)
	_, err = l.Checkpoint(ctx, p, time.Now())
	require.ErrorIs(t, err, ledger.ErrNothingNew)

	tamper("DELETE FROM ledger_entries WHERE process_id = ? AND seq = 3", p)
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, int64(3), *rep.FirstBrokenSeq)
	require.Contains(t, rep.Problem, "entry 3 is missing")

	// Cutting the tail leaves a chain that links, but the checkpoint says more.
	db2 := pgtest.New(t).DB
	l2 := ledger.NewService(db2, keys)
	p2 := newProcess(t, db2, "plan-2027")
	appendN(t, db2, l2, p2, 5, "Noted")
	_, err = l2.Checkpoint(ctx, p2, time.Now())
	require.NoError(t, err)
	require.NoError(t, db2.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec("DELETE FROM ledger_entries WHERE process_id = ? AND seq >= 4", p2).Error
	}))
	rep, err = l2.Verify(ctx, p2)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, int64(4), *rep.FirstBrokenSeq, rep.Problem)
	require.False(t, *rep.CheckpointValid)
	require.Equal(t, []ledger.CheckpointProblem{{Seq: 5, KeyID: cp.KeyID, Reason: ledger.ReasonBeyondHead,
		Problem: "the checkpoint at entry 5 signs an entry the ledger does not have"}}, rep.CheckpointProblems)
}
