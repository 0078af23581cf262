package forum_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/forum"
	"cocreate/internal/process"
)

const (
	gov   = process.SeatGovernment
	civil = process.SeatCivilSociety
	oth   = process.SeatOther
)

// seatsOf is a per-seat count: government, civil society, other.
func seatsOf(g, c, o int) map[process.Seat]int { return map[process.Seat]int{gov: g, civil: c, oth: o} }

// ruleCase is one tally and what a rule must say of it.
type ruleCase struct {
	name                     string
	members, signed, dissent map[process.Seat]int
	recused                  map[process.Seat]int
	met                      bool
	missing, vetoed          []process.Seat
	needed                   int
}

// runRule checks each case against the rule.
func runRule(t *testing.T, r forum.DecisionRule, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tally := forum.Tally{Members: c.members, Signed: c.signed, Dissented: c.dissent, Recused: c.recused}
			if tally.Recused == nil {
				tally.Recused = seatsOf(0, 0, 0)
			}
			if tally.Dissented == nil {
				tally.Dissented = seatsOf(0, 0, 0)
			}
			v := r.Decide(tally)
			require.Equal(t, c.met, v.Met, "met")
			if c.missing == nil {
				c.missing = []process.Seat{}
			}
			if c.vetoed == nil {
				c.vetoed = []process.Seat{}
			}
			require.Equal(t, c.missing, v.MissingSeats, "missing seats")
			require.Equal(t, c.vetoed, v.Vetoed, "vetoed")
			require.Equal(t, c.needed, v.Needed, "needed")
		})
	}
}

func TestRuleSingle(t *testing.T) {
	runRule(t, forum.DecisionRule{Name: forum.RuleSingle}, []ruleCase{
		{name: "nobody signed", members: seatsOf(2, 2, 1), signed: seatsOf(0, 0, 0), needed: 1},
		{name: "a dissent alone publishes nothing", members: seatsOf(2, 2, 1), signed: seatsOf(0, 0, 0), dissent: seatsOf(0, 2, 0), needed: 1},
		{name: "one signature of any seat", members: seatsOf(2, 2, 1), signed: seatsOf(0, 0, 1), met: true},
		{name: "dissents do not stop it", members: seatsOf(2, 2, 1), signed: seatsOf(1, 0, 0), dissent: seatsOf(1, 2, 1), met: true},
	})
}

func TestRuleJoint(t *testing.T) {
	runRule(t, forum.DecisionRule{Name: forum.RuleJoint}, []ruleCase{
		{name: "nobody", members: seatsOf(2, 2, 1), signed: seatsOf(0, 0, 0), missing: []process.Seat{gov, civil}, needed: 2},
		{name: "two of one side", members: seatsOf(2, 2, 1), signed: seatsOf(2, 0, 1), missing: []process.Seat{civil}, needed: 1},
		{name: "one per side, even against dissent", members: seatsOf(2, 3, 1), signed: seatsOf(1, 1, 0), dissent: seatsOf(1, 2, 1), met: true},
		{name: "recusals change nothing", members: seatsOf(2, 2, 0), signed: seatsOf(1, 0, 0), recused: seatsOf(0, 1, 0), missing: []process.Seat{civil}, needed: 1},
	})
}

func TestRuleMajorityEach(t *testing.T) {
	runRule(t, forum.DecisionRule{Name: forum.RuleMajorityEach}, []ruleCase{
		{name: "a majority of each", members: seatsOf(3, 3, 2), signed: seatsOf(2, 2, 0), met: true},
		{name: "a tie is no majority", members: seatsOf(4, 3, 0), signed: seatsOf(2, 2, 0), missing: []process.Seat{gov}, needed: 1},
		{name: "other seats do not count", members: seatsOf(3, 3, 5), signed: seatsOf(2, 1, 5), missing: []process.Seat{civil}, needed: 1},
		{name: "a recusal leaves it out of the count", members: seatsOf(4, 3, 0), signed: seatsOf(2, 2, 0), recused: seatsOf(1, 0, 0), met: true},
		{name: "a member added mid-way raises the bar", members: seatsOf(4, 4, 0), signed: seatsOf(2, 3, 0), missing: []process.Seat{gov}, needed: 1},
		{name: "dissent does not count as signing", members: seatsOf(1, 1, 0), signed: seatsOf(1, 0, 0), dissent: seatsOf(0, 1, 0), missing: []process.Seat{civil}, needed: 1},
		{name: "a side with no member cannot agree", members: seatsOf(2, 0, 0), signed: seatsOf(2, 0, 0), missing: []process.Seat{civil}, needed: 1},
		{name: "everyone on a side recused", members: seatsOf(2, 1, 0), signed: seatsOf(2, 0, 0), recused: seatsOf(0, 1, 0), missing: []process.Seat{civil}, needed: 1},
	})
}

func TestRuleQualified(t *testing.T) {
	twoThirds := forum.DecisionRule{Name: forum.RuleQualified, Num: 2, Den: 3}
	runRule(t, twoThirds, []ruleCase{
		{name: "two thirds of six is four", members: seatsOf(2, 2, 2), signed: seatsOf(2, 1, 1), met: true},
		{name: "three of six is not", members: seatsOf(2, 2, 2), signed: seatsOf(2, 1, 0), needed: 1},
		{name: "two thirds of five rounds up to four", members: seatsOf(2, 2, 1), signed: seatsOf(2, 1, 0), needed: 1},
		{name: "a recusal lowers the count", members: seatsOf(2, 2, 1), signed: seatsOf(2, 1, 0), recused: seatsOf(0, 0, 1), met: true},
		{name: "dissents do not block it", members: seatsOf(2, 2, 2), signed: seatsOf(2, 2, 0), dissent: seatsOf(0, 0, 2), met: true},
		{name: "a member added mid-way", members: seatsOf(3, 2, 2), signed: seatsOf(2, 1, 1), needed: 1},
		{name: "nobody left to count still needs a signature", members: seatsOf(1, 0, 0), signed: seatsOf(0, 0, 0), recused: seatsOf(1, 0, 0), needed: 1},
	})
	runRule(t, forum.DecisionRule{Name: forum.RuleQualified, Num: 3, Den: 4}, []ruleCase{
		{name: "three quarters of four", members: seatsOf(2, 2, 0), signed: seatsOf(2, 1, 0), met: true},
		{name: "two of four", members: seatsOf(2, 2, 0), signed: seatsOf(1, 1, 0), needed: 1},
	})
}

func TestRuleConsensus(t *testing.T) {
	deadline := time.Date(2027, 3, 4, 9, 0, 0, 0, time.UTC)
	r := forum.DecisionRule{Name: forum.RuleConsensus, ConsensusHours: 72}
	for _, c := range []struct {
		name                  string
		signed, dissent       int
		now                   time.Time
		met, blocked, waiting bool
		needed                int
	}{
		{name: "before the deadline", signed: 3, now: deadline.Add(-time.Second), waiting: true},
		{name: "at the deadline, signed, no dissent", signed: 1, now: deadline, met: true},
		{name: "after the deadline with a dissent", signed: 4, dissent: 1, now: deadline.Add(time.Hour), blocked: true},
		{name: "a dissent after signing blocks it before the deadline", signed: 2, dissent: 1, now: deadline.Add(-time.Hour), blocked: true, waiting: true},
		{name: "nobody signed", now: deadline.Add(time.Hour), needed: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := r.Decide(forum.Tally{Members: seatsOf(2, 2, 1), Signed: seatsOf(c.signed, 0, 0), Dissented: seatsOf(0, c.dissent, 0),
				Recused: seatsOf(0, 0, 0), Deadline: deadline, Now: c.now})
			require.Equal(t, c.met, v.Met)
			require.Equal(t, c.blocked, v.Blocked)
			require.Equal(t, c.waiting, v.Waiting)
			require.Equal(t, c.needed, v.Needed)
		})
	}
}

func TestRuleEqualVeto(t *testing.T) {
	runRule(t, forum.DecisionRule{Name: forum.RuleEqualVeto}, []ruleCase{
		{name: "one per side, nobody dissents", members: seatsOf(2, 3, 1), signed: seatsOf(1, 1, 0), met: true},
		{name: "a majority of civil society dissents", members: seatsOf(2, 3, 1), signed: seatsOf(1, 1, 0), dissent: seatsOf(0, 2, 0), vetoed: []process.Seat{civil}},
		{name: "a majority of government dissents", members: seatsOf(3, 2, 0), signed: seatsOf(1, 1, 0), dissent: seatsOf(2, 0, 0), vetoed: []process.Seat{gov}},
		{name: "half is a tie, not a veto", members: seatsOf(2, 4, 0), signed: seatsOf(1, 2, 0), dissent: seatsOf(0, 2, 0), met: true},
		{name: "other seats cannot veto", members: seatsOf(1, 1, 3), signed: seatsOf(1, 1, 0), dissent: seatsOf(0, 0, 3), met: true},
		{name: "a recusal leaves a veto of fewer", members: seatsOf(2, 4, 0), signed: seatsOf(1, 1, 0), dissent: seatsOf(0, 2, 0), recused: seatsOf(0, 1, 0), vetoed: []process.Seat{civil}},
		{name: "vetoed and missing", members: seatsOf(2, 3, 0), signed: seatsOf(1, 0, 0), dissent: seatsOf(0, 2, 0), missing: []process.Seat{civil}, vetoed: []process.Seat{civil}, needed: 1},
		{name: "a member added mid-way dilutes the veto", members: seatsOf(2, 4, 0), signed: seatsOf(1, 1, 0), dissent: seatsOf(0, 2, 0), met: true},
		{name: "both sides veto", members: seatsOf(1, 1, 0), signed: seatsOf(0, 0, 0), dissent: seatsOf(1, 1, 0), missing: []process.Seat{gov, civil}, vetoed: []process.Seat{gov, civil}, needed: 2},
	})
}
