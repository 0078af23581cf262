package api_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
)

// ledgerKeyFixture is a configured checkpoint key and the files that configure it.
type ledgerKeyFixture struct {
	priv ed25519.PrivateKey
	file string // PEM (PKCS #8), for LEDGER_SIGNING_KEY_FILE
}

func newLedgerKey(t *testing.T) ledgerKeyFixture {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "ledger-key.pem")
	require.NoError(t, os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	return ledgerKeyFixture{priv: priv, file: file}
}

func (k ledgerKeyFixture) id() string { return auth.KeyID(k.priv.Public().(ed25519.PublicKey)) }

func (k ledgerKeyFixture) public() string {
	return base64.StdEncoding.EncodeToString(k.priv.Public().(ed25519.PublicKey))
}

// retiredKeysFile writes the retired keys file LEDGER_RETIRED_KEYS_FILE names:
// the keys document's shape (GET /api/v1/ledger/keys), each key valid until until.
func retiredKeysFile(t *testing.T, until time.Time, keys ...ledgerKeyFixture) string {
	t.Helper()
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	for _, k := range keys {
		doc.Keys = append(doc.Keys, map[string]any{"key_id": k.id(), "public_key": k.public(), "valid_from": nil, "valid_until": until.UTC().Format(time.RFC3339)})
	}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "retired-ledger-keys.json")
	require.NoError(t, os.WriteFile(file, b, 0o600))
	return file
}

// ledgerFixture is a published process whose ledger holds entries written
// straight through the ledger service, and the key the instance signs with.
type ledgerFixture struct {
	*testEnv
	slug string
	pid  int64
	key  ledgerKeyFixture
}

func newLedgerFixture(t *testing.T, entries int, extra map[string]string) *ledgerFixture {
	t.Helper()
	key := newLedgerKey(t)
	vars := map[string]string{"LEDGER_SIGNING_KEY_FILE": key.file}
	for k, v := range extra {
		vars[k] = v
	}
	env := newTestEnvWith(t, testConfig(t, vars))
	f := &ledgerFixture{testEnv: env, slug: "plan-2027", key: key}
	env.createProcess(t, f.slug)
	require.NoError(t, env.DB.Raw("SELECT id FROM processes WHERE slug = ?", f.slug).Scan(&f.pid).Error)
	f.append(t, entries)
	return f
}

// append adds n entries to the process's ledger.
func (f *ledgerFixture) append(t *testing.T, n int) {
	t.Helper()
	for range n {
		require.NoError(t, database.InTx(context.Background(), f.DB, func(ctx context.Context) error {
			seq, _, err := f.Sys.Ledger.Head(ctx, f.pid)
			if err != nil {
				return err
			}
			_, err = f.Sys.Ledger.Append(ctx, f.pid, ledger.Fields{Process: f.slug, RecordedAt: "2027-03-15T12:00:00Z",
				Response: seq + 1, Disposition: "noted", Reasoning: fmt.Sprintf("Noted, entry %d.", seq+1)})
			return err
		}))
	}
}

// hashAt is the stored hash of entry seq.
func (f *ledgerFixture) hashAt(t *testing.T, seq int64) string {
	t.Helper()
	var h string
	require.NoError(t, f.DB.Raw("SELECT hash FROM ledger_entries WHERE process_id = ? AND seq = ?", f.pid, seq).Scan(&h).Error)
	require.Len(t, h, 64)
	return h
}

// sign stores a checkpoint of entry seq signed by signer at at, naming keyID
// and publicKey in its row, as anyone with write access to the table can.
func (f *ledgerFixture) sign(t *testing.T, seq int64, at time.Time, signer ed25519.PrivateKey, keyID, publicKey string) {
	t.Helper()
	cp := ledger.Checkpoint{Process: f.slug, Seq: seq, Hash: f.hashAt(t, seq), SignedAt: at.UTC().Truncate(time.Second), KeyID: keyID, PublicKey: publicKey}
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(signer, cp.Message()))
	require.NoError(t, f.DB.Exec(`INSERT INTO ledger_checkpoints (process_id, seq, hash, signed_at, key_id, public_key, signature)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.pid, cp.Seq, cp.Hash, cp.SignedAt, cp.KeyID, cp.PublicKey, sig).Error)
}

// signWith stores a checkpoint of entry seq honestly signed by key.
func (f *ledgerFixture) signWith(t *testing.T, seq int64, at time.Time, key ledgerKeyFixture) {
	t.Helper()
	f.sign(t, seq, at, key.priv, key.id(), key.public())
}

// rewriteFrom is the attack: as the database superuser, replace every entry
// from seq from on with different reasoning, each hash recomputed so the chain
// links, and delete the checkpoints at or after from when dropCheckpoints.
func (f *ledgerFixture) rewriteFrom(t *testing.T, from int64, dropCheckpoints bool) {
	t.Helper()
	require.NoError(t, f.DB.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		var rows []struct {
			Seq    int64
			Fields string
		}
		require.NoError(t, tx.Raw("SELECT seq, fields FROM ledger_entries WHERE process_id = ? AND seq >= ? ORDER BY seq", f.pid, from).Scan(&rows).Error)
		var prev string
		require.NoError(t, tx.Raw("SELECT hash FROM ledger_entries WHERE process_id = ? AND seq = ?", f.pid, from-1).Scan(&prev).Error)
		if from == 1 {
			prev = ledger.Genesis
		}
		require.NoError(t, tx.Exec("DELETE FROM ledger_entries WHERE process_id = ? AND seq >= ?", f.pid, from).Error)
		for _, r := range rows {
			fields := strings.Replace(r.Fields, `"disposition":"noted"`, `"disposition":"rejected"`, 1)
			require.NotEqual(t, r.Fields, fields)
			h, err := ledger.Hash(r.Seq, prev, []byte(fields))
			require.NoError(t, err)
			require.NoError(t, tx.Exec("INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
				f.pid, r.Seq, fields, prev, h).Error)
			prev = h
		}
		if dropCheckpoints {
			require.NoError(t, tx.Exec("DELETE FROM ledger_checkpoints WHERE process_id = ? AND seq >= ?", f.pid, from).Error)
		}
		return nil
	}))
}

func (f *ledgerFixture) verify(t *testing.T) map[string]any {
	t.Helper()
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/verify", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decode(t, rec)
}

// checkpointReasons maps each failed checkpoint's seq to its reason.
func checkpointReasons(t *testing.T, v map[string]any) map[int64]string {
	t.Helper()
	list, ok := v["checkpoint_problems"].([]any)
	require.True(t, ok, "checkpoint_problems is a list: %v", v)
	out := map[int64]string{}
	for _, p := range list {
		m := p.(map[string]any)
		out[int64(m["seq"].(float64))] = m["reason"].(string)
	}
	return out
}

// TestForgedCheckpointAfterARewriteIsDetected is the attack of the Hardening
// issue, item 1: with write access to the database, entries from seq 4 on are
// rewritten with consistent hashes, and a checkpoint of the new head is
// signed with a key of the attacker's, its public key in the row. The server's
// verification checks every checkpoint against the configured keys, never the
// row's, so each variant fails with its reason; the stored rows are left as
// they are (verifying writes nothing).
func TestForgedCheckpointAfterARewriteIsDetected(t *testing.T) {
	signedAt := testNow.Add(-time.Hour)
	for name, c := range map[string]struct {
		// forge rewrites and signs; it returns the seq of the forged checkpoint.
		forge func(t *testing.T, f *ledgerFixture) int64
		want  map[int64]string // reasons of the failed checkpoints
	}{
		"a fresh key names itself": {
			forge: func(t *testing.T, f *ledgerFixture) int64 {
				f.rewriteFrom(t, 4, true)
				k := newLedgerKey(t)
				f.signWith(t, 6, signedAt, k)
				return 6
			},
			want: map[int64]string{6: "unknown_key"},
		},
		"a fresh key under the configured key id": {
			forge: func(t *testing.T, f *ledgerFixture) int64 {
				f.rewriteFrom(t, 4, true)
				k := newLedgerKey(t)
				f.sign(t, 6, signedAt, k.priv, f.key.id(), k.public())
				return 6
			},
			want: map[int64]string{6: "key_mismatch"},
		},
		"a fresh key's signature beside the configured public key": {
			forge: func(t *testing.T, f *ledgerFixture) int64 {
				f.rewriteFrom(t, 4, true)
				k := newLedgerKey(t)
				f.sign(t, 6, signedAt, k.priv, f.key.id(), f.key.public())
				return 6
			},
			want: map[int64]string{6: "bad_signature"},
		},
		"the old checkpoints kept, a new head signed": {
			forge: func(t *testing.T, f *ledgerFixture) int64 {
				f.rewriteFrom(t, 4, false)
				f.append(t, 1)
				k := newLedgerKey(t)
				f.signWith(t, 7, signedAt, k)
				return 7
			},
			want: map[int64]string{6: "hash_mismatch", 7: "unknown_key"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newLedgerFixture(t, 6, nil)
			f.signWith(t, 3, testNow.Add(-3*time.Hour), f.key)
			f.signWith(t, 6, testNow.Add(-2*time.Hour), f.key)
			v := f.verify(t)
			require.Equal(t, true, v["ok"], v["problem"])
			require.Equal(t, true, v["checkpoint_valid"])

			seq := c.forge(t, f)
			v = f.verify(t)
			require.Equal(t, false, v["ok"], "the forged checkpoint passes: %v", v)
			require.Nil(t, v["first_broken_seq"], "the chain itself links")
			require.Equal(t, false, v["checkpoint_valid"], "the latest checkpoint is the forged one")
			require.Equal(t, float64(seq), v["checkpoint"].(map[string]any)["seq"])
			require.Equal(t, c.want, checkpointReasons(t, v))
			require.Contains(t, v["problem"], "checkpoint")
			require.EqualValues(t, len(c.want), v["checkpoints_failed"])

			var stored int64
			require.NoError(t, f.DB.Raw("SELECT count(*) FROM ledger_checkpoints WHERE process_id = ?", f.pid).Scan(&stored).Error)
			require.Equal(t, v["checkpoints"], float64(stored), "every stored checkpoint was checked")
		})
	}
}

// TestLedgerCheckpointKeys: a checkpoint signed by a retired key inside its
// validity verifies; one it signed after it was retired, one signed before
// the current key's start, and one by a key nobody configured fail, each
// with its reason. GET /api/v1/ledger/keys answers the configured keys.
func TestLedgerCheckpointKeys(t *testing.T) {
	old := newLedgerKey(t)
	rotated := testNow.Add(-24 * time.Hour)
	f := newLedgerFixture(t, 5, map[string]string{
		"LEDGER_RETIRED_KEYS_FILE": retiredKeysFile(t, rotated, old),
		"LEDGER_SIGNING_KEY_SINCE": rotated.Format(time.RFC3339),
	})
	f.signWith(t, 1, rotated.Add(-48*time.Hour), old)
	f.signWith(t, 2, rotated.Add(-time.Second), old)
	f.signWith(t, 3, testNow.Add(-time.Hour), f.key)
	v := f.verify(t)
	require.Equal(t, true, v["ok"], v["problem"])
	require.Equal(t, float64(3), v["checkpoints"])
	require.Equal(t, map[int64]string{}, checkpointReasons(t, v))

	rec := f.Do(t, http.MethodGet, "/api/v1/ledger/keys", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Cache-Control"), "public")
	var doc struct {
		Keys []struct {
			KeyID      string  `json:"key_id"`
			PublicKey  string  `json:"public_key"`
			ValidFrom  *string `json:"valid_from"`
			ValidUntil *string `json:"valid_until"`
			Status     string  `json:"status"`
		} `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.Len(t, doc.Keys, 2)
	require.Equal(t, f.key.id(), doc.Keys[0].KeyID)
	require.Equal(t, f.key.public(), doc.Keys[0].PublicKey)
	require.Equal(t, "current", doc.Keys[0].Status)
	require.Equal(t, rotated.Format(time.RFC3339), *doc.Keys[0].ValidFrom)
	require.Nil(t, doc.Keys[0].ValidUntil)
	require.Equal(t, old.id(), doc.Keys[1].KeyID)
	require.Equal(t, old.public(), doc.Keys[1].PublicKey)
	require.Equal(t, "retired", doc.Keys[1].Status)
	require.Nil(t, doc.Keys[1].ValidFrom)
	require.Equal(t, rotated.Format(time.RFC3339), *doc.Keys[1].ValidUntil)
	require.NotContains(t, rec.Body.String(), "PRIVATE", "no private half is published")

	// The retired key signs after its retirement; the current key before its start.
	f.signWith(t, 4, rotated, old)
	f.signWith(t, 5, rotated.Add(-time.Second), f.key)
	v = f.verify(t)
	require.Equal(t, false, v["ok"])
	require.Equal(t, map[int64]string{4: "outside_validity", 5: "outside_validity"}, checkpointReasons(t, v))
	require.Contains(t, v["problem"], "checkpoint at entry 4")

	// A key nobody configured.
	g := newLedgerFixture(t, 2, nil)
	g.signWith(t, 2, testNow, newLedgerKey(t))
	v = g.verify(t)
	require.Equal(t, false, v["ok"])
	require.Equal(t, map[int64]string{2: "unknown_key"}, checkpointReasons(t, v))
	require.Contains(t, v["problem"], "not one of the ledger's keys")
}

// TestLedgerExportCarriesEveryCheckpoint: the download holds each checkpoint
// right after the entry it signs, oldest first.
func TestLedgerExportCarriesEveryCheckpoint(t *testing.T) {
	f := newLedgerFixture(t, 4, nil)
	f.signWith(t, 2, testNow.Add(-2*time.Hour), f.key)
	f.signWith(t, 4, testNow.Add(-time.Hour), f.key)
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(rec.Body.String()), "\n") {
		var l struct {
			Seq        int64 `json:"seq"`
			Checkpoint *struct {
				Seq   int64  `json:"seq"`
				KeyID string `json:"key_id"`
			} `json:"checkpoint"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &l))
		if l.Checkpoint != nil {
			require.Equal(t, f.key.id(), l.Checkpoint.KeyID)
			kinds = append(kinds, fmt.Sprintf("checkpoint %d", l.Checkpoint.Seq))
		} else {
			kinds = append(kinds, fmt.Sprintf("entry %d", l.Seq))
		}
	}
	require.Equal(t, []string{"entry 1", "entry 2", "checkpoint 2", "entry 3", "entry 4", "checkpoint 4"}, kinds)
}

// TestLedgerConsistency: someone kept entry 5's hash; today's ledger extends
// it until entries are rewritten from seq 3 on. Bad input is refused, a seq
// beyond the head is "missing", and nothing is written.
func TestLedgerConsistency(t *testing.T) {
	f := newLedgerFixture(t, 5, nil)
	kept, before := f.hashAt(t, 5), f.hashAt(t, 2)
	url := func(seq int64, hash string) string {
		return fmt.Sprintf("/api/v1/processes/%s/ledger/consistency?seq=%d&hash=%s", f.slug, seq, hash)
	}
	check := func(seq int64, hash string) map[string]any {
		t.Helper()
		rec := f.Do(t, http.MethodGet, url(seq, hash), "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		return decode(t, rec)
	}
	c := check(5, kept)
	require.Equal(t, true, c["extends"], c)
	require.Equal(t, "extends", c["reason"])
	require.Equal(t, kept, c["recorded_hash"])
	c = check(5, strings.ToUpper(kept))
	require.Equal(t, true, c["extends"], "hex in capitals is the same hash")
	f.append(t, 2)
	c = check(5, kept)
	require.Equal(t, true, c["extends"], "a longer ledger still extends it")
	require.Equal(t, float64(7), c["head_seq"])
	c = check(8, kept)
	require.Equal(t, false, c["extends"])
	require.Equal(t, "missing", c["reason"])
	require.Nil(t, c["recorded_hash"])

	for name, q := range map[string]string{
		"no seq":      "?hash=" + kept,
		"seq zero":    "?seq=0&hash=" + kept,
		"seq text":    "?seq=five&hash=" + kept,
		"short hash":  "?seq=5&hash=abc",
		"not hex":     "?seq=5&hash=" + strings.Repeat("g", 64),
		"no hash":     "?seq=5",
		"a long hash": "?seq=5&hash=" + kept + "00",
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/consistency"+q, "", "")
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		})
	}
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/no-such-plan/ledger/consistency?seq=1&hash="+kept, "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)

	f.rewriteFrom(t, 3, true)
	c = check(5, kept)
	require.Equal(t, false, c["extends"], "the rewrite is found: %v", c)
	require.Equal(t, "different_hash", c["reason"])
	require.Equal(t, f.hashAt(t, 5), c["recorded_hash"])
	require.NotEqual(t, kept, c["recorded_hash"])
	c = check(2, before)
	require.Equal(t, true, c["extends"], "entries before the rewrite are as kept")

	// A rewrite that leaves the stored hashes but changes a byte breaks the chain before the kept seq.
	require.NoError(t, f.DB.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec(`UPDATE ledger_entries SET fields = replace(fields, 'entry 1.', 'entry I.') WHERE process_id = ? AND seq = 1`, f.pid).Error
	}))
	c = check(2, before)
	require.Equal(t, false, c["extends"])
	require.Equal(t, "chain_broken", c["reason"])
	require.Equal(t, float64(1), c["first_broken_seq"])
	require.Equal(t, int64(7), countRows(t, f.testEnv, "ledger_entries", ""), "checking writes nothing")
}

// TestDocumentedCheckDetectsAForgedCheckpoint runs docs/ledger.md's Node.js
// script with the keys pinned from GET /api/v1/ledger/keys: the honest
// download passes, and extends a copy kept earlier; after the rewrite with a
// checkpoint signed by a fresh key it fails, and so does the comparison with
// the kept copy.
func TestDocumentedCheckDetectsAForgedCheckpoint(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the documented check")
	f := newLedgerFixture(t, 5, nil)
	f.signWith(t, 3, testNow.Add(-2*time.Hour), f.key)
	f.signWith(t, 5, testNow.Add(-time.Hour), f.key)
	dir := t.TempDir()
	script := filepath.Join(dir, "verify.mjs")
	doc, err := os.ReadFile("../docs/ledger.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- verify-snippet:start -->\n```js\n(.*?)```\n<!-- verify-snippet:end -->").FindSubmatch(doc)
	require.NotNil(t, m, "docs/ledger.md has the snippet between its markers")
	require.NoError(t, os.WriteFile(script, m[1], 0o600))
	save := func(name, url string) string {
		rec := f.Do(t, http.MethodGet, url, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		file := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(file, rec.Body.Bytes(), 0o600))
		return file
	}
	keys := save("keys.json", "/api/v1/ledger/keys") // pinned once, kept
	kept := save("kept.jsonl", "/api/v1/processes/"+f.slug+"/ledger/export")
	run := func(args ...string) (string, error) {
		out, err := exec.Command(node, append([]string{script}, args...)...).CombinedOutput()
		return string(out), err
	}

	f.append(t, 1)
	today := save("ledger.jsonl", "/api/v1/processes/"+f.slug+"/ledger/export")
	out, err := run(today, keys, kept)
	require.NoError(t, err, out)
	require.Contains(t, out, "checkpoints 2 valid")
	require.Contains(t, out, "extends the kept copy up to seq 5")
	require.Regexp(t, `ok 6 [0-9a-f]{64}`, out)

	// The attack: entries from 4 on rewritten, the checkpoint at 5 replaced by one of a fresh key.
	f.rewriteFrom(t, 4, true)
	f.signWith(t, 6, testNow, newLedgerKey(t))
	today = save("ledger.jsonl", "/api/v1/processes/"+f.slug+"/ledger/export")
	out, err = run(today, keys)
	require.Error(t, err, out)
	require.Contains(t, out, "checkpoint 6: key ")
	require.Contains(t, out, "is not a pinned key")
	out, err = run(today, keys, kept)
	require.Error(t, err, out)
	require.Contains(t, out, "differs from the kept copy at seq 4")
	// Without the kept copy and with the row's own key, the forgery would pass: the pinned keys are required.
	out, err = run(today)
	require.Error(t, err, out)
	require.Contains(t, out, "usage")
}

// pinLedgerKeys saves GET /api/v1/ledger/keys in dir, as a reader pins them,
// and returns the file's path.
func pinLedgerKeys(t *testing.T, env *testEnv, dir string) string {
	t.Helper()
	rec := env.Do(t, http.MethodGet, "/api/v1/ledger/keys", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	file := filepath.Join(dir, "keys.json")
	require.NoError(t, os.WriteFile(file, rec.Body.Bytes(), 0o600))
	return file
}
