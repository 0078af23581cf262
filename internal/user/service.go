package user

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	mailbox "cocreate/internal/mail"
)

// Lifetimes of the tokens this service hands out.
const (
	RefreshTTL     = 30 * 24 * time.Hour
	VerifyTokenTTL = 48 * time.Hour
)

// Options configure the account service.
type Options struct {
	Keys      *auth.Keyring
	Hash      HashParams
	PublicURL string // base of links in e-mails, e.g. http://127.0.0.1:8080
	Now       func() time.Time
}

// Service holds the account rules.
type Service struct {
	db    *gorm.DB
	store *Store
	opts  Options
	// dummyHash keeps a failed login for an unknown address as slow as one for
	// a known address, so timing does not tell which addresses have accounts.
	dummyHash string
}

// NewService returns an account service on db.
func NewService(db *gorm.DB, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	dummy, _ := hashPassword("not a password of anyone", opts.Hash)
	return &Service{db: db, store: NewStore(db), opts: opts, dummyHash: dummy}
}

// SignUpInput is what a new account needs.
type SignUpInput struct {
	Email       string
	DisplayName string
	Password    string
}

// Session is what a login or refresh returns: a short-lived access token and a
// rotating refresh token (sent to the browser as an HttpOnly cookie).
type Session struct {
	User           User
	AccessToken    string
	AccessExpires  time.Time
	RefreshToken   string
	RefreshExpires time.Time
}

// normaliseEmail checks an address is a bare, well-formed one.
func normaliseEmail(f *apperr.Fields, email string) string {
	email = strings.TrimSpace(email)
	a, err := mail.ParseAddress(email)
	switch {
	case email == "":
		f.Add("email", "required", "an e-mail address is required")
	case len(email) > 254 || err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], "."):
		f.Add("email", "email", "not an e-mail address")
	}
	return email
}

func validateDisplayName(f *apperr.Fields, name string) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		f.Add("display_name", "required", "a display name is required")
	case utf8.RuneCountInString(name) > 80:
		f.Add("display_name", "max", "a display name has at most 80 characters")
	case strings.ContainsAny(name, "\r\n\t"):
		f.Add("display_name", "chars", "a display name is one line")
	}
	return name
}

// SignsTokens reports whether the service has the keys to issue access tokens.
func (s *Service) SignsTokens() bool { return s.opts.Keys != nil }

// SignUp creates an account and queues the verification e-mail, atomically.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (User, error) {
	var f apperr.Fields
	email := normaliseEmail(&f, in.Email)
	name := validateDisplayName(&f, in.DisplayName)
	if code := validatePassword(in.Password); code != "" {
		f.Add("password", code, fmt.Sprintf("a password has %d to %d characters and is not a common one", MinPassword, MaxPassword))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return User{}, err
	}
	hash, err := hashPassword(in.Password, s.opts.Hash)
	if err != nil {
		return User{}, err
	}
	u := User{Email: &email, DisplayName: &name, PasswordHash: &hash, Pseudonym: newPseudonym()}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.Insert(ctx, &u); err != nil {
			return err
		}
		return s.sendVerification(ctx, u)
	})
	return u, err
}

// Provision creates an account whose address is already confirmed, for the
// binary's own commands (demo data); only the System principal may. An existing
// account with that address is returned unchanged.
func (s *Service) Provision(ctx context.Context, actor auth.Principal, in SignUpInput) (User, error) {
	if actor != auth.System {
		return User{}, ErrNotSystem
	}
	var f apperr.Fields
	email := normaliseEmail(&f, in.Email)
	name := validateDisplayName(&f, in.DisplayName)
	if code := validatePassword(in.Password); code != "" {
		f.Add("password", code, "a longer, less common password")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return User{}, err
	}
	var existing []User
	if err := database.Conn(ctx, s.db).Where("email = ?", email).Limit(1).Find(&existing).Error; err != nil {
		return User{}, fmt.Errorf("user: provision lookup: %w", err)
	}
	if len(existing) > 0 {
		return existing[0], nil
	}
	hash, err := hashPassword(in.Password, s.opts.Hash)
	if err != nil {
		return User{}, err
	}
	u := User{Email: &email, DisplayName: &name, PasswordHash: &hash, Pseudonym: newPseudonym()}
	if err := s.store.Insert(ctx, &u); err != nil {
		return User{}, err
	}
	now := s.opts.Now().UTC()
	if err := database.Conn(ctx, s.db).Model(&u).Update("email_verified_at", now).Error; err != nil {
		return User{}, fmt.Errorf("user: provision verify: %w", err)
	}
	u.EmailVerifiedAt = &now
	return u, nil
}

func (s *Service) sendVerification(ctx context.Context, u User) error {
	return s.mailLink(ctx, u, purposeVerify, VerifyTokenTTL, "/verify-email",
		"Confirm your e-mail address for Cocreate",
		"Hello %s,\n\nTo confirm this address and finish creating your Cocreate account, open this link within 48 hours:\n\n%s\n\nIf you did not sign up, ignore this message; no account will be usable without it.\n")
}

// mailLink stores a single-use token for purpose and queues an e-mail whose body
// (a format with the name and the link) carries the link to path?token=....
func (s *Service) mailLink(ctx context.Context, u User, purpose string, ttl time.Duration, path, subject, body string) error {
	token, hash := newSecret()
	if err := s.store.InsertEmailToken(ctx, emailToken{TokenHash: hash, UserID: u.ID, Purpose: purpose, ExpiresAt: s.opts.Now().Add(ttl)}); err != nil {
		return err
	}
	link := strings.TrimRight(s.opts.PublicURL, "/") + path + "?token=" + token
	return mailbox.Enqueue(ctx, s.db, mailbox.Message{
		UserID: &u.ID, Kind: purpose, To: *u.Email, Subject: subject, Body: fmt.Sprintf(body, u.Name(), link),
	})
}

// VerifyEmail confirms the address of the account the token was sent to.
func (s *Service) VerifyEmail(ctx context.Context, token string) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		t, err := s.store.UseEmailToken(ctx, hashSecret(token), purposeVerify, s.opts.Now())
		if err != nil {
			return err
		}
		return s.store.Update(ctx, t.UserID, map[string]any{"email_verified_at": s.opts.Now()})
	})
}

// Login checks the password and starts a new session (a new refresh family).
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	u, err := s.store.ByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, ErrNotFound) || (err == nil && u.PasswordHash == nil) {
		_, _ = checkPassword(password, s.dummyHash)
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	ok, err := checkPassword(password, *u.PasswordHash)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, ErrBadCredentials
	}
	if u.SuspendedAt != nil {
		return Session{}, ErrSuspended
	}
	var sess Session
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		sess, err = s.startSession(ctx, u, newFamily())
		return err
	})
	return sess, err
}

func (s *Service) startSession(ctx context.Context, u User, family string) (Session, error) {
	now := s.opts.Now()
	refresh, hash := newSecret()
	rt := refreshToken{UserID: u.ID, Family: family, TokenHash: hash, ExpiresAt: now.Add(RefreshTTL)}
	if err := s.store.InsertRefresh(ctx, &rt); err != nil {
		return Session{}, err
	}
	access, exp, err := s.opts.Keys.Issue(u.ID, now)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, AccessExpires: exp, RefreshToken: refresh, RefreshExpires: rt.ExpiresAt}, nil
}

// Refresh exchanges a refresh token for a new session in the same family. A
// token that was already exchanged means it was stolen or replayed: the whole
// family is revoked, ending the thief's session and the owner's.
func (s *Service) Refresh(ctx context.Context, refresh string) (Session, error) {
	var sess Session
	var reused bool
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		now := s.opts.Now()
		t, err := s.store.RefreshForUpdate(ctx, hashSecret(refresh))
		if err != nil {
			return err
		}
		if t.RevokedAt != nil || !t.ExpiresAt.After(now) {
			return ErrRefreshInvalid
		}
		if t.UsedAt != nil {
			reused = true
			return s.store.RevokeFamily(ctx, t.Family, now)
		}
		u, err := s.store.ByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		if u.DeletedAt != nil || u.SuspendedAt != nil {
			return ErrRefreshInvalid
		}
		if err := s.store.MarkRefreshUsed(ctx, t.ID, now); err != nil {
			return err
		}
		sess, err = s.startSession(ctx, u, t.Family)
		return err
	})
	if err == nil && reused {
		return Session{}, ErrRefreshReused
	}
	return sess, err
}

// ErrRefreshReused is returned when a rotated refresh token comes back.
var ErrRefreshReused = apperr.Unauthenticated("auth.session_revoked", "this session was ended because its token was used twice; sign in again")

// Logout ends the session (the refresh family) the token belongs to. An unknown
// or already-ended token is not an error: the session is over either way.
func (s *Service) Logout(ctx context.Context, refresh string) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		t, err := s.store.RefreshForUpdate(ctx, hashSecret(refresh))
		if errors.Is(err, ErrRefreshInvalid) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.store.RevokeFamily(ctx, t.Family, s.opts.Now())
	})
}

// Principal resolves an access token to who the request acts as. Deleted
// accounts are refused; suspended ones are let in read-only (Principal.Can says
// no to every write).
func (s *Service) Principal(ctx context.Context, accessToken string) (auth.Principal, User, error) {
	id, err := s.opts.Keys.Verify(accessToken, s.opts.Now())
	if err != nil {
		return auth.Anonymous, User{}, ErrInvalidToken
	}
	u, err := s.store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && u.DeletedAt != nil) {
		return auth.Anonymous, User{}, ErrInvalidToken
	}
	if err != nil {
		return auth.Anonymous, User{}, err
	}
	return auth.Principal{UserID: u.ID, Admin: u.IsAdmin, Suspended: u.SuspendedAt != nil, Verified: u.EmailVerifiedAt != nil}, u, nil
}

// ErrInvalidToken is the answer to any access token that is not accepted.
var ErrInvalidToken = apperr.Unauthenticated("auth.invalid_token", "the credentials are not valid")

// Get returns an account by id.
func (s *Service) Get(ctx context.Context, id int64) (User, error) {
	return s.store.ByID(ctx, id)
}

// ResetTokenTTL is how long a password-reset link works.
const ResetTokenTTL = time.Hour

// RequestPasswordReset e-mails a reset link when the address has an account.
// It says nothing either way, so the answer does not reveal who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	u, err := s.store.ByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		return s.mailLink(ctx, u, purposeReset, ResetTokenTTL, "/reset-password",
			"Reset your Cocreate password",
			"Hello %s,\n\nSomeone asked to reset the password of your Cocreate account. To choose a new one, open this link within an hour:\n\n%s\n\nIf it was not you, ignore this message; your password stays as it is.\n")
	})
}

// ResetPassword sets a new password with a reset token and ends every session.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	var f apperr.Fields
	if code := validatePassword(password); code != "" {
		f.Add("password", code, fmt.Sprintf("a password has %d to %d characters and is not a common one", MinPassword, MaxPassword))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	hash, err := hashPassword(password, s.opts.Hash)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		t, err := s.store.UseEmailToken(ctx, hashSecret(token), purposeReset, s.opts.Now())
		if err != nil {
			return err
		}
		// Following the link proves the address too.
		if err := s.store.Update(ctx, t.UserID, map[string]any{"password_hash": hash, "email_verified_at": gorm.Expr("coalesce(email_verified_at, now())")}); err != nil {
			return err
		}
		return s.store.RevokeAllOf(ctx, t.UserID, s.opts.Now())
	})
}

// ResendVerification sends a new verification link to an unverified account.
func (s *Service) ResendVerification(ctx context.Context, actor auth.Principal) error {
	u, err := s.store.ByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt != nil {
		return ErrAlreadyVerified
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error { return s.sendVerification(ctx, u) })
}

// ErrAlreadyVerified answers a request to verify an address twice.
var ErrAlreadyVerified = apperr.Conflict("account.already_verified", "this address is already confirmed")

// ChangeDisplayName sets the signed-in account's public name.
func (s *Service) ChangeDisplayName(ctx context.Context, actor auth.Principal, name string) (User, error) {
	var f apperr.Fields
	name = validateDisplayName(&f, name)
	if err := f.Err(CodeInvalid); err != nil {
		return User{}, err
	}
	if err := s.store.Update(ctx, actor.UserID, map[string]any{"display_name": name}); err != nil {
		return User{}, err
	}
	return s.store.ByID(ctx, actor.UserID)
}

// ErrWrongPassword answers a change that needs the current password and got another.
var ErrWrongPassword = apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "current_password", Code: "wrong", Message: "this is not your current password"})

// checkCurrent confirms the account's current password.
func (s *Service) checkCurrent(ctx context.Context, id int64, password string) (User, error) {
	u, err := s.store.ByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.PasswordHash == nil {
		return User{}, ErrNotFound
	}
	ok, err := checkPassword(password, *u.PasswordHash)
	if err != nil {
		return User{}, err
	}
	if !ok {
		return User{}, ErrWrongPassword
	}
	return u, nil
}

// ChangePassword replaces the password after checking the current one, and ends
// every session (the caller signs in again).
func (s *Service) ChangePassword(ctx context.Context, actor auth.Principal, current, next string) error {
	var f apperr.Fields
	if code := validatePassword(next); code != "" {
		f.Add("new_password", code, fmt.Sprintf("a password has %d to %d characters and is not a common one", MinPassword, MaxPassword))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	if _, err := s.checkCurrent(ctx, actor.UserID, current); err != nil {
		return err
	}
	hash, err := hashPassword(next, s.opts.Hash)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.Update(ctx, actor.UserID, map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		return s.store.RevokeAllOf(ctx, actor.UserID, s.opts.Now())
	})
}

// Delete erases the account's personal data (address, name, password hash, its
// pending e-mail and e-mailed tokens), ends every session, and keeps the row so
// public contributions stay attributed to the account's pseudonym.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, password string) error {
	if _, err := s.checkCurrent(ctx, actor.UserID, password); err != nil {
		if err == ErrWrongPassword {
			return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "password", Code: "wrong", Message: "this is not your current password"})
		}
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.Erase(ctx, actor.UserID); err != nil {
			return err
		}
		return s.store.RevokeAllOf(ctx, actor.UserID, s.opts.Now())
	})
}

// SetAdmin grants or revokes administrator rights of the live account with this
// address, ends its sessions, and returns its id. It is an operator's command,
// not a request: no principal is checked.
func SetAdmin(ctx context.Context, db *gorm.DB, email string, admin bool) (int64, error) {
	return setFlag(ctx, db, email, map[string]any{"is_admin": admin})
}

// SetSuspended suspends (the account may read but not write, and cannot sign
// in) or reinstates an account, ending its sessions; an operator's command.
func SetSuspended(ctx context.Context, db *gorm.DB, email string, suspended bool) (int64, error) {
	var at any
	if suspended {
		at = gorm.Expr("now()")
	}
	return setFlag(ctx, db, email, map[string]any{"suspended_at": at})
}

func setFlag(ctx context.Context, db *gorm.DB, email string, cols map[string]any) (int64, error) {
	store := NewStore(db)
	var id int64
	err := database.InTx(ctx, db, func(ctx context.Context) error {
		u, err := store.ByEmail(ctx, strings.TrimSpace(email))
		if err != nil {
			return err
		}
		id = u.ID
		if err := store.Update(ctx, u.ID, cols); err != nil {
			return err
		}
		return store.RevokeAllOf(ctx, u.ID, time.Now())
	})
	return id, err
}
