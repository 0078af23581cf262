package ledger_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
)

// responseBytes is a response's entry as the ledger wrote it before entries
// had kinds, rules and recusals: the bytes its hash covers.
const responseBytes = `{"clusters":[],"correction_reason":null,"covers":["idea:1"],"disposition":"adopted","dissents":[],"led_to":"",` +
	`"process":"plan-2027","reasoning":"Yes","recorded_at":"2027-03-01T09:00:00Z","response":7,` +
	`"signers":[{"member":"m-0123456789abcdef","organisation":"City","seat":"government"}],"supersedes":null,"v":1}`

// TestResponsesEncodeAsBefore: a response without a rule or recusals encodes
// byte for byte as before, and an entry written before decodes and
// re-encodes to the same bytes (so its hash is the same whoever recomputes
// it); a rule and recusals are added members.
func TestResponsesEncodeAsBefore(t *testing.T) {
	f := ledger.Fields{Process: "plan-2027", RecordedAt: "2027-03-01T09:00:00Z", Response: 7, Disposition: "adopted", Reasoning: "Yes",
		Covers: []string{"idea:1"}, Signers: []ledger.Member{{Member: "m-0123456789abcdef", Seat: "government", Organisation: "City"}}}
	b, err := ledger.Encode(f)
	require.NoError(t, err)
	require.Equal(t, responseBytes, string(b))

	var old ledger.Fields
	require.NoError(t, json.Unmarshal([]byte(responseBytes), &old))
	again, err := ledger.Encode(old)
	require.NoError(t, err)
	require.Equal(t, responseBytes, string(again))
	k, err := ledger.KindOf([]byte(responseBytes))
	require.NoError(t, err)
	require.Equal(t, ledger.KindResponse, k)

	f.Rule = &ledger.Rule{Name: "qualified", Fraction: "2/3"}
	f.Recusals = []ledger.Member{{Member: "m-fedcba9876543210", Seat: "civil_society", Organisation: "NGO", Note: "I advised the author."}}
	b, err = ledger.Encode(f)
	require.NoError(t, err)
	require.Contains(t, string(b), `"recusals":[{"member":"m-fedcba9876543210","note":"I advised the author.","organisation":"NGO","seat":"civil_society"}]`)
	require.Contains(t, string(b), `"rule":{"fraction":"2/3","name":"qualified"}`)
}

// TestRuleChangeIsAnEntryOfItsOwnKind: a rule change is encoded with its kind
// and version, chained with the responses around it, and the chain verifies.
func TestRuleChangeIsAnEntryOfItsOwnKind(t *testing.T) {
	db := pgtest.New(t).DB
	l := ledger.NewService(db, nil)
	p := newProcess(t, db, "plan-2027")
	appendN(t, db, l, p, 1, "Adopted")
	rc := &ledger.RuleChange{Header: ledger.Header{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))},
		Rule: ledger.Rule{Name: "equal_veto"}, Previous: ledger.Rule{Name: "consensus", ConsensusHours: 48}}
	b, err := ledger.EncodeRecord(rc)
	require.NoError(t, err)
	require.Equal(t, `{"kind":"rule_change","previous":{"consensus_hours":48,"name":"consensus"},"process":"plan-2027",`+
		`"recorded_at":"2027-03-01T09:00:00Z","rule":{"name":"equal_veto"},"v":1}`, string(b))
	var e ledger.Entry
	require.NoError(t, database.InTx(context.Background(), db, func(ctx context.Context) error {
		e, err = l.AppendRecord(ctx, p, rc)
		return err
	}))
	require.Equal(t, int64(2), e.Seq)
	k, err := ledger.KindOf(e.Fields)
	require.NoError(t, err)
	require.Equal(t, ledger.KindRuleChange, k)
	appendN(t, db, l, p, 1, "Noted")
	rep, err := l.Verify(context.Background(), p)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.EqualValues(t, 3, rep.Entries)
	require.EqualValues(t, 1, pgtest.Count(t, db, "ledger_entries", "process_id = ? AND disposition IS NULL", p), "a rule change has no disposition")
}

// TestProgressUpdateEncoding pins a progress update's entry: its kind named,
// keys sorted, empty lists as [].
func TestProgressUpdateEncoding(t *testing.T) {
	done := "2027-03-01"
	got, err := ledger.EncodeRecord(&ledger.ProgressUpdate{Header: ledger.Header{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z"}, Commitment: 3, CommitmentTitle: "Open contracts",
		LeadInstitution: "City", Update: 9, UpdateKind: "joint", Progress: "Café", NextSteps: "More",
		Milestones: []ledger.MilestoneState{{Milestone: 4, Title: "Portal", DueOn: "2027-03-31", State: "completed", CompletedOn: &done}}})
	require.NoError(t, err)
	require.Equal(t, `{"commitment":3,"commitment_title":"Open contracts","correction_reason":null,"delay_reasons":"","dissents":[],"evidence":[],`+
		`"kind":"progress_update","lead_institution":"City","milestones":[{"completed_on":"2027-03-01","due_on":"2027-03-31","milestone":4,"state":"completed","title":"Portal"}],`+
		`"next_steps":"More","process":"plan-2027","progress":"Café","recorded_at":"2027-03-15T12:00:00Z","signers":[],"supersedes":null,"update":9,"update_kind":"joint","v":1}`, string(got))
}

// TestChainOfMixedKinds appends responses and progress updates to one ledger:
// one numbering, one chain that verifies; the kind filter lists each kind;
// one changed byte in a progress update's entry is found at its seq.
func TestChainOfMixedKinds(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	l := ledger.NewService(db, nil)
	p := newProcess(t, db, "plan-2027")
	var kinds []ledger.Kind
	for i := 1; i <= 6; i++ {
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			var e ledger.Entry
			var err error
			if i%2 == 0 {
				kinds = append(kinds, ledger.KindProgressUpdate)
				e, err = l.AppendRecord(ctx, p, &ledger.ProgressUpdate{Header: ledger.Header{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now())},
					Commitment: 1, CommitmentTitle: "Open contracts", Update: int64(i), UpdateKind: "government", Progress: "Progress made", NextSteps: "Next"})
			} else {
				kinds = append(kinds, ledger.KindResponse)
				e, err = l.Append(ctx, p, ledger.Fields{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now()), Response: int64(i), Disposition: "noted", Reasoning: "Noted"})
			}
			require.Equal(t, int64(i), e.Seq)
			return err
		}))
	}
	rep, err := l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.Equal(t, int64(6), rep.Entries)

	var stored []ledger.Kind
	require.NoError(t, db.Raw("SELECT kind FROM ledger_entries WHERE process_id = ? ORDER BY seq", p).Scan(&stored).Error)
	require.Equal(t, kinds, stored, "the kind column reads each entry's kind")
	for kind, want := range map[ledger.Kind][]int64{ledger.KindProgressUpdate: {6, 4, 2}, ledger.KindResponse: {5, 3, 1}, "": {6, 5, 4, 3, 2, 1}} {
		es, _, err := l.List(ctx, p, ledger.Filter{Kind: kind, Limit: 10})
		require.NoError(t, err)
		var seqs []int64
		for _, e := range es {
			seqs = append(seqs, e.Seq)
		}
		require.Equal(t, want, seqs, kind)
	}

	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec("UPDATE ledger_entries SET fields = replace(fields, 'Progress made', 'Progress mad3') WHERE process_id = ? AND seq = 4", p).Error
	}))
	rep, err = l.Verify(ctx, p)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, int64(4), *rep.FirstBrokenSeq, rep.Problem)
}
