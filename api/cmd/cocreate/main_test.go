package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/config"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/logging"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeRefusesADatabaseBehindItsMigrations(t *testing.T) {
	pg := pgtest.New(t)
	db := pg.DB
	require.NoError(t, db.Exec("DELETE FROM schema_migrations").Error)
	cfg, err := config.LoadFrom(map[string]string{"ADDR": freeAddr(t)})
	require.NoError(t, err)
	err = serve(context.Background(), cfg, db, pg.DSN, logging.New(io.Discard, "error"), nil)
	require.ErrorIs(t, err, database.ErrSchemaBehind)
	require.ErrorContains(t, err, "cocreate migrate")
}

// serve refuses to run as a role that could rewrite the ledger (the owner, a
// superuser), and says why; the development flag lets it through (issue 16,
// item 2).
func TestServeRefusesAPrivilegedRole(t *testing.T) {
	pg := pgtest.New(t)
	cfg, err := config.LoadFrom(map[string]string{"ADDR": freeAddr(t), "DATABASE_URL": pg.DSN})
	require.NoError(t, err)
	err = serveAs(context.Background(), cfg, pg.DB, nil, logging.New(io.Discard, "error"), nil)
	require.ErrorIs(t, err, database.ErrPrivilegedRole)
	require.ErrorContains(t, err, "superuser")
	require.ErrorContains(t, err, "DATABASE_ALLOW_PRIVILEGED")
}

// TestServeRefusesAnS3StoreItCannotReach: with BLOB_STORE=s3, serve checks
// the bucket before it listens and says what to fix.
func TestServeRefusesAnS3StoreItCannotReach(t *testing.T) {
	pg := pgtest.New(t)
	db := pg.DB
	cfg, err := config.LoadFrom(map[string]string{"ADDR": freeAddr(t), "SPA_DIR": t.TempDir(), "DATA_DIR": t.TempDir(),
		"BLOB_STORE": "s3", "S3_ENDPOINT": "http://" + freeAddr(t), "S3_BUCKET": "cocreate-files",
		"S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret"})
	require.NoError(t, err)
	err = serve(context.Background(), cfg, db, pg.DSN, logging.New(io.Discard, "error"), nil)
	require.ErrorContains(t, err, "BLOB_STORE=s3")
	require.ErrorContains(t, err, "cannot reach S3_ENDPOINT")
	require.ErrorContains(t, err, `"cocreate-files"`)
}

// TestServeDrainsInFlightRequests starts the server, begins a slow request,
// cancels the context as a signal would, and checks the request still completes.
func TestServeDrainsInFlightRequests(t *testing.T) {
	pg := pgtest.New(t)
	db := pg.DB
	addr := freeAddr(t)
	cfg, err := config.LoadFrom(map[string]string{"ADDR": addr, "SHUTDOWN_TIMEOUT": "10s", "SPA_DIR": t.TempDir(), "DATA_DIR": t.TempDir()})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, db, pg.DSN, logging.New(io.Discard, "error"), nil) }()

	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 10*time.Second, 50*time.Millisecond)

	// Hold a connection mid-request: send the headers of a request whose body
	// arrives after shutdown has begun.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("PATCH /api/v1/processes/plan-x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"))
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
	_, err = conn.Write([]byte("{}"))
	require.NoError(t, err)
	buf := make([]byte, 512)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	n, err := conn.Read(buf)
	require.NoError(t, err, "the in-flight request is answered, not dropped")
	require.Contains(t, string(buf[:n]), "HTTP/1.1 401", "anonymous PATCH is refused, but answered")

	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	_, err = http.Get("http://" + addr + "/healthz")
	require.Error(t, err, "the listener is closed")
}

// TestHugeHeadersAreRefusedQuickly sends a megabyte of dots as a bearer token and
// two megabytes of headers to the real server (QUALITY.md S2).
func TestHugeHeadersAreRefusedQuickly(t *testing.T) {
	pg := pgtest.New(t)
	db := pg.DB
	addr := freeAddr(t)
	cfg, err := config.LoadFrom(map[string]string{"ADDR": addr, "SPA_DIR": t.TempDir(), "DATA_DIR": t.TempDir()})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, db, pg.DSN, logging.New(io.Discard, "error"), nil) }()
	defer func() { cancel(); require.NoError(t, <-done, "serve stops cleanly") }()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 50*time.Millisecond)

	for name, hdr := range map[string]http.Header{
		"a megabyte of dots": {"Authorization": {"Bearer " + strings.Repeat(".", 1<<20)}},
		"two megabytes":      {"X-A": {strings.Repeat("a", 1<<20)}, "X-B": {strings.Repeat("b", 1<<20)}},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/api/v1/me", nil)
			require.NoError(t, err)
			req.Header = hdr
			start := time.Now()
			res, err := http.DefaultClient.Do(req)
			if err == nil {
				defer res.Body.Close()
				require.Equal(t, http.StatusRequestHeaderFieldsTooLarge, res.StatusCode)
			}
			// The server may also close the connection while the client still writes.
			require.Less(t, time.Since(start), 2*time.Second)
		})
	}
	res, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err, "the server is still up")
	res.Body.Close()
}

func TestVerifyLedgerReportsTheFirstBrokenSeq(t *testing.T) {
	sys := apptest.New(t, apptest.Options{})
	db := sys.Owner
	ctx := context.Background()
	var pid int64
	require.NoError(t, db.Raw("INSERT INTO processes (slug, title, languages) VALUES ('plan-2027', 'Plan', '{en}') RETURNING id").Scan(&pid).Error)
	l := sys.Ledger
	for i := 1; i <= 3; i++ {
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			_, err := l.Append(ctx, pid, ledger.Fields{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Response: int64(i), Disposition: "noted", Reasoning: "Noted."})
			return err
		}))
	}
	var out strings.Builder
	require.NoError(t, verifyLedger(ctx, sys.App, "plan-2027", "", &out))
	require.Contains(t, out.String(), "ok: plan-2027: 3 entries verified")

	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec(`UPDATE ledger_entries SET fields = replace(fields, '"Noted."', '"Noted!"') WHERE seq = 2`).Error
	}))
	out.Reset()
	require.ErrorIs(t, verifyLedger(ctx, sys.App, "plan-2027", "", &out), errLedgerBroken)
	require.Contains(t, out.String(), "BROKEN: plan-2027: first broken seq 2")
	require.Error(t, verifyLedger(ctx, sys.App, "no-such-process", "", &out))
}

// TestVerifyLedgerDetectsAForgedCheckpoint: entries from seq 3 on are
// rewritten by the database superuser with consistent hashes and the
// checkpoint is replaced by one signed with a fresh key, its public key in the
// row. verify-ledger checks every checkpoint against the configured key and
// exits with errLedgerBroken, naming the checkpoint and the reason.
func TestVerifyLedgerDetectsAForgedCheckpoint(t *testing.T) {
	_, configured, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(configured)
	require.NoError(t, err)
	keyFile := filepath.Join(t.TempDir(), "ledger-key.pem")
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	sys := apptest.New(t, apptest.Options{Env: map[string]string{"LEDGER_SIGNING_KEY_FILE": keyFile}})
	db := sys.Owner
	ctx := context.Background()
	var pid int64
	require.NoError(t, db.Raw("INSERT INTO processes (slug, title, languages) VALUES ('plan-2027', 'Plan', '{en}') RETURNING id").Scan(&pid).Error)
	for i := 1; i <= 4; i++ {
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			_, err := sys.Ledger.Append(ctx, pid, ledger.Fields{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Response: int64(i), Disposition: "noted", Reasoning: "Noted."})
			return err
		}))
	}
	sign := func(tx *gorm.DB, signer ed25519.PrivateKey) error {
		var head struct {
			Seq  int64
			Hash string
		}
		if err := tx.Raw("SELECT seq, hash FROM ledger_entries WHERE process_id = ? ORDER BY seq DESC LIMIT 1", pid).Scan(&head).Error; err != nil {
			return err
		}
		pub := signer.Public().(ed25519.PublicKey)
		cp := ledger.Checkpoint{Process: "plan-2027", Seq: head.Seq, Hash: head.Hash, SignedAt: time.Date(2027, 3, 15, 13, 0, 0, 0, time.UTC),
			KeyID: auth.KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub)}
		return tx.Exec(`INSERT INTO ledger_checkpoints (process_id, seq, hash, signed_at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			pid, cp.Seq, cp.Hash, cp.SignedAt, cp.KeyID, cp.PublicKey, base64.StdEncoding.EncodeToString(ed25519.Sign(signer, cp.Message()))).Error
	}
	require.NoError(t, sign(db, configured))
	var out strings.Builder
	require.NoError(t, verifyLedger(ctx, sys.App, "plan-2027", "", &out))
	require.Contains(t, out.String(), "ok: plan-2027: 4 entries verified")

	_, forger, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		var rows []struct {
			Seq    int64
			Fields string
		}
		require.NoError(t, tx.Raw("SELECT seq, fields FROM ledger_entries WHERE process_id = ? AND seq >= 3 ORDER BY seq", pid).Scan(&rows).Error)
		var prev string
		require.NoError(t, tx.Raw("SELECT hash FROM ledger_entries WHERE process_id = ? AND seq = 2", pid).Scan(&prev).Error)
		require.NoError(t, tx.Exec("DELETE FROM ledger_entries WHERE process_id = ? AND seq >= 3", pid).Error)
		require.NoError(t, tx.Exec("DELETE FROM ledger_checkpoints WHERE process_id = ?", pid).Error)
		for _, r := range rows {
			fields := strings.Replace(r.Fields, `"disposition":"noted"`, `"disposition":"rejected"`, 1)
			h, err := ledger.Hash(r.Seq, prev, []byte(fields))
			require.NoError(t, err)
			require.NoError(t, tx.Exec("INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?)", pid, r.Seq, fields, prev, h).Error)
			prev = h
		}
		return sign(tx, forger)
	}))
	out.Reset()
	require.ErrorIs(t, verifyLedger(ctx, sys.App, "plan-2027", "", &out), errLedgerBroken, out.String())
	require.Contains(t, out.String(), "BROKEN: plan-2027")
	require.Contains(t, out.String(), "checkpoint at entry 4")
	require.Contains(t, out.String(), "not one of the ledger's keys")
}

// TestVerifyLedgerSinceAKeptDownload: --since FILE checks that today's
// ledger extends a download kept earlier (or a kept checkpoint line); after
// entry 2 is rewritten with consistent hashes, it says where it differs and
// exits with errLedgerBroken; a file that is not a download is refused.
func TestVerifyLedgerSinceAKeptDownload(t *testing.T) {
	sys := apptest.New(t, apptest.Options{})
	db := sys.Owner
	ctx := context.Background()
	var pid int64
	require.NoError(t, db.Raw("INSERT INTO processes (slug, title, languages) VALUES ('plan-2027', 'Plan', '{en}') RETURNING id").Scan(&pid).Error)
	appendOne := func(i int) {
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			_, err := sys.Ledger.Append(ctx, pid, ledger.Fields{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Response: int64(i), Disposition: "noted", Reasoning: "Noted."})
			return err
		}))
	}
	for i := 1; i <= 3; i++ {
		appendOne(i)
	}
	cp, err := sys.Ledger.Checkpoint(ctx, pid, sys.Now())
	require.NoError(t, err)
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.jsonl")
	var download strings.Builder
	require.NoError(t, sys.Ledger.Each(ctx, pid, func(e ledger.Entry) error {
		b, err := json.Marshal(e)
		download.Write(append(b, '\n'))
		return err
	}))
	require.NoError(t, os.WriteFile(kept, []byte(download.String()), 0o600))
	checkpointOnly := filepath.Join(dir, "checkpoint.json")
	require.NoError(t, os.WriteFile(checkpointOnly, fmt.Appendf(nil, "{\n  \"checkpoint\": {\"seq\": %d, \"hash\": %q}\n}\n", cp.Seq, cp.Hash), 0o600))
	appendOne(4)

	var out strings.Builder
	require.NoError(t, verifyLedger(ctx, sys.App, "plan-2027", kept, &out), out.String())
	require.Contains(t, out.String(), "extends "+kept+": its 3 kept hashes, up to seq 3, are today's")
	out.Reset()
	require.NoError(t, verifyLedger(ctx, sys.App, "plan-2027", checkpointOnly, &out), out.String())
	require.Contains(t, out.String(), "its 1 kept hashes, up to seq 3")

	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		var rows []struct {
			Seq    int64
			Fields string
		}
		require.NoError(t, tx.Raw("SELECT seq, fields FROM ledger_entries WHERE process_id = ? AND seq >= 2 ORDER BY seq", pid).Scan(&rows).Error)
		var prev string
		require.NoError(t, tx.Raw("SELECT hash FROM ledger_entries WHERE process_id = ? AND seq = 1", pid).Scan(&prev).Error)
		require.NoError(t, tx.Exec("DELETE FROM ledger_entries WHERE process_id = ? AND seq >= 2", pid).Error)
		require.NoError(t, tx.Exec("DELETE FROM ledger_checkpoints WHERE process_id = ?", pid).Error)
		for _, r := range rows {
			fields := strings.Replace(r.Fields, `"Noted."`, `"Not noted."`, 1)
			h, err := ledger.Hash(r.Seq, prev, []byte(fields))
			require.NoError(t, err)
			require.NoError(t, tx.Exec("INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?)", pid, r.Seq, fields, prev, h).Error)
			prev = h
		}
		return nil
	}))
	out.Reset()
	require.ErrorIs(t, verifyLedger(ctx, sys.App, "plan-2027", kept, &out), errLedgerBroken, out.String())
	require.Contains(t, out.String(), "ok: plan-2027: 4 entries verified", "the rewritten chain links by itself")
	require.Contains(t, out.String(), "DIFFERS from "+kept+" at seq 2")
	out.Reset()
	require.ErrorIs(t, verifyLedger(ctx, sys.App, "plan-2027", checkpointOnly, &out), errLedgerBroken)
	require.Contains(t, out.String(), "DIFFERS from "+checkpointOnly+" at seq 3")

	notKept := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notKept, []byte("seq 3 was fine\n"), 0o600))
	require.ErrorContains(t, verifyLedger(ctx, sys.App, "plan-2027", notKept, &out), "--since "+notKept)
	require.Error(t, verifyLedger(ctx, sys.App, "plan-2027", filepath.Join(dir, "missing.jsonl"), &out))
}

// TestRateLimitSecret: RATE_LIMIT_SECRET when set; otherwise a secret kept in
// DATA_DIR, the same on every start.
func TestRateLimitSecret(t *testing.T) {
	log := logging.New(io.Discard, "error")
	set, err := config.LoadFrom(map[string]string{"RATE_LIMIT_SECRET": strings.Repeat("k", 40), "DATA_DIR": t.TempDir()})
	require.NoError(t, err)
	s, err := rateLimitSecret(set, log)
	require.NoError(t, err)
	require.Equal(t, []byte(strings.Repeat("k", 40)), s)
	_, err = os.Stat(set.RateLimitSecretPath())
	require.ErrorIs(t, err, os.ErrNotExist, "no file when the setting is given")

	unset, err := config.LoadFrom(map[string]string{"DATA_DIR": t.TempDir()})
	require.NoError(t, err)
	first, err := rateLimitSecret(unset, log)
	require.NoError(t, err)
	again, err := rateLimitSecret(unset, log)
	require.NoError(t, err)
	require.Equal(t, first, again, "a restart keeps the secret")
	require.NotEqual(t, s, first)
}
