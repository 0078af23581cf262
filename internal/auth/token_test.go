package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

func newTestKeyring(t *testing.T) (*Keyring, ed25519.PrivateKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return NewKeyring(priv, nil, "cocreate", "cocreate-api"), priv
}

// TestVerifyRejectsForgedTokens covers every forged-token kind of QUALITY.md S1.
func TestVerifyRejectsForgedTokens(t *testing.T) {
	k, priv := newTestKeyring(t)
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	pub := priv.Public().(ed25519.PublicKey)
	kid := KeyID(pub)

	good := func() Claims {
		return Claims{RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "cocreate", Subject: "42", Audience: jwt.ClaimStrings{"cocreate-api"},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)),
		}, Typ: "access"}
	}
	sign := func(m jwt.SigningMethod, key any, c Claims, kid string) string {
		tok := jwt.NewWithClaims(m, c)
		if kid != "" {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		require.NoError(t, err)
		return s
	}
	with := func(f func(*Claims)) Claims {
		c := good()
		f(&c)
		return c
	}
	b64 := base64.RawURLEncoding.EncodeToString
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)

	valid := sign(jwt.SigningMethodEdDSA, priv, good(), kid)
	id, err := k.Verify(valid, now)
	require.NoError(t, err)
	require.EqualValues(t, 42, id)

	issued, _, err := k.Issue(7, now)
	require.NoError(t, err)
	id, err = k.Verify(issued, now.Add(AccessTokenTTL-time.Second))
	require.NoError(t, err)
	require.EqualValues(t, 7, id)

	parts := strings.Split(valid, ".")
	for name, token := range map[string]string{
		"alg none":                        sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good(), kid),
		"HS256 keyed with the public key": sign(jwt.SigningMethodHS256, []byte(pub), good(), kid),
		"unknown alg":                     b64([]byte(`{"alg":"XY512","typ":"JWT","kid":"`+kid+`"}`)) + "." + parts[1] + "." + parts[2],
		"bad signature":                   parts[0] + "." + parts[1] + "." + b64(make([]byte, 64)),
		"payload swapped":                 parts[0] + "." + b64([]byte(`{"iss":"cocreate","sub":"1","aud":["cocreate-api"],"iat":1,"exp":9999999999,"typ":"access"}`)) + "." + parts[2],
		"signed by another key":           sign(jwt.SigningMethodEdDSA, otherPriv, good(), kid),
		"unknown kid":                     sign(jwt.SigningMethodEdDSA, priv, good(), "0000000000000000"),
		"no kid":                          sign(jwt.SigningMethodEdDSA, priv, good(), ""),
		"wrong audience":                  sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.Audience = jwt.ClaimStrings{"other-api"} }), kid),
		"wrong issuer":                    sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.Issuer = "evil" }), kid),
		"wrong typ":                       sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.Typ = "refresh" }), kid),
		"missing typ":                     sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.Typ = "" }), kid),
		"missing exp":                     sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.ExpiresAt = nil }), kid),
		"expired":                         sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) }), kid),
		"not yet valid":                   sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }), kid),
		"missing iat":                     sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.IssuedAt = nil }), kid),
		"subject not a user id":           sign(jwt.SigningMethodEdDSA, priv, with(func(c *Claims) { c.Subject = "admin" }), kid),
		"oversized":                       valid + strings.Repeat(".", maxTokenLength),
		"garbage":                         "not.a.token",
		"empty":                           "",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := k.Verify(token, now)
			require.ErrorIs(t, err, ErrInvalidToken)
		})
	}
}

func TestKeysRotate(t *testing.T) {
	old, oldPriv := newTestKeyring(t)
	now := time.Now()
	tok, _, err := old.Issue(5, now)
	require.NoError(t, err)

	_, newPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rotated := NewKeyring(newPriv, []ed25519.PublicKey{oldPriv.Public().(ed25519.PublicKey)}, "cocreate", "cocreate-api")
	id, err := rotated.Verify(tok, now)
	require.NoError(t, err, "tokens signed by the previous key stay valid while it is listed")
	require.EqualValues(t, 5, id)

	fresh := NewKeyring(newPriv, nil, "cocreate", "cocreate-api")
	_, err = fresh.Verify(tok, now)
	require.ErrorIs(t, err, ErrInvalidToken, "dropping the old key ends its tokens")
}

func TestSigningKeyIsCreatedOnceAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "signing.pem")
	a, err := LoadOrCreateSigningKey(path, true)
	require.NoError(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := LoadOrCreateSigningKey(path, true)
	require.NoError(t, err)
	require.True(t, a.Equal(b))

	_, err = LoadOrCreateSigningKey(filepath.Join(t.TempDir(), "absent.pem"), false)
	require.Error(t, err, "production never invents a key")
}

// A token checked once is remembered, but its lifetime is checked on every use.
func TestRememberedTokenStillExpires(t *testing.T) {
	k, _ := newTestKeyring(t)
	now := time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)
	tok, _, err := k.Issue(42, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{now, true}, {now.Add(14 * time.Minute), true}, {now.Add(16 * time.Minute), false}, {now.Add(-time.Hour), false}} {
		id, err := k.Verify(tok, c.at)
		if c.want && (err != nil || id != 42) {
			t.Fatalf("at %s: %d, %v; want 42", c.at, id, err)
		}
		if !c.want && err == nil {
			t.Fatalf("at %s: accepted; want refused", c.at)
		}
	}
	// A tampered copy is not the remembered token.
	b := []byte(tok)
	i := len(b) - 10 // inside the signature
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	if _, err := k.Verify(string(b), now); err == nil {
		t.Fatal("tampered token accepted")
	}
}
