package user

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/database"
)

// Store reads and writes accounts and their tokens.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// insertSQL stores a new account unless its pseudonym is taken (then it
// returns no row, and the transaction stays usable for another try); a taken
// address still fails, on users_email_key.
const insertSQL = `INSERT INTO users (email, display_name, password_hash, pseudonym, is_admin)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (pseudonym) DO NOTHING
		RETURNING id, created_at, updated_at`

// Insert stores a new account and reports whether it did: false when its
// pseudonym is taken. A taken address becomes ErrEmailTaken.
func (s *Store) Insert(ctx context.Context, u *User) (bool, error) {
	var row struct {
		ID                   int64
		CreatedAt, UpdatedAt time.Time
	}
	res := database.Conn(ctx, s.db).Raw(insertSQL, u.Email, u.DisplayName, u.PasswordHash, u.Pseudonym, u.IsAdmin).Scan(&row)
	// GORM does not translate the errors of raw statements: read PostgreSQL's.
	if pe := (*pgconn.PgError)(nil); errors.As(res.Error, &pe) && pe.Code == "23505" && pe.ConstraintName == "users_email_key" {
		return false, ErrEmailTaken
	}
	if res.Error != nil {
		return false, fmt.Errorf("user store: insert: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	u.ID, u.CreatedAt, u.UpdatedAt = row.ID, row.CreatedAt, row.UpdatedAt
	return true, nil
}

// ByID returns a live or deleted account by id, or ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := database.Conn(ctx, s.db).Take(&u, id).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return User{}, ErrNotFound
	case err != nil:
		return User{}, fmt.Errorf("user store: by id %d: %w", id, err)
	}
	return u, nil
}

// ByEmail returns the live account with this address (any case), or ErrNotFound.
func (s *Store) ByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := database.Conn(ctx, s.db).Where("lower(email) = lower(?)", email).Take(&u).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return User{}, ErrNotFound
	case err != nil:
		return User{}, fmt.Errorf("user store: by email: %w", err)
	}
	return u, nil
}

// ByExactEmail returns an account whose address is exactly email, or ErrNotFound.
func (s *Store) ByExactEmail(ctx context.Context, email string) (User, error) {
	var found []User
	if err := database.Conn(ctx, s.db).Where("email = ?", email).Limit(1).Find(&found).Error; err != nil {
		return User{}, fmt.Errorf("user store: by exact email: %w", err)
	}
	if len(found) == 0 {
		return User{}, ErrNotFound
	}
	return found[0], nil
}

// MarkVerified records that u's address is confirmed at at; GORM also sets
// u's updated_at from its clock.
func (s *Store) MarkVerified(ctx context.Context, u *User, at time.Time) error {
	if err := database.Conn(ctx, s.db).Model(u).Update("email_verified_at", at).Error; err != nil {
		return fmt.Errorf("user store: verify %d: %w", u.ID, err)
	}
	return nil
}

// Update writes the given columns of account id and bumps updated_at.
func (s *Store) Update(ctx context.Context, id int64, cols map[string]any) error {
	cols["updated_at"] = gorm.Expr("now()")
	if err := database.Conn(ctx, s.db).Model(&User{}).Where("id = ?", id).Updates(cols).Error; err != nil {
		return fmt.Errorf("user store: update %d: %w", id, err)
	}
	return nil
}

// InsertEmailToken stores a hashed single-use token.
func (s *Store) InsertEmailToken(ctx context.Context, t emailToken) error {
	if err := database.Conn(ctx, s.db).Create(&t).Error; err != nil {
		return fmt.Errorf("user store: insert e-mail token: %w", err)
	}
	return nil
}

// UseEmailToken marks an unused, unexpired token of purpose as used and returns
// it; a second use, or a token of the wrong purpose, gets ErrBadEmailToken.
func (s *Store) UseEmailToken(ctx context.Context, hash []byte, purpose string, now time.Time) (emailToken, error) {
	var t emailToken
	res := database.Conn(ctx, s.db).Model(&t).Clauses(clause.Returning{}).
		Where("token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, now).
		Update("used_at", now)
	if res.Error != nil {
		return emailToken{}, fmt.Errorf("user store: use e-mail token: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return emailToken{}, ErrBadEmailToken
	}
	return t, nil
}

// InsertRefresh stores a hashed refresh token.
func (s *Store) InsertRefresh(ctx context.Context, t *refreshToken) error {
	if err := database.Conn(ctx, s.db).Select("user_id", "family", "token_hash", "expires_at").Create(t).Error; err != nil {
		return fmt.Errorf("user store: insert refresh token: %w", err)
	}
	return nil
}

// RefreshForUpdate returns the refresh token with hash, locked, or ErrRefreshInvalid.
func (s *Store) RefreshForUpdate(ctx context.Context, hash []byte) (refreshToken, error) {
	var t refreshToken
	err := database.Conn(ctx, s.db).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hash).Take(&t).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return refreshToken{}, ErrRefreshInvalid
	case err != nil:
		return refreshToken{}, fmt.Errorf("user store: refresh token: %w", err)
	}
	return t, nil
}

// MarkRefreshUsed records that a refresh token was exchanged.
func (s *Store) MarkRefreshUsed(ctx context.Context, id int64, now time.Time) error {
	return database.Conn(ctx, s.db).Model(&refreshToken{}).Where("id = ?", id).Update("used_at", now).Error
}

// RevokeFamily revokes every token of a login family.
func (s *Store) RevokeFamily(ctx context.Context, family string, now time.Time) error {
	return database.Conn(ctx, s.db).Model(&refreshToken{}).
		Where("family = ? AND revoked_at IS NULL", family).Update("revoked_at", now).Error
}

// RevokeAllOf revokes every refresh token of an account: all its sessions end.
func (s *Store) RevokeAllOf(ctx context.Context, userID int64, now time.Time) error {
	return database.Conn(ctx, s.db).Model(&refreshToken{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
}

// Erase removes an account's personal data and everything that could carry it.
func (s *Store) Erase(ctx context.Context, id int64) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(`UPDATE users SET email = NULL, display_name = NULL, password_hash = NULL,
		email_verified_at = NULL, deleted_at = now(), updated_at = now() WHERE id = ? AND deleted_at IS NULL`, id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: %w", id, err)
	}
	if err := conn.Exec("DELETE FROM email_tokens WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: tokens: %w", id, err)
	}
	if err := conn.Exec("DELETE FROM outbox WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: outbox: %w", id, err)
	}
	// What the account followed, was told and chose to hear (the rows
	// reference the account, so the cascade would take them only with it).
	for _, table := range []string{"follows", "notifications", "notification_prefs"} {
		if err := conn.Exec("DELETE FROM "+table+" WHERE account_id = ?", id).Error; err != nil {
			return fmt.Errorf("user store: erase %d: %s: %w", id, table, err)
		}
	}
	// Stored answers of the account's writes may quote its name.
	if err := conn.Exec("DELETE FROM idempotency_keys WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: idempotency keys: %w", id, err)
	}
	// Private texts: what moderators redacted from the account's
	// contributions, and the notes of its flags.
	if err := conn.Exec(`DELETE FROM moderation_redactions WHERE item_id IN (SELECT id FROM moderation_items WHERE author_id = ?)`, id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: redactions: %w", id, err)
	}
	// Edits that were waiting for a moderator were never published.
	if err := conn.Exec(`UPDATE comments SET pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL
		WHERE author_id = ? AND pending_body IS NOT NULL`, id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: waiting comment edits: %w", id, err)
	}
	if err := conn.Exec(`UPDATE ideas SET pending_title = NULL, pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL
		WHERE author_id = ? AND pending_body IS NOT NULL`, id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: waiting idea edits: %w", id, err)
	}
	if err := conn.Exec("UPDATE moderation_flags SET note = '' WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: flag notes: %w", id, err)
	}
	if err := conn.Exec("UPDATE moderation_items SET appeal_note = NULL WHERE author_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: appeal notes: %w", id, err)
	}
	// A forum member's pseudonymous ids stay in the ledger; the rows that
	// tie them to the account go, and so do signatures on drafts.
	if err := conn.Exec("DELETE FROM forum_pseudonyms WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: member ids: %w", id, err)
	}
	if err := conn.Exec("DELETE FROM response_signatures WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: signatures: %w", id, err)
	}
	// A member's declarations of interests, and registrations for meetings.
	if err := conn.Exec("DELETE FROM forum_declarations WHERE membership_id IN (SELECT id FROM forum_memberships WHERE user_id = ?)", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: declarations: %w", id, err)
	}
	if err := conn.Exec("DELETE FROM meeting_registrations WHERE user_id = ?", id).Error; err != nil {
		return fmt.Errorf("user store: erase %d: registrations: %w", id, err)
	}
	return nil
}
