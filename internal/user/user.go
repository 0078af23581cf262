// Package user owns accounts: sign-up, e-mail verification, login sessions with
// rotating refresh tokens, and the account's own settings.
package user

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// User is one row of users.
type User struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	Email           *string    `gorm:"column:email"`
	DisplayName     *string    `gorm:"column:display_name"`
	PasswordHash    *string    `gorm:"column:password_hash"`
	Pseudonym       string     `gorm:"column:pseudonym"`
	IsAdmin         bool       `gorm:"column:is_admin"`
	EmailVerifiedAt *time.Time `gorm:"column:email_verified_at"`
	SuspendedAt     *time.Time `gorm:"column:suspended_at"`
	DeletedAt       *time.Time `gorm:"column:deleted_at"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	UpdatedAt       time.Time  `gorm:"column:updated_at"`
}

// TableName maps User to its table.
func (User) TableName() string { return "users" }

// Name is the name shown publicly: the display name, or the pseudonym once the
// account is deleted.
func (u User) Name() string {
	if u.DisplayName != nil {
		return *u.DisplayName
	}
	return u.Pseudonym
}

// refreshToken is one row of refresh_tokens.
type refreshToken struct {
	ID        int64      `gorm:"column:id;primaryKey"`
	UserID    int64      `gorm:"column:user_id"`
	Family    string     `gorm:"column:family"`
	TokenHash []byte     `gorm:"column:token_hash"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	UsedAt    *time.Time `gorm:"column:used_at"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (refreshToken) TableName() string { return "refresh_tokens" }

// emailToken is one row of email_tokens.
type emailToken struct {
	TokenHash []byte     `gorm:"column:token_hash;primaryKey"`
	UserID    int64      `gorm:"column:user_id"`
	Purpose   string     `gorm:"column:purpose"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	UsedAt    *time.Time `gorm:"column:used_at"`
}

func (emailToken) TableName() string { return "email_tokens" }

// The purposes of e-mailed tokens.
const (
	purposeVerify = "verify_email"
	purposeReset  = "reset_password"
)

// newSecret returns a random URL-safe token and the SHA-256 hash stored for it.
func newSecret() (string, []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	s := base64.RawURLEncoding.EncodeToString(b)
	return s, hashSecret(s)
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// newPseudonym returns a public name that says nothing about the person.
func newPseudonym() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "Participant " + hex.EncodeToString(b)
}

func newFamily() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
