package user

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
)

// TestGeneratedPseudonymsCannotBeDisplayNames: whatever pseudonym the system
// makes, nobody can take it, or a look-alike of it, as a display name.
func TestGeneratedPseudonymsCannotBeDisplayNames(t *testing.T) {
	for range 500 {
		p := newPseudonym()
		for _, name := range []string{p, "  " + p + " ", "Pаrticipant" + p[len("Participant"):]} {
			var f apperr.Fields
			normaliseDisplayName(&f, name)
			err := f.Err(CodeInvalid)
			require.Error(t, err, "%q was accepted", name)
			e, _ := apperr.As(err)
			require.Equal(t, "pseudonym", e.Fields[0].Code, name)
		}
	}
}
