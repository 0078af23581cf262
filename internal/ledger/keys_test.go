package ledger_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return priv
}

func pubOf(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// TestKeysAreCheckedAsConfigured: the key set refuses a retired key without
// an end, a wrong id, or a key listed twice; its published keys are the
// current one first, then the retired ones.
func TestKeysAreCheckedAsConfigured(t *testing.T) {
	cur, old := newKey(t), newKey(t)
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	start := end.Add(-365 * 24 * time.Hour)
	for name, c := range map[string]struct {
		retired []ledger.Key
		want    string
	}{
		"no end":            {[]ledger.Key{{PublicKey: pubOf(old)}}, "has no valid_until"},
		"wrong id":          {[]ledger.Key{{ID: "0000000000000000", PublicKey: pubOf(old), Until: &end}}, "has the id"},
		"the current key":   {[]ledger.Key{{PublicKey: pubOf(cur), Until: &end}}, "listed twice"},
		"twice":             {[]ledger.Key{{PublicKey: pubOf(old), Until: &end}, {PublicKey: pubOf(old), Until: &end}}, "listed twice"},
		"ends before start": {[]ledger.Key{{PublicKey: pubOf(old), From: &end, Until: &start}}, "valid_from is not before valid_until"},
		"short key":         {[]ledger.Key{{PublicKey: ed25519.PublicKey{1, 2, 3}, Until: &end}}, "not an Ed25519 public key"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ledger.NewKeys(cur, nil, c.retired)
			require.ErrorContains(t, err, c.want)
		})
	}
	keys, err := ledger.NewKeys(cur, &end, []ledger.Key{{ID: auth.KeyID(pubOf(old)), PublicKey: pubOf(old), From: &start, Until: &end}})
	require.NoError(t, err)
	all := keys.All()
	require.Len(t, all, 2)
	require.Equal(t, auth.KeyID(pubOf(cur)), all[0].ID)
	require.True(t, all[0].Current())
	require.Equal(t, end, *all[0].From)
	require.False(t, all[1].Current())

	doc := fmt.Sprintf(`{"keys":[{"key_id":%q,"public_key":%q,"valid_from":null,"valid_until":"2027-01-01T00:00:00Z","status":"retired"}]}`,
		auth.KeyID(pubOf(old)), base64.StdEncoding.EncodeToString(pubOf(old)))
	parsed, err := ledger.ParseKeyDocument([]byte(doc))
	require.NoError(t, err)
	require.Equal(t, []ledger.Key{{ID: auth.KeyID(pubOf(old)), PublicKey: pubOf(old), Until: &end}}, parsed)
	_, err = ledger.ParseKeyDocument([]byte(`{"keys":[{"key_id":"x","public_key":"bm90IGEga2V5"}]}`))
	require.ErrorContains(t, err, "not a base64 Ed25519 public key")
}

// TestEveryCheckpointIsCheckedAgainstTheConfiguredKeys: checkpoints signed by
// the current key after its start and by a retired key inside its validity
// verify; the service refuses to sign before its key's start; checkpoints
// under an unknown id, with another public key than the configured one, or
// signed outside the validity fail with their reasons, whichever is latest.
func TestEveryCheckpointIsCheckedAgainstTheConfiguredKeys(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	cur, old, stranger := newKey(t), newKey(t), newKey(t)
	rotated := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	keys, err := ledger.NewKeys(cur, &rotated, []ledger.Key{{PublicKey: pubOf(old), Until: &rotated}})
	require.NoError(t, err)
	l := ledger.NewService(db, keys)
	p := newProcess(t, db, "plan-2027")
	insert := func(seq int64, at time.Time, signer ed25519.PrivateKey, keyID string, pub ed25519.PublicKey) {
		t.Helper()
		var hash string
		require.NoError(t, db.Raw("SELECT hash FROM ledger_entries WHERE process_id = ? AND seq = ?", p, seq).Scan(&hash).Error)
		cp := ledger.Checkpoint{Process: "plan-2027", Seq: seq, Hash: hash, SignedAt: at, KeyID: keyID, PublicKey: base64.StdEncoding.EncodeToString(pub)}
		require.NoError(t, db.Exec("INSERT INTO ledger_checkpoints (process_id, seq, hash, signed_at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
			p, seq, hash, at, keyID, cp.PublicKey, base64.StdEncoding.EncodeToString(ed25519.Sign(signer, cp.Message()))).Error)
	}
	appendN(t, db, l, p, 1, "Noted")
	insert(1, rotated.Add(-time.Hour), old, auth.KeyID(pubOf(old)), pubOf(old))
	appendN(t, db, l, p, 1, "Noted")
	_, err = l.Checkpoint(ctx, p, rotated.Add(-time.Minute))
	require.ErrorIs(t, err, ledger.ErrKeyNotValidYet)
	cp, err := l.Checkpoint(ctx, p, rotated.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, auth.KeyID(pubOf(cur)), cp.KeyID)
	rep, err := l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.Equal(t, 2, rep.Checkpoints)
	require.True(t, *rep.CheckpointValid)

	appendN(t, db, l, p, 4, "Noted")
	insert(3, rotated.Add(time.Hour), stranger, auth.KeyID(pubOf(stranger)), pubOf(stranger))
	insert(4, rotated.Add(time.Hour), stranger, auth.KeyID(pubOf(cur)), pubOf(stranger))
	insert(5, rotated, old, auth.KeyID(pubOf(old)), pubOf(old))
	insert(6, rotated.Add(time.Hour), stranger, auth.KeyID(pubOf(cur)), pubOf(cur))
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Nil(t, rep.FirstBrokenSeq, "the chain itself holds")
	require.Equal(t, 6, rep.Checkpoints)
	require.Equal(t, 4, rep.CheckpointsFailed)
	reasons := map[int64]string{}
	for _, pr := range rep.CheckpointProblems {
		reasons[pr.Seq] = pr.Reason
	}
	require.Equal(t, map[int64]string{3: ledger.ReasonUnknownKey, 4: ledger.ReasonKeyMismatch, 5: ledger.ReasonOutsideValidity, 6: ledger.ReasonBadSignature}, reasons)
	require.False(t, *rep.CheckpointValid)
	require.Contains(t, rep.Problem, "the checkpoint at entry 3 is signed by key")
	require.Contains(t, rep.Problem, "(and 3 more checkpoints fail)")

	// Without configured keys nothing signs, and no checkpoint counts.
	bare := ledger.NewService(db, nil)
	appendN(t, db, bare, p, 1, "Noted")
	_, err = bare.Checkpoint(ctx, p, rotated.Add(time.Hour))
	require.ErrorIs(t, err, ledger.ErrNoSigningKey)
	rep, err = bare.Verify(ctx, p)
	require.NoError(t, err)
	require.Equal(t, 6, rep.CheckpointsFailed)
}

// TestExtendsWhatWasKept: a kept download's hashes are today's until the
// entries are rewritten; a seq beyond the head is missing; a byte changed
// under an unchanged hash breaks the chain before the kept seq; a kept copy
// naming two hashes for one seq is refused.
func TestExtendsWhatWasKept(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	l := ledger.NewService(db, nil)
	p := newProcess(t, db, "plan-2027")
	entries := appendN(t, db, l, p, 5, "Noted")
	var download strings.Builder
	for _, e := range entries[:4] {
		fmt.Fprintf(&download, `{"seq":%d,"prev_hash":%q,"hash":%q,"fields":%s}`+"\n", e.Seq, e.PrevHash, e.Hash, e.Fields)
	}
	fmt.Fprintf(&download, `{"checkpoint":{"process":"plan-2027","seq":4,"hash":%q}}`+"\n", entries[3].Hash)
	kept, err := ledger.ReadKept(strings.NewReader(download.String()))
	require.NoError(t, err)
	require.Len(t, kept, 5)

	c, err := l.Extends(ctx, p, kept)
	require.NoError(t, err)
	require.True(t, c.Extends, c.Problem)
	require.Equal(t, ledger.ConsistencyExtends, c.Reason)
	require.Equal(t, int64(4), c.Seq)
	require.Equal(t, 4, c.Compared)
	require.Equal(t, int64(5), c.HeadSeq)

	c, err = l.Extends(ctx, p, []ledger.Point{{Seq: 9, Hash: entries[0].Hash}})
	require.NoError(t, err)
	require.Equal(t, ledger.ConsistencyMissing, c.Reason)
	_, err = l.Extends(ctx, p, []ledger.Point{{Seq: 2, Hash: entries[1].Hash}, {Seq: 2, Hash: entries[0].Hash}})
	require.ErrorIs(t, err, ledger.ErrKeptConflict)

	tamper := func(q string) {
		require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
			require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
			return tx.Exec(q, p).Error
		}))
	}
	tamper(`UPDATE ledger_entries SET fields = replace(fields, 'Noted 1', 'Noted I') WHERE process_id = ? AND seq = 1`)
	c, err = l.Extends(ctx, p, kept)
	require.NoError(t, err)
	require.False(t, c.Extends)
	require.Equal(t, ledger.ConsistencyBroken, c.Reason)
	require.Equal(t, int64(1), *c.FirstBrokenSeq)
	tamper(`UPDATE ledger_entries SET hash = repeat('a', 64) WHERE process_id = ? AND seq = 3`)
	c, err = l.Extends(ctx, p, kept)
	require.NoError(t, err)
	require.Equal(t, ledger.ConsistencyDifferent, c.Reason)
	require.Equal(t, int64(3), c.Seq)
	require.Equal(t, strings.Repeat("a", 64), c.Recorded)

	for name, in := range map[string]string{
		"empty":    "",
		"no hash":  `{"seq":1}`,
		"bad hash": `{"seq":1,"hash":"ABC"}`,
		"seq 0":    fmt.Sprintf(`{"seq":0,"hash":%q}`, entries[0].Hash),
		"not JSON": "seq 1",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ledger.ReadKept(strings.NewReader(in))
			require.Error(t, err)
		})
	}
}
