package process

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
)

func TestMandateMissingParts(t *testing.T) {
	require.Equal(t, MandateParts, Mandate{}.Missing(), "an empty mandate misses every part")
	level := IAP2Consult
	full := Mandate{Purpose: "Why", OpenItems: []string{"a"}, FixedItems: []string{"b"}, UseOfInput: "How",
		DecisionMaker: "Council", DecisionPoints: DecisionPoints{{Label: "Vote", Date: "2027-05-01"}}, IAP2Level: &level,
		ContactName: "Office", ContactEmail: "o@city.example", PrivacyNotice: "Kept a year."}
	require.Empty(t, full.Missing())
	blank := full
	blank.Purpose, blank.ContactEmail, blank.FixedItems = " \n ", "", nil
	require.Equal(t, []string{"purpose", "fixed_items", "contact_email"}, blank.Missing(), "blank counts as empty")
}

func TestValidateMandateTrimsAndOrders(t *testing.T) {
	var f apperr.Fields
	m := validateMandate(&f, MandateInput{
		Purpose:      "  Why we ask  ",
		OpenItems:    []string{" a "},
		ContactName:  " Office ",
		ContactEmail: " open@city.example ",
		DecisionPoints: []DecisionPoint{{Label: "Late", Date: "2027-09-01"}, {Label: "Early", Date: " 2027-04-01 "},
			{Label: "Also late", Date: "2027-09-01"}},
	})
	require.NoError(t, f.Err(CodeInvalid))
	require.Equal(t, "Why we ask", m.Purpose)
	require.Equal(t, []string{"a"}, []string(m.OpenItems))
	require.Equal(t, "Office", m.ContactName)
	require.Equal(t, "open@city.example", m.ContactEmail)
	require.Equal(t, DecisionPoints{{Label: "Early", Date: "2027-04-01"}, {Label: "Late", Date: "2027-09-01"},
		{Label: "Also late", Date: "2027-09-01"}}, m.DecisionPoints, "date order; one day keeps the order given")
	require.Nil(t, m.IAP2Level)
}
