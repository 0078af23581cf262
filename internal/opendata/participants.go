package opendata

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// participantKeySQL reads the installation's key of participant ids
// (migrations/0017_accounts_hardening.sql makes it).
const participantKeySQL = `SELECT secret FROM instance_secrets WHERE name = 'participant_id'`

// Participants names the authors of open data. A participant id is a keyed
// hash (HMAC-SHA-256) of the account id under a secret of the installation,
// kept in the database so every instance and every export agree: it tells
// which contributions one person wrote, and nothing else: not the account id,
// and not the pseudonym the site shows under erased accounts' contributions.
type Participants struct {
	db  *gorm.DB
	mu  sync.Mutex
	key []byte // read once, then kept
}

// NewParticipants returns the namer of participants on db.
func NewParticipants(db *gorm.DB) *Participants { return &Participants{db: db} }

// Namer returns the function that gives an account its participant id.
func (p *Participants) Namer(ctx context.Context) (func(userID int64) string, error) {
	key, err := p.loadKey(ctx)
	if err != nil {
		return nil, err
	}
	return func(userID int64) string { return ParticipantID(key, userID) }, nil
}

func (p *Participants) loadKey(ctx context.Context) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key != nil {
		return p.key, nil
	}
	var key []byte
	if err := database.Conn(ctx, p.db).Raw(participantKeySQL).Row().Scan(&key); err != nil {
		return nil, fmt.Errorf("opendata: participant key: %w", err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("opendata: participant key: %d bytes, fewer than 32", len(key))
	}
	p.key = key
	return key, nil
}

// ParticipantID is the open-data id of the account userID under key.
func ParticipantID(key []byte, userID int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("participant:" + strconv.FormatInt(userID, 10)))
	return "urn:cocreate:participant:" + hex.EncodeToString(m.Sum(nil)[:16])
}
