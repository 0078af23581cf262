package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
)

// TestResponseEncodingIsUnchanged pins a response entry's bytes as they were
// before the ledger had kinds: no "kind" field, the same keys, so the entries
// recorded then still verify and new ones are encoded the same way.
func TestResponseEncodingIsUnchanged(t *testing.T) {
	seq := int64(2)
	reason := "A typo"
	got, err := ledger.Encode(ledger.Fields{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Response: 7, Disposition: "adopted",
		Reasoning: "Yes", Covers: []string{"comment:1"}, Signers: []ledger.Member{{Member: "m-0123456789abcdef", Seat: "government", Organisation: "City"}},
		Supersedes: &seq, CorrectionReason: &reason})
	require.NoError(t, err)
	require.Equal(t, `{"clusters":[],"correction_reason":"A typo","covers":["comment:1"],"disposition":"adopted","dissents":[],"led_to":"","process":"plan-2027",`+
		`"reasoning":"Yes","recorded_at":"2027-03-15T12:00:00Z","response":7,"signers":[{"member":"m-0123456789abcdef","organisation":"City","seat":"government"}],`+
		`"supersedes":2,"v":1}`, string(got))
	require.Equal(t, ledger.KindResponse, ledger.Fields{}.Kind())
}

// TestProgressUpdateEncoding pins a progress update's entry: its kind named,
// keys sorted, empty lists as [].
func TestProgressUpdateEncoding(t *testing.T) {
	done := "2027-03-01"
	got, err := ledger.Encode(ledger.ProgressUpdate{Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Commitment: 3, CommitmentTitle: "Open contracts",
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
	l := ledger.NewService(db)
	p := newProcess(t, db, "plan-2027")
	var kinds []string
	for i := 1; i <= 6; i++ {
		var r ledger.Record = ledger.Fields{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now()), Response: int64(i), Disposition: "noted", Reasoning: "Noted"}
		if i%2 == 0 {
			r = ledger.ProgressUpdate{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now()), Commitment: 1, CommitmentTitle: "Open contracts",
				Update: int64(i), UpdateKind: "government", Progress: "Progress made", NextSteps: "Next"}
		}
		kinds = append(kinds, r.Kind())
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			e, err := l.Append(ctx, p, r)
			require.Equal(t, int64(i), e.Seq)
			return err
		}))
	}
	rep, err := l.Verify(ctx, p)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Problem)
	require.Equal(t, int64(6), rep.Entries)

	var stored []string
	require.NoError(t, db.Raw("SELECT kind FROM ledger_entries WHERE process_id = ? ORDER BY seq", p).Scan(&stored).Error)
	require.Equal(t, kinds, stored, "the kind column reads each entry's kind")
	for kind, want := range map[string][]int64{ledger.KindProgressUpdate: {6, 4, 2}, ledger.KindResponse: {5, 3, 1}, "": {6, 5, 4, 3, 2, 1}} {
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
