package user

import (
	"context"
	"errors"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Session is what a login or refresh returns: a short-lived access token and a
// rotating refresh token (sent to the browser as an HttpOnly cookie).
type Session struct {
	User           User
	AccessToken    string
	AccessExpires  time.Time
	RefreshToken   string
	RefreshExpires time.Time
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
