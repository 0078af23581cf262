package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"
)

// FuzzVerify: no string is accepted as an access token unless the keyring
// signed it, and none makes Verify panic (QUALITY.md S1, S8).
func FuzzVerify(f *testing.F) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	k := NewKeyring(key, nil, "cocreate", "cocreate-api")
	now := time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)
	good, _, err := k.Issue(42, now)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", ".", "..", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9.", good + "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, err := k.Verify(token, now)
		if err == nil && token != good {
			t.Fatalf("accepted a token the keyring did not issue: %q (user %d)", token, id)
		}
	})
}
