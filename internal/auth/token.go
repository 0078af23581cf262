package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AccessTokenTTL is how long an access token is valid; a revoked session keeps
// at most this long of access.
const AccessTokenTTL = 15 * time.Minute

// tokenLeeway absorbs clock skew between API instances.
const tokenLeeway = 30 * time.Second

// maxTokenLength refuses absurd tokens before any parsing work.
const maxTokenLength = 4096

const accessTyp = "access"

// ErrInvalidToken is returned for every token that must not be accepted; the
// reason is never told to the caller.
var ErrInvalidToken = errors.New("invalid access token")

// Keyring holds the key that signs new access tokens and every key still
// accepted for verification, each named by its kid, so keys can rotate: add
// the new public key everywhere, then switch the signing key, then drop the old.
type Keyring struct {
	signKID  string
	sign     ed25519.PrivateKey
	verify   map[string]ed25519.PublicKey
	issuer   string
	audience string

	// seen remembers tokens whose signature and claims were checked, so a
	// client's repeated requests cost a map lookup instead of an Ed25519
	// verification; the time checks are redone on every use.
	mu   sync.Mutex
	seen map[[32]byte]checked
}

type checked struct {
	id       int64
	exp, iat time.Time
	nbf      *time.Time
}

// maxSeen bounds the memory of checked tokens (about 100 bytes each).
const maxSeen = 50000

// KeyID names a public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// NewKeyring builds a keyring that signs with sign and also accepts extra keys.
func NewKeyring(sign ed25519.PrivateKey, extra []ed25519.PublicKey, issuer, audience string) *Keyring {
	pub := sign.Public().(ed25519.PublicKey)
	k := &Keyring{signKID: KeyID(pub), sign: sign, verify: map[string]ed25519.PublicKey{KeyID(pub): pub}, issuer: issuer, audience: audience,
		seen: map[[32]byte]checked{}}
	for _, p := range extra {
		k.verify[KeyID(p)] = p
	}
	return k
}

// Claims are the access token's claims; typ keeps other token kinds out.
type Claims struct {
	jwt.RegisteredClaims
	Typ string `json:"typ"`
}

// Issue signs an access token for user id, valid from now for AccessTokenTTL.
func (k *Keyring) Issue(userID int64, now time.Time) (string, time.Time, error) {
	exp := now.Add(AccessTokenTTL)
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    k.issuer,
			Subject:   strconv.FormatInt(userID, 10),
			Audience:  jwt.ClaimStrings{k.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Typ: accessTyp,
	})
	t.Header["kid"] = k.signKID
	s, err := t.SignedString(k.sign)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign token: %w", err)
	}
	return s, exp, nil
}

// Verify checks an access token (algorithm pinned to EdDSA, known kid, issuer,
// audience, typ, exp and iat required, nbf honoured) and returns its user id.
func (k *Keyring) Verify(token string, now time.Time) (int64, error) {
	if len(token) > maxTokenLength {
		return 0, ErrInvalidToken
	}
	sum := sha256.Sum256([]byte(token))
	k.mu.Lock()
	known, ok := k.seen[sum]
	k.mu.Unlock()
	if ok {
		if now.After(known.exp.Add(tokenLeeway)) || known.iat.After(now.Add(tokenLeeway)) || (known.nbf != nil && known.nbf.After(now.Add(tokenLeeway))) {
			return 0, ErrInvalidToken
		}
		return known.id, nil
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(k.issuer),
		jwt.WithAudience(k.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(tokenLeeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var c Claims
	_, err := parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		pub, ok := k.verify[kid]
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	})
	if err != nil || c.Typ != accessTyp || c.IssuedAt == nil {
		return 0, ErrInvalidToken
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || id <= 0 || c.ExpiresAt == nil {
		return 0, ErrInvalidToken
	}
	seen := checked{id: id, exp: c.ExpiresAt.Time, iat: c.IssuedAt.Time}
	if c.NotBefore != nil {
		t := c.NotBefore.Time
		seen.nbf = &t
	}
	k.mu.Lock()
	if len(k.seen) >= maxSeen {
		clear(k.seen)
	}
	k.seen[sum] = seen
	k.mu.Unlock()
	return id, nil
}

// LoadOrCreateSigningKey reads a PEM (PKCS #8) Ed25519 private key from path;
// when create is true and the file does not exist, it generates one and stores
// it with mode 0600 (the development default, under DATA_DIR).
func LoadOrCreateSigningKey(path string, create bool) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
			return nil, fmt.Errorf("auth: store signing key: %w", err)
		}
		return priv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read signing key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("auth: %s holds no PEM block", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", path, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("auth: %s is not an Ed25519 key", path)
	}
	return priv, nil
}

// LoadPublicKey reads a PEM (PKIX) Ed25519 public key, for verification only.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: read public key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("auth: %s holds no PEM block", path)
	}
	key, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", path, err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("auth: %s is not an Ed25519 key", path)
	}
	return pub, nil
}
