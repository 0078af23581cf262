package app

import (
	"fmt"
	"os"

	"cocreate/internal/auth"
	"cocreate/internal/config"
	"cocreate/internal/ledger"
)

// LedgerKeys loads the ledger's checkpoint keys as configured: the signing
// key (LEDGER_SIGNING_KEY_FILE, or the one under DATA_DIR, created there when
// create is true), valid from LEDGER_SIGNING_KEY_SINCE, and the retired keys
// of LEDGER_RETIRED_KEYS_FILE.
func LedgerKeys(cfg config.Config, create bool) (*ledger.Keys, error) {
	path, underDataDir := cfg.LedgerKeyPath()
	priv, err := auth.LoadOrCreateSigningKey(path, create && underDataDir)
	if err != nil {
		return nil, fmt.Errorf("ledger signing key: %w", err)
	}
	var retired []ledger.Key
	if f := cfg.LedgerRetiredKeysFile; f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("LEDGER_RETIRED_KEYS_FILE: %w", err)
		}
		if retired, err = ledger.ParseKeyDocument(b); err != nil {
			return nil, fmt.Errorf("LEDGER_RETIRED_KEYS_FILE %s: %w", f, err)
		}
	}
	keys, err := ledger.NewKeys(priv, cfg.LedgerKeySince(), retired)
	if err != nil {
		return nil, fmt.Errorf("LEDGER_RETIRED_KEYS_FILE: %w", err)
	}
	return keys, nil
}
