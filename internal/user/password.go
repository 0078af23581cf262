package user

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id costs; config sets them, tests lower them.
type HashParams struct {
	MemoryKiB  uint32
	Iterations uint32
	Threads    uint8
}

// DefaultHashParams follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane).
var DefaultHashParams = HashParams{MemoryKiB: 19456, Iterations: 2, Threads: 1}

// The password rules.
const (
	MinPassword = 10
	MaxPassword = 128
)

// hashPassword returns an encoded argon2id hash in the PHC string format.
func hashPassword(pw string, p HashParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Threads, 32)
	enc := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Iterations, p.Threads, enc(salt), enc(key)), nil
}

// checkPassword compares pw with an encoded hash in constant time, using the
// costs stored in the hash (so raising them later does not lock anyone out).
func checkPassword(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("user: unknown password hash format")
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Threads); err != nil {
		return false, fmt.Errorf("user: password hash parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// commonPasswords are refused outright: the most used passwords in public
// breach corpora, lower-cased, that meet the length rule.
var commonPasswords = map[string]bool{
	"1234567890": true, "0123456789": true, "1111111111": true, "0000000000": true,
	"123456789a": true, "a123456789": true, "1q2w3e4r5t": true, "qwertyuiop": true,
	"password12": true, "password123": true, "password1234": true, "passw0rd123": true,
	"iloveyou12": true, "qwerty1234": true, "qwerty12345": true, "1qaz2wsx3edc": true,
	"abcdefghij": true, "abcd123456": true, "welcome123": true, "football12": true,
	"letmein123": true, "sunshine12": true, "princess12": true, "baseball12": true,
	"trustno1234": true, "superman12": true, "starwars12": true, "dragon1234": true,
	"monkey1234": true, "master1234": true, "administrator": true, "changeme123": true,
	"qazwsxedcrfv": true, "zaq12wsxcde3": true, "asdfghjkl1": true, "1234qwerasdf": true,
	"9876543210": true, "1122334455": true, "1234512345": true, "0987654321": true,
}

// validatePassword returns a rule code, or "" when pw is acceptable.
func validatePassword(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return "min"
	case n > MaxPassword:
		return "max"
	case commonPasswords[strings.ToLower(pw)]:
		return "common"
	}
	return ""
}
