package ledger

import (
	"encoding/json"
	"fmt"

	"github.com/gowebpki/jcs"
)

// Kind names what an entry records. A response's entry has no "kind" member:
// it is the format the ledger began with, and its entries must re-encode byte
// for byte. Every other kind writes its name in "kind".
type Kind string

// The kinds of entry.
const (
	KindResponse   Kind = "response"    // Fields, without a "kind" member
	KindRuleChange Kind = "rule_change" // RuleChange
	// KindProgressUpdate is ProgressUpdate.
	KindProgressUpdate Kind = "progress_update"
	// KindReport is CloseOutReport.
	KindReport Kind = "report"
)

// Kinds are every kind, as the ledger's kind filter accepts them.
var Kinds = []Kind{KindResponse, KindRuleChange, KindProgressUpdate, KindReport}

// Header is the members every entry of a kind other than a response starts
// with. A new kind is a struct in this file that embeds Header, has a kind
// method naming it, and a row in docs/ledger.md.
type Header struct {
	V          int    `json:"v"`
	Kind       Kind   `json:"kind"`
	Process    string `json:"process"`
	RecordedAt string `json:"recorded_at"` // UTC, RFC 3339, whole seconds
}

func (h *Header) header() *Header { return h }

// Record is an entry of a kind other than a response: one of the structs of
// this file, given by pointer.
type Record interface {
	header() *Header
	kind() Kind
}

// RuleChange records that a forum changed its decision rule; the rule applies
// to the responses drafted after the entry.
type RuleChange struct {
	Header
	Rule     Rule `json:"rule"`
	Previous Rule `json:"previous"`
}

func (*RuleChange) kind() Kind { return KindRuleChange }

// MilestoneState is a milestone as a progress update reported it.
type MilestoneState struct {
	Milestone   int64   `json:"milestone"`
	Title       string  `json:"title"`
	DueOn       string  `json:"due_on"` // YYYY-MM-DD
	State       string  `json:"state"`  // not_started, in_progress, at_risk or completed
	CompletedOn *string `json:"completed_on"`
}

// ProgressUpdate records a published progress update of a commitment.
type ProgressUpdate struct {
	Header
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

func (*ProgressUpdate) kind() Kind { return KindProgressUpdate }

// CloseOutReport records that a process's close-out report was published:
// its number, its scope, and the SHA-256 of its content as served at
// /processes/{slug}/reports/{number}.json, byte for byte.
type CloseOutReport struct {
	Header
	Report        int     `json:"report"`
	Phase         *string `json:"phase"`          // null for the whole process
	ContentSHA256 string  `json:"content_sha256"` // lower-case hex
	Supersedes    *int    `json:"supersedes"`     // the number of the report it revises
}

func (*CloseOutReport) kind() Kind { return KindReport }

// fillLists writes empty lists as [], never null.
func (u *ProgressUpdate) fillLists() {
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
}

// EncodeRecord is a record's fields as the ledger stores and hashes them: the
// RFC 8785 canonical JSON, with the format version and the kind set and empty
// lists as [].
func EncodeRecord(r Record) ([]byte, error) {
	h := r.header()
	h.V, h.Kind = Version, r.kind()
	if l, ok := r.(interface{ fillLists() }); ok {
		l.fillLists()
	}
	fields, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("ledger: encode %s: %w", h.Kind, err)
	}
	if fields, err = jcs.Transform(fields); err != nil {
		return nil, fmt.Errorf("ledger: canonical form of %s: %w", h.Kind, err)
	}
	return fields, nil
}

// KindOf says what an entry's fields record: their "kind" member, or a
// response when they have none.
func KindOf(fields []byte) (Kind, error) {
	var k struct {
		Kind *Kind `json:"kind"`
	}
	if err := json.Unmarshal(fields, &k); err != nil {
		return "", fmt.Errorf("ledger: kind: %w", err)
	}
	if k.Kind == nil {
		return KindResponse, nil
	}
	return *k.Kind, nil
}
