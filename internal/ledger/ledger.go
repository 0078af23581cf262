// Package ledger is the public, append-only, hash-chained record of a
// process's published responses. Each entry's hash is SHA-256 over the RFC 8785
// canonical JSON of its public fields with its seq and the previous entry's
// hash; docs/ledger.md documents the encoding so anyone can recompute it.
// Rows are never updated or deleted: the database refuses it (a trigger, and
// the application's role has no such privilege).
package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gowebpki/jcs"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"cocreate/internal/database"
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

// Hash computes an entry's hash from its fields (a JSON object), seq and
// prev_hash: SHA-256 of the RFC 8785 canonical form of the fields object with
// "seq" and "prev_hash" added, as lower-case hex.
//
// The ledger stores each entry's fields in canonical form, so the usual case
// only splices the two members in at their sorted places (spliceCanonical);
// anything else goes through the general canonicaliser. Both give the same
// bytes for canonical input; the tests check it on hostile text.
func Hash(seq int64, prevHash string, fields []byte) (string, error) {
	canon, ok := spliceCanonical(fields, seq, prevHash)
	if !ok {
		f := strings.TrimSpace(string(fields))
		if len(f) < 2 || f[0] != '{' {
			return "", errors.New("ledger: fields are not a JSON object")
		}
		var b strings.Builder
		b.Grow(len(f) + 100)
		b.WriteString(`{"seq":`)
		b.WriteString(strconv.FormatInt(seq, 10))
		b.WriteString(`,"prev_hash":`)
		b.WriteString(strconv.Quote(prevHash))
		if rest := strings.TrimSpace(f[1:]); rest != "}" {
			b.WriteByte(',')
		}
		b.WriteString(f[1:])
		var err error
		if canon, err = jcs.Transform([]byte(b.String())); err != nil {
			return "", fmt.Errorf("ledger: canonical form: %w", err)
		}
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:]), nil
}

// spliceCanonical inserts "prev_hash" and "seq" into fields at their sorted
// places when fields looks canonical at its top level: an object with no
// whitespace between tokens and plain ASCII keys in increasing order. It
// reports false otherwise (the caller canonicalises in full).
func spliceCanonical(fields []byte, seq int64, prevHash string) ([]byte, bool) {
	n := len(fields)
	if n < 2 || fields[0] != '{' || fields[n-1] != '}' || !isHex(prevHash) {
		return nil, false
	}
	var (
		depth, keyStart = 0, -1
		inString, esc   = false, false
		lastKey         []byte
		atPrev, atSeq   = -1, -1 // where each new member goes: before the key starting there
	)
	for i := 0; i < n; i++ {
		c := fields[i]
		if inString {
			switch {
			case esc:
				esc = false
			case c == '\\':
				if keyStart >= 0 {
					return nil, false // an escaped key: not the plain keys this handles
				}
				esc = true
			case c == '"':
				inString = false
				if keyStart >= 0 {
					key := fields[keyStart+1 : i]
					if lastKey != nil && string(key) <= string(lastKey) {
						return nil, false
					}
					if atPrev < 0 && string(key) > "prev_hash" {
						atPrev = keyStart
					}
					if atSeq < 0 && string(key) > "seq" {
						atSeq = keyStart
					}
					if string(key) == "prev_hash" || string(key) == "seq" {
						return nil, false
					}
					lastKey, keyStart = key, -1
				}
			case c >= 0x80 && keyStart >= 0:
				return nil, false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			if depth == 1 && (fields[i-1] == '{' || fields[i-1] == ',') {
				keyStart = i
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 && i != n-1 {
				return nil, false
			}
		case ' ', '\t', '\n', '\r':
			return nil, false
		}
	}
	if depth != 0 || inString {
		return nil, false
	}
	end := n - 1 // the closing brace
	if atPrev < 0 {
		atPrev = end
	}
	if atSeq < 0 {
		atSeq = end
	}
	prev := `"prev_hash":"` + prevHash + `"`
	sq := `"seq":` + strconv.FormatInt(seq, 10)
	out := make([]byte, 0, n+len(prev)+len(sq)+2)
	member := func(at int, m string) {
		if at == end {
			if out[len(out)-1] != '{' {
				out = append(out, ',')
			}
			out = append(out, m...)
		} else {
			out = append(out, m...)
			out = append(out, ',')
		}
	}
	out = append(out, fields[:atPrev]...)
	member(atPrev, prev)
	out = append(out, fields[atPrev:atSeq]...)
	member(atSeq, sq)
	out = append(out, fields[atSeq:]...)
	return out, true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Service appends to and reads the ledger.
type Service struct {
	db *gorm.DB
}

// NewService returns the ledger service.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

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

// Append adds an entry to the process's ledger in the caller's transaction
// (ctx must carry one): it takes the process's ledger lock, so entries are
// numbered 1, 2, 3, ... without gaps, and links the entry to the previous one.
func (s *Service) Append(ctx context.Context, processID int64, f Fields) (Entry, error) {
	fields, err := Encode(f)
	if err != nil {
		return Entry{}, err
	}
	tx := database.Conn(ctx, s.db)
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", database.LockLedgerPrefix+strconv.FormatInt(processID, 10)).Error; err != nil {
		return Entry{}, fmt.Errorf("ledger: lock: %w", err)
	}
	var head struct {
		Seq  int64
		Hash string
	}
	if err := tx.Raw("SELECT seq, hash FROM ledger_entries WHERE process_id = ? ORDER BY seq DESC LIMIT 1", processID).Scan(&head).Error; err != nil {
		return Entry{}, fmt.Errorf("ledger: head: %w", err)
	}
	e := Entry{Seq: head.Seq + 1, PrevHash: head.Hash, Fields: fields}
	if head.Seq == 0 {
		e.PrevHash = Genesis
	}
	if e.Hash, err = Hash(e.Seq, e.PrevHash, fields); err != nil {
		return Entry{}, err
	}
	if err := tx.Exec("INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
		processID, e.Seq, string(fields), e.PrevHash, e.Hash).Error; err != nil {
		return Entry{}, fmt.Errorf("ledger: append: %w", err)
	}
	return e, nil
}

// Head is the latest entry's seq and hash; seq 0 when the ledger is empty.
func (s *Service) Head(ctx context.Context, processID int64) (seq int64, hash string, err error) {
	var head struct {
		Seq  int64
		Hash string
	}
	err = database.Conn(ctx, s.db).Raw("SELECT seq, hash FROM ledger_entries WHERE process_id = ? ORDER BY seq DESC LIMIT 1", processID).Scan(&head).Error
	if err != nil {
		return 0, "", fmt.Errorf("ledger: head: %w", err)
	}
	return head.Seq, head.Hash, nil
}

// Filter narrows a page of the ledger.
type Filter struct {
	Disposition string
	Before      int64 // seq; 0 for the newest
	Limit       int
}

// List returns entries newest first, and whether older ones remain.
func (s *Service) List(ctx context.Context, processID int64, f Filter) ([]Entry, bool, error) {
	q := database.Conn(ctx, s.db).Table("ledger_entries").Select("seq, prev_hash, hash, fields").
		Where("process_id = ?", processID)
	if f.Disposition != "" {
		q = q.Where("disposition = ?", f.Disposition)
	}
	if f.Before > 0 {
		q = q.Where("seq < ?", f.Before)
	}
	var rows []struct {
		Seq      int64
		PrevHash string
		Hash     string
		Fields   string
	}
	if err := q.Order("seq DESC").Limit(f.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("ledger: list: %w", err)
	}
	more := len(rows) > f.Limit
	if more {
		rows = rows[:f.Limit]
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = Entry{Seq: r.Seq, PrevHash: r.PrevHash, Hash: r.Hash, Fields: json.RawMessage(r.Fields)}
	}
	return out, more, nil
}

// Each calls fn with every entry of the process's ledger, oldest first,
// reading them in batches so a long ledger never sits in memory whole.
func (s *Service) Each(ctx context.Context, processID int64, fn func(Entry) error) error {
	const batch = 2000
	var after int64
	for {
		var rows []struct {
			Seq      int64
			PrevHash string
			Hash     string
			Fields   string
		}
		err := database.Conn(ctx, s.db).Raw(`SELECT seq, prev_hash, hash, fields FROM ledger_entries
			WHERE process_id = ? AND seq > ? ORDER BY seq LIMIT ?`, processID, after, batch).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("ledger: read: %w", err)
		}
		for _, r := range rows {
			if err := fn(Entry{Seq: r.Seq, PrevHash: r.PrevHash, Hash: r.Hash, Fields: json.RawMessage(r.Fields)}); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
		after = rows[len(rows)-1].Seq
	}
}
