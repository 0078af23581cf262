package forum

import (
	"testing"
	"time"
)

// FuzzUnansweredCursor: any cursor is read or refused with ErrBadCursor;
// what is read is what was written.
func FuzzUnansweredCursor(f *testing.F) {
	f.Add(encodeCursor(time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC), KindComment, 42))
	f.Add("")
	f.Add("MS5jb21tZW50LjI")
	f.Fuzz(func(t *testing.T, cur string) {
		c, err := decodeCursor(cur)
		if err != nil {
			if err != ErrBadCursor {
				t.Fatalf("%q: %v", cur, err)
			}
			return
		}
		again, err := decodeCursor(encodeCursor(c.at, Kind(c.kind), c.id))
		if err != nil || again != c {
			t.Fatalf("%q read as %+v does not round-trip (%+v)", cur, c, again)
		}
	})
}
