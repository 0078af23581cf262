package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"cocreate/internal/auth"
)

// Key is a public key that signs checkpoints and the period in which its
// signatures count: from From (inclusive; nil since the beginning) until
// Until (exclusive; nil while it is the current key).
type Key struct {
	ID        string
	PublicKey ed25519.PublicKey
	From      *time.Time
	Until     *time.Time
}

// Current reports whether the key is the one the instance signs with now.
func (k Key) Current() bool { return k.Until == nil }

// covers reports whether t lies in the key's validity.
func (k Key) covers(t time.Time) bool {
	return (k.From == nil || !t.Before(*k.From)) && (k.Until == nil || t.Before(*k.Until))
}

// Keys are the ledger's configured checkpoint keys: the current one, with its
// private half when this process signs, and the retired ones. Checkpoints are
// checked against these, never against the public key stored beside them.
type Keys struct {
	signer ed25519.PrivateKey
	keys   []Key // the current key first, then the retired ones as configured
}

// NewKeys builds the key set: signer is the current key (nil when this
// process has none), valid from since (nil: from the beginning); retired are
// earlier keys, each with an end. Ids are the keys' own (auth.KeyID); a
// retired key must not be the current one, and no id may appear twice.
func NewKeys(signer ed25519.PrivateKey, since *time.Time, retired []Key) (*Keys, error) {
	k := &Keys{signer: signer}
	seen := map[string]bool{}
	if signer != nil {
		pub := signer.Public().(ed25519.PublicKey)
		k.keys = append(k.keys, Key{ID: auth.KeyID(pub), PublicKey: pub, From: utc(since)})
		seen[auth.KeyID(pub)] = true
	}
	for _, r := range retired {
		if len(r.PublicKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("ledger keys: retired key %q is not an Ed25519 public key", r.ID)
		}
		id := auth.KeyID(r.PublicKey)
		if r.ID != "" && r.ID != id {
			return nil, fmt.Errorf("ledger keys: retired key %q has the id %q", r.ID, id)
		}
		if r.Until == nil {
			return nil, fmt.Errorf("ledger keys: retired key %q has no valid_until", id)
		}
		if r.From != nil && !r.From.Before(*r.Until) {
			return nil, fmt.Errorf("ledger keys: retired key %q: valid_from is not before valid_until", id)
		}
		if seen[id] {
			return nil, fmt.Errorf("ledger keys: key %q is listed twice (a retired key cannot be the current one)", id)
		}
		seen[id] = true
		k.keys = append(k.keys, Key{ID: id, PublicKey: r.PublicKey, From: utc(r.From), Until: utc(r.Until)})
	}
	return k, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// All returns the configured keys, the current one first.
func (k *Keys) All() []Key {
	if k == nil {
		return nil
	}
	return append([]Key(nil), k.keys...)
}

func (k *Keys) byID(id string) (Key, bool) {
	if k != nil {
		for _, key := range k.keys {
			if key.ID == id {
				return key, true
			}
		}
	}
	return Key{}, false
}

// ErrNoSigningKey is returned by Checkpoint when no current key is configured.
var ErrNoSigningKey = errors.New("ledger: no checkpoint signing key is configured")

// ErrKeyNotValidYet is returned by Checkpoint before the current key's start.
var ErrKeyNotValidYet = errors.New("ledger: the checkpoint signing key is not valid yet (LEDGER_SIGNING_KEY_SINCE)")

// sign signs cp with the current key, filling its key id, public key and
// signature.
func (k *Keys) sign(cp *Checkpoint) error {
	if k == nil || k.signer == nil {
		return ErrNoSigningKey
	}
	cur := k.keys[0]
	if !cur.covers(cp.SignedAt) {
		return ErrKeyNotValidYet
	}
	cp.KeyID, cp.PublicKey = cur.ID, base64.StdEncoding.EncodeToString(cur.PublicKey)
	cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.signer, cp.Message()))
	return nil
}

// The reasons a checkpoint fails verification; the API sends them as codes.
const (
	ReasonUnknownKey      = "unknown_key"      // its key id is none of the configured keys
	ReasonKeyMismatch     = "key_mismatch"     // its row's public key differs from the configured one of that id
	ReasonOutsideValidity = "outside_validity" // signed before the key's start or after its end
	ReasonBadSignature    = "bad_signature"    // the configured key did not sign it
	ReasonHashMismatch    = "hash_mismatch"    // the chain's hash at its seq differs
	ReasonBeyondHead      = "beyond_head"      // it signs an entry the ledger no longer has
)

// check returns why cp's signature does not hold against the configured keys
// ("" when it holds), with a sentence saying so.
func (k *Keys) check(cp Checkpoint) (reason, problem string) {
	key, ok := k.byID(cp.KeyID)
	if !ok {
		return ReasonUnknownKey, fmt.Sprintf("the checkpoint at entry %d is signed by key %q, which is not one of the ledger's keys (GET /api/v1/ledger/keys)", cp.Seq, cp.KeyID)
	}
	stored, err := base64.StdEncoding.DecodeString(cp.PublicKey)
	if err != nil || !bytes.Equal(stored, key.PublicKey) {
		return ReasonKeyMismatch, fmt.Sprintf("the checkpoint at entry %d names key %q but carries another public key than the configured one", cp.Seq, cp.KeyID)
	}
	if !key.covers(cp.SignedAt) {
		return ReasonOutsideValidity, fmt.Sprintf("the checkpoint at entry %d was signed at %s, outside the validity of key %q (%s)", cp.Seq, Timestamp(cp.SignedAt), cp.KeyID, key.validity())
	}
	sig, err := base64.StdEncoding.DecodeString(cp.Signature)
	if err != nil || !ed25519.Verify(key.PublicKey, cp.Message(), sig) {
		return ReasonBadSignature, fmt.Sprintf("the checkpoint at entry %d does not carry a valid signature of key %q", cp.Seq, cp.KeyID)
	}
	return "", ""
}

func (k Key) validity() string {
	from, until := "the beginning", "now"
	if k.From != nil {
		from = Timestamp(*k.From)
	}
	if k.Until != nil {
		until = Timestamp(*k.Until)
	}
	return "from " + from + " until " + until
}

// KeyDocument is a list of keys as GET /api/v1/ledger/keys publishes it and
// as LEDGER_RETIRED_KEYS_FILE holds it: {"keys":[{"key_id", "public_key"
// (base64), "valid_from", "valid_until" (RFC 3339 or null)}, ...]}; other
// members (a key's "status") are ignored.
type KeyDocument struct {
	Keys []KeyJSON `json:"keys"`
}

// KeyJSON is one key of a KeyDocument.
type KeyJSON struct {
	KeyID      string     `json:"key_id"`
	PublicKey  string     `json:"public_key"`
	ValidFrom  *time.Time `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until"`
}

// ParseKeyDocument reads a KeyDocument into keys.
func ParseKeyDocument(b []byte) ([]Key, error) {
	var doc KeyDocument
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("ledger keys: %w", err)
	}
	out := make([]Key, 0, len(doc.Keys))
	for i, j := range doc.Keys {
		pub, err := base64.StdEncoding.DecodeString(j.PublicKey)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("ledger keys: key %d (%q): public_key is not a base64 Ed25519 public key", i+1, j.KeyID)
		}
		out = append(out, Key{ID: j.KeyID, PublicKey: pub, From: j.ValidFrom, Until: j.ValidUntil})
	}
	return out, nil
}
