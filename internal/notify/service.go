package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
)

// Options configure the service.
type Options struct {
	Now       func() time.Time
	PublicURL string // the web app's address, for links in e-mails
	Log       *slog.Logger
	// Batch is how many recipients one fan-out transaction writes (5,000 when 0).
	Batch int
}

// Service holds the rules of following and notifications.
type Service struct {
	db    *gorm.DB
	store *Store
	opt   Options

	keyMu sync.Mutex
	key   []byte // the unsubscribe key, read once
}

// NewService returns the service on db.
func NewService(db *gorm.DB, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Batch <= 0 {
		opt.Batch = 5000
	}
	return &Service{db: db, store: NewStore(db), opt: opt}
}

func (s *Service) now() time.Time { return s.opt.Now().UTC() }

// signedIn returns ErrNotFound for an anonymous actor; routes ask for a
// session first, this keeps the service safe on its own.
func signedIn(actor auth.Principal) error {
	if actor.UserID <= 0 {
		return ErrNotFound
	}
	return nil
}

// ParseTarget checks a subject named by a request.
func ParseTarget(kind string, id int64) (TargetKind, error) {
	var f apperr.Fields
	k := TargetKind(kind)
	if !slices.Contains(TargetKinds, k) {
		f.Add("target_kind", "oneof", "one of process, document, idea")
	}
	if id <= 0 {
		f.Add("target_id", "required", "the id of what to follow")
	}
	return k, f.Err(CodeInvalid)
}

// Subject names what to follow: a kind and an id, or for a process its slug
// (the web app knows processes by slug).
type Subject struct {
	Kind string
	ID   int64
	Slug string
}

// resolve returns the subject's kind and id, checked.
func (s *Service) resolve(ctx context.Context, in Subject) (TargetKind, int64, error) {
	if in.ID == 0 && in.Slug != "" && TargetKind(in.Kind) == TargetProcess {
		id, err := s.store.ProcessIDBySlug(ctx, in.Slug)
		if err != nil {
			return "", 0, err
		}
		in.ID = id
	}
	k, err := ParseTarget(in.Kind, in.ID)
	return k, in.ID, err
}

// Follow makes actor follow a subject anyone may read (a published process,
// a draft with a public version, a published idea); following again changes
// nothing.
func (s *Service) Follow(ctx context.Context, actor auth.Principal, in Subject) (Follow, error) {
	if err := signedIn(actor); err != nil {
		return Follow{}, err
	}
	k, id, err := s.resolve(ctx, in)
	if err != nil {
		return Follow{}, err
	}
	t, err := s.store.Target(ctx, k, id)
	if err != nil {
		return Follow{}, err
	}
	now := s.now()
	if err := s.store.Follow(ctx, actor.UserID, k, id, false, now); err != nil {
		return Follow{}, err
	}
	return Follow{TargetKind: k, TargetID: id, CreatedAt: now, Title: t.Title, ProcessSlug: t.ProcessSlug, ProcessTitle: t.ProcessTitle}, nil
}

// Unfollow stops actor following a subject, automatic follows too;
// ErrTargetNotFound when they did not follow it.
func (s *Service) Unfollow(ctx context.Context, actor auth.Principal, in Subject) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	k, id, err := s.resolve(ctx, in)
	if err != nil {
		return err
	}
	ok, err := s.store.Unfollow(ctx, actor.UserID, k, id)
	if err != nil {
		return err
	}
	if !ok {
		return ErrTargetNotFound
	}
	return nil
}

// Follows lists what actor follows, newest first.
func (s *Service) Follows(ctx context.Context, actor auth.Principal) ([]Follow, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	return s.store.Follows(ctx, actor.UserID)
}

// List returns a page of actor's notifications, newest first; before is 0
// or the NextBefore of an earlier page, limit 1..MaxPageSize.
func (s *Service) List(ctx context.Context, actor auth.Principal, before int64, limit int) (Page, error) {
	if err := signedIn(actor); err != nil {
		return Page{}, err
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	limit = max(1, min(limit, MaxPageSize))
	items, err := s.store.List(ctx, actor.UserID, before, limit+1)
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: items}
	if len(items) > limit {
		p.Items = items[:limit]
		p.NextBefore = items[limit-1].ID
	}
	return p, nil
}

// Unread counts actor's unread notifications.
func (s *Service) Unread(ctx context.Context, actor auth.Principal) (int64, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	return s.store.Unread(ctx, actor.UserID)
}

// MarkRead marks one of actor's notifications read; another's is ErrNotFound.
func (s *Service) MarkRead(ctx context.Context, actor auth.Principal, id int64) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	return s.store.MarkRead(ctx, actor.UserID, id, s.now())
}

// MarkAllRead marks every notification of actor read and says how many were unread.
func (s *Service) MarkAllRead(ctx context.Context, actor auth.Principal) (int64, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	return s.store.MarkAllRead(ctx, actor.UserID, s.now())
}

// Settings returns actor's choice for every kind.
func (s *Service) Settings(ctx context.Context, actor auth.Principal) (map[Kind]Frequency, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	return s.store.Prefs(ctx, actor.UserID)
}

// PutSettings stores actor's choices for the kinds given (the others keep
// theirs) and returns them all. An unknown kind or frequency changes nothing.
func (s *Service) PutSettings(ctx context.Context, actor auth.Principal, in map[string]string) (map[Kind]Frequency, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	var f apperr.Fields
	for k, v := range in {
		if !slices.Contains(Kinds, Kind(k)) {
			f.Add(k, "unknown", "not a kind of notification")
		} else if !validFrequency(Frequency(v)) {
			f.Add(k, "oneof", "one of immediately, daily, weekly, never")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return nil, err
	}
	for _, k := range Kinds {
		if v, ok := in[string(k)]; ok {
			if err := s.store.SetPref(ctx, actor.UserID, k, Frequency(v)); err != nil {
				return nil, err
			}
		}
	}
	return s.store.Prefs(ctx, actor.UserID)
}

func validFrequency(f Frequency) bool {
	return f == Immediately || f == Daily || f == Weekly || f == Never
}

// Unsubscribe sets the kind an unsubscribe token names to never for the
// account it names, without a session: the token is the credential, for
// that one account and kind only, and the answer tells nothing.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	account, kind, err := s.checkToken(ctx, token)
	if err != nil {
		return err
	}
	live, err := s.store.LiveAccount(ctx, account)
	if err != nil {
		return err
	}
	if !live {
		return ErrBadToken
	}
	return s.store.SetPref(ctx, account, kind, Never)
}

// UnsubscribeToken returns the token that stops e-mails of kind for account:
// "<account>.<kind>.<HMAC-SHA-256 of both under the installation's key>".
func (s *Service) UnsubscribeToken(ctx context.Context, account int64, kind Kind) (string, error) {
	key, err := s.unsubscribeKey(ctx)
	if err != nil {
		return "", err
	}
	return tokenFor(key, account, kind), nil
}

func tokenFor(key []byte, account int64, kind Kind) string {
	id := strconv.FormatInt(account, 10)
	return id + "." + string(kind) + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(key, id, kind))
}

func tokenMAC(key []byte, id string, kind Kind) []byte {
	m := hmac.New(sha256.New, key)
	// The purpose is part of the message: the key signs nothing else, and
	// a token for one purpose can never pass for another.
	fmt.Fprintf(m, "cocreate unsubscribe\x00%s\x00%s", id, kind)
	return m.Sum(nil)
}

// checkToken returns the account and kind a genuine token names.
func (s *Service) checkToken(ctx context.Context, token string) (int64, Kind, error) {
	parts := strings.Split(token, ".")
	if len(token) > 200 || len(parts) != 3 {
		return 0, "", ErrBadToken
	}
	account, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || account <= 0 || strconv.FormatInt(account, 10) != parts[0] {
		return 0, "", ErrBadToken
	}
	kind := Kind(parts[1])
	if !slices.Contains(Kinds, kind) {
		return 0, "", ErrBadToken
	}
	mac, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return 0, "", ErrBadToken
	}
	key, err := s.unsubscribeKey(ctx)
	if err != nil {
		return 0, "", err
	}
	if !hmac.Equal(mac, tokenMAC(key, parts[0], kind)) {
		return 0, "", ErrBadToken
	}
	return account, kind, nil
}

func (s *Service) unsubscribeKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	key, err := s.store.UnsubscribeKey(ctx)
	if err != nil {
		return nil, err
	}
	s.key = key
	return key, nil
}
