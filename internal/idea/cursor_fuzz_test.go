package idea

import "testing"

// FuzzListCursor: any cursor is read or refused with ErrBadCursor; what is
// read is what was written.
func FuzzListCursor(f *testing.F) {
	f.Add(encodeCursor(SortNewest, 1700000000, 42))
	f.Add("")
	f.Add("aTpuZXdlc3Q6MToy")
	f.Fuzz(func(t *testing.T, cur string) {
		key, id, err := decodeCursor(SortNewest, cur)
		if err != nil {
			if err != ErrBadCursor {
				t.Fatalf("%q: %v", cur, err)
			}
			return
		}
		k2, id2, err := decodeCursor(SortNewest, encodeCursor(SortNewest, key, id))
		if err != nil || k2 != key || id2 != id {
			t.Fatalf("%q read as (%d, %d) does not round-trip", cur, key, id)
		}
	})
}
