// Package ledger is the public, append-only, hash-chained record of a
// process's published responses and of the other acts the public must be able
// to check (kinds.go: a change of the forum's decision rule, a commitment's
// progress update, ...), each an entry of its kind in one chain. Each entry's
// hash is SHA-256 over the RFC 8785 canonical JSON of its public fields with
// its seq and the previous entry's hash; docs/ledger.md documents the encoding
// so anyone can recompute it.
// Rows are never updated or deleted: the database refuses it (a trigger, and
// the application's role has no such privilege).
package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gowebpki/jcs"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// Version is the format version every entry carries in its "v" field.
const Version = 1

// Genesis is the prev_hash of a ledger's first entry.
var Genesis = strings.Repeat("0", 64)

// Member is a signer or a dissenter as the ledger names them: a pseudonymous
// member id, never an account.
type Member struct {
	Member       string `json:"member"`
	Seat         string `json:"seat"`
	Organisation string `json:"organisation"`
	Note         string `json:"note,omitempty"` // a dissenting note
}

// Cluster is a cluster a response covered, with its members at publication.
type Cluster struct {
	ID      int64    `json:"id"`
	Title   string   `json:"title"`
	Members []string `json:"members"` // "comment:12", "idea:3"
}

// Fields are an entry's public fields. Text is NFC with "\n" line ends
// (Normalize) before it is recorded.
type Fields struct {
	V                int       `json:"v"`
	Process          string    `json:"process"`
	RecordedAt       string    `json:"recorded_at"` // UTC, RFC 3339, whole seconds
	Response         int64     `json:"response"`
	Disposition      string    `json:"disposition"`
	Reasoning        string    `json:"reasoning"`
	LedTo            string    `json:"led_to"`
	Covers           []string  `json:"covers"` // "comment:12", "idea:3", "cluster:4", "paragraph:7:p-3"
	Clusters         []Cluster `json:"clusters"`
	Signers          []Member  `json:"signers"`
	Dissents         []Member  `json:"dissents"`
	Supersedes       *int64    `json:"supersedes"` // the seq this entry corrects
	CorrectionReason *string   `json:"correction_reason"`
	// Rule is the decision rule the response was published under, and
	// Recusals the members who recused themselves from it. Both are left out
	// when empty, so the entries written before they existed re-encode byte
	// for byte.
	Rule     *Rule    `json:"rule,omitempty"`
	Recusals []Member `json:"recusals,omitempty"`
}

// Rule is a forum's decision rule as the ledger names it: its name and, for
// a qualified majority, the fraction of members; for consensus, the hours
// members have to dissent.
type Rule struct {
	Name           string `json:"name"`
	Fraction       string `json:"fraction,omitempty"` // "2/3"
	ConsensusHours int    `json:"consensus_hours,omitempty"`
}

// Entry is one ledger row.
type Entry struct {
	Seq      int64           `json:"seq"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
	Fields   json.RawMessage `json:"fields"`
}

// Normalize is how the ledger records text: Unicode NFC, "\r\n" and "\r" as "\n".
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return norm.NFC.String(s)
}

// Timestamp is how the ledger records a time.
func Timestamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// Encode is an entry's fields as the ledger stores and hashes them: the
// RFC 8785 canonical JSON of f, with the format version set and empty lists
// as [].
func Encode(f Fields) ([]byte, error) {
	f.V = Version
	if f.Covers == nil {
		f.Covers = []string{}
	}
	if f.Clusters == nil {
		f.Clusters = []Cluster{}
	}
	if f.Signers == nil {
		f.Signers = []Member{}
	}
	if f.Dissents == nil {
		f.Dissents = []Member{}
	}
	fields, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("ledger: encode: %w", err)
	}
	if fields, err = jcs.Transform(fields); err != nil {
		return nil, fmt.Errorf("ledger: canonical form: %w", err)
	}
	return fields, nil
}

// Service appends to and reads the ledger, and signs and checks its
// checkpoints with the configured keys.
type Service struct {
	db       *gorm.DB
	store    *Store
	keys     *Keys
	rendered renderCache
}

// NewService returns the ledger service; keys may be nil where nothing signs
// checkpoints (verification then refuses every checkpoint's key).
func NewService(db *gorm.DB, keys *Keys) *Service {
	return &Service{db: db, store: NewStore(db), keys: keys, rendered: renderCache{max: 5000, m: map[[32]byte]Rendered{}}}
}

// Append adds a response's entry to the process's ledger in the caller's
// transaction (ctx must carry one): it takes the process's ledger lock, so
// entries are numbered 1, 2, 3, ... without gaps, and links the entry to the
// previous one.
func (s *Service) Append(ctx context.Context, processID int64, f Fields) (Entry, error) {
	fields, err := Encode(f)
	if err != nil {
		return Entry{}, err
	}
	return s.appendEncoded(ctx, processID, fields)
}

// AppendRecord adds an entry of another kind than a response (kinds.go), in
// the caller's transaction, as Append does.
func (s *Service) AppendRecord(ctx context.Context, processID int64, r Record) (Entry, error) {
	fields, err := EncodeRecord(r)
	if err != nil {
		return Entry{}, err
	}
	return s.appendEncoded(ctx, processID, fields)
}

// appendEncoded appends fields, already in canonical form, to the process's ledger.
func (s *Service) appendEncoded(ctx context.Context, processID int64, fields []byte) (Entry, error) {
	if err := s.store.lockLedger(ctx, processID); err != nil {
		return Entry{}, err
	}
	seq, hash, err := s.store.Head(ctx, processID)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Seq: seq + 1, PrevHash: hash, Fields: fields}
	if seq == 0 {
		e.PrevHash = Genesis
	}
	if e.Hash, err = Hash(e.Seq, e.PrevHash, fields); err != nil {
		return Entry{}, err
	}
	if err := s.store.Insert(ctx, processID, e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Head is the latest entry's seq and hash; seq 0 when the ledger is empty.
func (s *Service) Head(ctx context.Context, processID int64) (seq int64, hash string, err error) {
	return s.store.Head(ctx, processID)
}

// Filter narrows a page of the ledger.
type Filter struct {
	Kind        Kind // "" for every kind
	Disposition string
	Before      int64 // seq; 0 for the newest
	Limit       int
}

// List returns entries newest first, and whether older ones remain.
func (s *Service) List(ctx context.Context, processID int64, f Filter) ([]Entry, bool, error) {
	out, err := s.store.Page(ctx, processID, f, f.Limit+1)
	if err != nil {
		return nil, false, err
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

// Each calls fn with every entry of the process's ledger, oldest first,
// reading them in batches so a long ledger never sits in memory whole.
func (s *Service) Each(ctx context.Context, processID int64, fn func(Entry) error) error {
	return s.each(ctx, processID, 0, fn)
}

// each is Each up to seq upTo (0: to the end).
func (s *Service) each(ctx context.Context, processID, upTo int64, fn func(Entry) error) error {
	const batch = 2000
	var after int64
	for {
		es, err := s.store.After(ctx, processID, after, batch)
		if err != nil {
			return err
		}
		for _, e := range es {
			if upTo > 0 && e.Seq > upTo {
				return nil
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(es) < batch {
			return nil
		}
		after = es[len(es)-1].Seq
	}
}
