package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// hashPattern is how the ledger writes a hash: 64 lower-case hex digits.
var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidHash reports whether h is a hash as the ledger writes it.
func ValidHash(h string) bool { return hashPattern.MatchString(h) }

// ReadKept reads what someone kept of a ledger: a download (JSON Lines of
// entries and checkpoints), or JSON values each an entry, a
// {"checkpoint":{...}} line, or a bare {"seq","hash"}. It returns every seq
// with its hash, in the order read.
func ReadKept(r io.Reader) ([]Point, error) {
	dec := json.NewDecoder(r)
	var out []Point
	for n := 1; ; n++ {
		var v struct {
			Seq        *int64 `json:"seq"`
			Hash       string `json:"hash"`
			Checkpoint *struct {
				Seq  *int64 `json:"seq"`
				Hash string `json:"hash"`
			} `json:"checkpoint"`
		}
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("value %d: %w", n, err)
		}
		seq, hash := v.Seq, v.Hash
		if v.Checkpoint != nil {
			seq, hash = v.Checkpoint.Seq, v.Checkpoint.Hash
		}
		if seq == nil || *seq < 1 || !ValidHash(hash) {
			return nil, fmt.Errorf("value %d: not an entry or a checkpoint (a seq of 1 or more and a hash of 64 lower-case hex digits)", n)
		}
		out = append(out, Point{Seq: *seq, Hash: hash})
	}
	if len(out) == 0 {
		return nil, errors.New("nothing kept: no entry or checkpoint")
	}
	return out, nil
}
