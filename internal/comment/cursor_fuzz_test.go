package comment

import "testing"

// FuzzThreadCursor: any cursor string parses or is refused, never panics,
// and a parsed one round-trips.
func FuzzThreadCursor(f *testing.F) {
	f.Add(threadCursor(Comment{ID: 7, RootID: 3}))
	f.Add("")
	f.Add("not a cursor")
	f.Fuzz(func(t *testing.T, cur string) {
		root, id, err := parseThreadCursor(cur)
		if err != nil {
			return
		}
		if again := threadCursor(Comment{ID: id, RootID: root}); again != cur {
			root2, id2, err := parseThreadCursor(again)
			if err != nil || root2 != root || id2 != id {
				t.Fatalf("cursor %q parsed to (%d, %d), which does not round-trip", cur, root, id)
			}
		}
	})
}
