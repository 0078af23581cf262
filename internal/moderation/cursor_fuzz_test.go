package moderation

import (
	"encoding/base64"
	"strconv"
	"testing"
)

// FuzzQueueCursor: any cursor string is read or refused with ErrBadCursor,
// never a panic.
func FuzzQueueCursor(f *testing.F) {
	f.Add(base64.RawURLEncoding.EncodeToString([]byte("q:" + strconv.FormatInt(1700000000000000, 10) + ":42")))
	f.Add("")
	f.Add("q:1:2")
	f.Fuzz(func(t *testing.T, cur string) {
		if _, _, err := parseQueueCursor(cur); err != nil && err != ErrBadCursor {
			t.Fatalf("%q: %v", cur, err)
		}
	})
}
