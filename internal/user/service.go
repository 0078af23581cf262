package user

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	mailbox "cocreate/internal/mail"
	"cocreate/internal/ratelimit"
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
	Events    *event.Bus // told when a public name changes
	// Limits holds the rate-limit counters; erasure drops the account's.
	Limits *ratelimit.Limiter
}

// Service holds the account rules.
type Service struct {
	db    *gorm.DB
	store *Store
	opts  Options
	// dummyHash keeps a failed login for an unknown address as slow as one for
	// a known address, so timing does not tell which addresses have accounts.
	dummyHash string
	// newPseudonym makes pseudonyms; tests replace it to force collisions.
	newPseudonym func() string
}

// NewService returns an account service on db.
func NewService(db *gorm.DB, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	dummy, _ := hashPassword("not a password of anyone", opts.Hash)
	return &Service{db: db, store: NewStore(db), opts: opts, dummyHash: dummy, newPseudonym: newPseudonym}
}

// SignUpInput is what a new account needs.
type SignUpInput struct {
	Email       string
	DisplayName string
	Password    string
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

// SignsTokens reports whether the service has the keys to issue access tokens.
func (s *Service) SignsTokens() bool { return s.opts.Keys != nil }

// SignUp creates an account and queues the verification e-mail, atomically.
// When the address already has an account, nothing is created or changed:
// its owner is e-mailed instead and SignUp returns the zero User without an
// error, so the caller can answer exactly as for a free address. The password
// is hashed either way, so the answer takes as long.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (User, error) {
	var f apperr.Fields
	email := normaliseEmail(&f, in.Email)
	name := normaliseDisplayName(&f, in.DisplayName)
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
	for attempt := 1; ; attempt++ {
		var u User
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			existing, err := s.store.ByEmail(ctx, email)
			if err == nil {
				return s.noticeExisting(ctx, existing)
			}
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			u = User{Email: &email, DisplayName: &name, PasswordHash: &hash}
			if err := s.insert(ctx, &u); err != nil {
				return err
			}
			return s.sendVerification(ctx, u)
		})
		// A concurrent sign-up took the address between the look-up and the
		// insert: the next attempt finds it and answers as for a taken one.
		if errors.Is(err, ErrEmailTaken) && attempt < 3 {
			continue
		}
		return u, err
	}
}

// pseudonymTries is how many pseudonyms an insert draws before giving up; with
// 2^32 of them, a second try is already rare.
const pseudonymTries = 10

// errNoPseudonym is the failure of pseudonymTries draws in a row: a broken
// generator, not bad luck.
var errNoPseudonym = errors.New("user: no free pseudonym after 10 tries")

// insert stores u under a fresh pseudonym, drawing another while the drawn one
// is taken (the unique constraint decides, so concurrent inserts cannot share one).
func (s *Service) insert(ctx context.Context, u *User) error {
	for range pseudonymTries {
		u.Pseudonym = s.newPseudonym()
		ok, err := s.store.Insert(ctx, u)
		if err != nil || ok {
			return err
		}
	}
	return errNoPseudonym
}

// ruleSignUpNotice bounds the e-mails an account's owner gets about sign-ups
// with their address, so that repeating one cannot flood the mailbox.
var ruleSignUpNotice = ratelimit.Rule{Name: "signup-notice:account", Limit: 1, Window: 10 * time.Minute}

// noticeExisting tells the owner of u that someone tried to sign up with its
// address; at most once per ruleSignUpNotice window, silently.
func (s *Service) noticeExisting(ctx context.Context, u User) error {
	if s.opts.Limits != nil {
		err := s.opts.Limits.Hit(ctx, ruleSignUpNotice, ratelimit.Account(u.ID))
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindRateLimited {
			return nil
		}
		if err != nil {
			return err
		}
	}
	base := strings.TrimRight(s.opts.PublicURL, "/")
	return mailbox.Enqueue(ctx, s.db, mailbox.Message{
		UserID: &u.ID, Kind: "signup_existing", To: *u.Email,
		Subject: "Someone tried to create a Cocreate account with your address",
		Body: fmt.Sprintf("Hello %s,\n\nSomeone tried to create a Cocreate account with this e-mail address, which already has one. "+
			"Nothing was changed.\n\nIf it was you, sign in:\n\n%s/login\n\nIf you forgot your password, reset it:\n\n%s/forgot-password\n\n"+
			"If it was not you, ignore this message; your account stays as it is.\n", u.Name(), base, base),
	})
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
	name := normaliseDisplayName(&f, in.DisplayName)
	if code := validatePassword(in.Password); code != "" {
		f.Add("password", code, "a longer, less common password")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return User{}, err
	}
	existing, err := s.store.ByExactEmail(ctx, email)
	if err == nil {
		return existing, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	hash, err := hashPassword(in.Password, s.opts.Hash)
	if err != nil {
		return User{}, err
	}
	u := User{Email: &email, DisplayName: &name, PasswordHash: &hash}
	if err := s.insert(ctx, &u); err != nil {
		return User{}, err
	}
	now := s.opts.Now().UTC()
	if err := s.store.MarkVerified(ctx, &u, now); err != nil {
		return User{}, err
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

// Get returns an account by id.
func (s *Service) Get(ctx context.Context, id int64) (User, error) {
	return s.store.ByID(ctx, id)
}

// ByEmail returns the live account with this address (any case), or
// ErrNotFound; for the binary's own commands, so only the System principal may.
func (s *Service) ByEmail(ctx context.Context, actor auth.Principal, email string) (User, error) {
	if actor != auth.System {
		return User{}, ErrNotSystem
	}
	return s.store.ByEmail(ctx, strings.TrimSpace(email))
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
	name = normaliseDisplayName(&f, name)
	if err := f.Err(CodeInvalid); err != nil {
		return User{}, err
	}
	if err := s.store.Update(ctx, actor.UserID, map[string]any{"display_name": name}); err != nil {
		return User{}, err
	}
	if err := s.opts.Events.Emit(ctx, event.AccountRenamed{UserID: actor.UserID}); err != nil {
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
// pending e-mail and e-mailed tokens, the rate-limit counters of its address
// and id), ends every session, and keeps the row so public contributions stay
// attributed to the account's pseudonym.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, password string) error {
	u, err := s.checkCurrent(ctx, actor.UserID, password)
	if err != nil {
		if err == ErrWrongPassword {
			return apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "password", Code: "wrong", Message: "this is not your current password"})
		}
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.Erase(ctx, actor.UserID); err != nil {
			return err
		}
		if s.opts.Limits != nil {
			subjects := []string{ratelimit.Account(u.ID)}
			if u.Email != nil {
				subjects = append(subjects, ratelimit.Address(*u.Email))
			}
			if err := s.opts.Limits.Forget(ctx, subjects...); err != nil {
				return err
			}
		}
		if err := s.store.RevokeAllOf(ctx, actor.UserID, s.opts.Now()); err != nil {
			return err
		}
		return s.opts.Events.Emit(ctx, event.AccountRenamed{UserID: actor.UserID})
	})
}
