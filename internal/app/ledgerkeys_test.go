package app

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/config"
)

// TestLedgerKeysFromTheConfiguration: the signing key, its start and the
// retired keys file make the key set; a retired file that is missing, not a
// key document, or lists the current key stops the start with its name; a
// verification without the key file does not create one.
func TestLedgerKeysFromTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "current.pem")
	cur, err := auth.LoadOrCreateSigningKey(keyFile, true)
	require.NoError(t, err)
	oldFile := filepath.Join(dir, "old.pem")
	old, err := auth.LoadOrCreateSigningKey(oldFile, true)
	require.NoError(t, err)
	doc := func(k ed25519.PrivateKey) string {
		pub := k.Public().(ed25519.PublicKey)
		return fmt.Sprintf(`{"keys":[{"key_id":%q,"public_key":%q,"valid_from":null,"valid_until":"2027-01-01T00:00:00Z","status":"retired"}]}`,
			auth.KeyID(pub), base64.StdEncoding.EncodeToString(pub))
	}
	write := func(name, body string) string {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(body), 0o600))
		return f
	}
	load := func(vars map[string]string) (int, error) {
		cfg, err := config.LoadFrom(vars)
		require.NoError(t, err)
		keys, err := LedgerKeys(cfg, false)
		return len(keys.All()), err
	}
	n, err := load(map[string]string{"LEDGER_SIGNING_KEY_FILE": keyFile, "LEDGER_SIGNING_KEY_SINCE": "2027-01-01T00:00:00Z",
		"LEDGER_RETIRED_KEYS_FILE": write("retired.json", doc(old))})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	_, err = load(map[string]string{"LEDGER_SIGNING_KEY_FILE": keyFile, "LEDGER_RETIRED_KEYS_FILE": filepath.Join(dir, "none.json")})
	require.ErrorContains(t, err, "LEDGER_RETIRED_KEYS_FILE")
	_, err = load(map[string]string{"LEDGER_SIGNING_KEY_FILE": keyFile, "LEDGER_RETIRED_KEYS_FILE": write("bad.json", "[1,2]")})
	require.ErrorContains(t, err, "LEDGER_RETIRED_KEYS_FILE")
	_, err = load(map[string]string{"LEDGER_SIGNING_KEY_FILE": keyFile, "LEDGER_RETIRED_KEYS_FILE": write("self.json", doc(cur))})
	require.ErrorContains(t, err, "listed twice")

	data := filepath.Join(dir, "data")
	_, err = load(map[string]string{"DATA_DIR": data})
	require.ErrorContains(t, err, "ledger signing key")
	_, err = os.Stat(filepath.Join(data, "ledger-signing-key.pem"))
	require.ErrorIs(t, err, os.ErrNotExist, "verifying creates no key")
}
