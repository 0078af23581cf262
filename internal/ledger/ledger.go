// Package ledger is the public, append-only, hash-chained record of what a
// process published: the forum's responses and the progress updates of its
// commitments, each an entry of its kind in one chain. Each entry's hash is
// SHA-256 over the RFC 8785 canonical JSON of its public fields with its seq
// and the previous entry's hash; docs/ledger.md documents the encoding so
// anyone can recompute it. Rows are never updated or deleted: the database
// refuses it (a trigger, and the application's role has no such privilege).
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

// Record is what one entry records: a published response (Fields) or a
// published progress update (ProgressUpdate). Each kind is a type of this
// package whose fields docs/ledger.md documents; a new kind is one more type
// with these two methods, a "kind" field of its own and its section of the
// documentation. Text is NFC with "\n" line ends (Normalize) before it is
// recorded, whatever the kind.
type Record interface {
	// Kind names the record's kind (KindResponse, KindProgressUpdate, ...).
	Kind() string
	// prepared is the record as it is encoded: its format version and kind
	// set, and nil lists as empty ones.
	prepared() any
}

// The kinds of entries. A response's entry carries no "kind" field: responses
// were recorded before there were other kinds, and their encoding stays as it
// was, so the entries recorded then still verify. Every later kind names
// itself in a "kind" field.
const (
	KindResponse       = "response"
	KindProgressUpdate = "progress_update"
)

// Fields are the public fields of a response's entry.
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

// Kind is KindResponse.
func (Fields) Kind() string { return KindResponse }

func (f Fields) prepared() any {
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
	return f
}

// MilestoneState is a milestone as a progress update reported it.
type MilestoneState struct {
	Milestone   int64   `json:"milestone"`
	Title       string  `json:"title"`
	DueOn       string  `json:"due_on"` // YYYY-MM-DD
	State       string  `json:"state"`  // not_started, in_progress, at_risk or completed
	CompletedOn *string `json:"completed_on"`
}

// ProgressUpdate are the public fields of a published progress update's entry.
type ProgressUpdate struct {
	V                int              `json:"v"`
	EntryKind        string           `json:"kind"` // always KindProgressUpdate
	Process          string           `json:"process"`
	RecordedAt       string           `json:"recorded_at"` // UTC, RFC 3339, whole seconds
	Commitment       int64            `json:"commitment"`
	CommitmentTitle  string           `json:"commitment_title"`
	LeadInstitution  string           `json:"lead_institution"`
	Update           int64            `json:"update"`
	UpdateKind       string           `json:"update_kind"` // government or joint
	Progress         string           `json:"progress"`
	Milestones       []MilestoneState `json:"milestones"`
	DelayReasons     string           `json:"delay_reasons"`
	NextSteps        string           `json:"next_steps"`
	Evidence         []string         `json:"evidence"` // links, and "repository:12" for an item of the repository
	Signers          []Member         `json:"signers"`
	Dissents         []Member         `json:"dissents"`
	Supersedes       *int64           `json:"supersedes"` // the seq this entry corrects
	CorrectionReason *string          `json:"correction_reason"`
}

// Kind is KindProgressUpdate.
func (ProgressUpdate) Kind() string { return KindProgressUpdate }

func (u ProgressUpdate) prepared() any {
	u.V, u.EntryKind = Version, KindProgressUpdate
	if u.Milestones == nil {
		u.Milestones = []MilestoneState{}
	}
	if u.Evidence == nil {
		u.Evidence = []string{}
	}
	if u.Signers == nil {
		u.Signers = []Member{}
	}
	if u.Dissents == nil {
		u.Dissents = []Member{}
	}
	return u
}

// Encode is an entry's fields as the ledger stores and hashes them: the
// RFC 8785 canonical JSON of r, with the format version (and, but for a
// response, the kind) set and empty lists as [].
func Encode(r Record) ([]byte, error) {
	fields, err := json.Marshal(r.prepared())
	if err != nil {
		return nil, fmt.Errorf("ledger: encode: %w", err)
	}
	if fields, err = jcs.Transform(fields); err != nil {
		return nil, fmt.Errorf("ledger: canonical form: %w", err)
	}
	return fields, nil
}

// Service appends to and reads the ledger.
type Service struct {
	db    *gorm.DB
	store *Store
}

// NewService returns the ledger service.
func NewService(db *gorm.DB) *Service { return &Service{db: db, store: NewStore(db)} }

// Append adds an entry recording r to the process's ledger in the caller's
// transaction (ctx must carry one): it takes the process's ledger lock, so
// entries of every kind are numbered 1, 2, 3, ... without gaps, and links the
// entry to the previous one.
func (s *Service) Append(ctx context.Context, processID int64, r Record) (Entry, error) {
	fields, err := Encode(r)
	if err != nil {
		return Entry{}, err
	}
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
	Kind        string // KindResponse, KindProgressUpdate, or "" for every kind
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
	const batch = 2000
	var after int64
	for {
		es, err := s.store.After(ctx, processID, after, batch)
		if err != nil {
			return err
		}
		for _, e := range es {
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
