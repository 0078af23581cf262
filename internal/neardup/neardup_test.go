package neardup

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const letter = `I am writing as a resident of Larkhaven to ask that the action plan commits the
city to publish every public contract above ten thousand euros as open data within thirty days of
signature, including the name of the supplier, the amount and the documents of the tender.`

func TestSignatureSeesSmallEditsAndAccents(t *testing.T) {
	a := Signature(letter)
	require.Len(t, a, Size)
	assert.Equal(t, 1.0, Similarity(a, Signature(letter)))
	assert.Equal(t, 1.0, Similarity(Signature("Transparência já"), Signature("transparencia JA")), "case and accents do not count")

	edited := `I am writing as a resident of Larkhaven to ask that the action plan commits our
city to publish every public contract above ten thousand euros as open data within 30 days of
signature, including the name of the supplier, the amount and all documents of the tender.`
	assert.GreaterOrEqual(t, Similarity(a, Signature(edited)), Threshold, "three words changed")

	other := `The library opening hours should be extended to the evenings and weekends so that
working parents and students can use the reading rooms, and the budget for new books should grow.`
	assert.Less(t, Similarity(a, Signature(other)), 0.2)

	assert.Nil(t, Signature("  ... !!! "))
	assert.Equal(t, 0.0, Similarity(nil, a))
}

func TestGroupsJoinsChainsAndLeavesSinglesOut(t *testing.T) {
	sigs := [][]int32{
		Signature(letter),
		Signature("The library opening hours should be extended to the evenings and weekends for students."),
		Signature(letter + " Thank you."),
		nil,
		Signature(letter + " Thank you for reading."),
		Signature("Cycle lanes on the bridge road would make the school run safer for every child in the district."),
	}
	assert.Equal(t, [][]int{{0, 2, 4}}, Groups(sigs, Threshold))
}
