package forum

import (
	"fmt"
	"slices"
	"time"

	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// Rule is a forum's decision rule: when the signatures, dissents and
// recusals on a draft publish it.
type Rule string

// The decision rules. Each is one pure function below (ruleFuncs).
const (
	RuleSingle       Rule = "single"        // any member's signature publishes
	RuleJoint        Rule = "joint"         // a government and a civil-society signature publish
	RuleMajorityEach Rule = "majority_each" // a majority of the government seats and of the civil-society seats sign
	RuleQualified    Rule = "qualified"     // a fraction (more than half) of all the members sign
	RuleConsensus    Rule = "consensus"     // someone signed and nobody dissented by the deadline
	RuleEqualVeto    Rule = "equal_veto"    // as joint, but not while a majority of either side dissents
)

// Rules lists the decision rules in the order they are offered.
var Rules = []Rule{RuleSingle, RuleJoint, RuleMajorityEach, RuleQualified, RuleConsensus, RuleEqualVeto}

// DecisionRule is a rule with its parameters: the fraction of members of a
// qualified majority, the hours members have to dissent under consensus.
type DecisionRule struct {
	Name           Rule
	Num, Den       int // qualified only
	ConsensusHours int // consensus only
}

// Ledger is the rule as the ledger names it.
func (r DecisionRule) Ledger() ledger.Rule {
	out := ledger.Rule{Name: string(r.Name)}
	switch r.Name {
	case RuleQualified:
		out.Fraction = fmt.Sprintf("%d/%d", r.Num, r.Den)
	case RuleConsensus:
		out.ConsensusHours = r.ConsensusHours
	}
	return out
}

// Tally is what a rule decides on: per seat, the forum's current members and
// how many of them signed, dissented or recused themselves; for consensus,
// the draft's deadline and the time now. Only current members count.
type Tally struct {
	Members, Signed, Dissented, Recused map[process.Seat]int
	Deadline, Now                       time.Time
}

// Verdict is what a rule says of a tally: whether the response is published,
// and what it still waits for.
type Verdict struct {
	Met bool
	// MissingSeats are the seats still short of the signatures the rule asks
	// of them (joint, equal veto: one; majority of each: a majority).
	MissingSeats []process.Seat
	// Vetoed are the seats a majority of whose members dissent (equal veto).
	Vetoed []process.Seat
	// Needed is how many more signatures the rule needs at least.
	Needed int
	// Blocked: a dissent stops a consensus. Waiting: its deadline has not passed.
	Blocked, Waiting bool
}

// ruleFuncs are the rules, one pure function each.
var ruleFuncs = map[Rule]func(Tally, DecisionRule) Verdict{
	RuleSingle:       single,
	RuleJoint:        joint,
	RuleMajorityEach: majorityEach,
	RuleQualified:    qualified,
	RuleConsensus:    consensus,
	RuleEqualVeto:    equalVeto,
}

// Decide applies the rule to the tally.
func (r DecisionRule) Decide(t Tally) Verdict {
	v := ruleFuncs[r.Name](t, r)
	if v.MissingSeats == nil {
		v.MissingSeats = []process.Seat{}
	}
	if v.Vetoed == nil {
		v.Vetoed = []process.Seat{}
	}
	return v
}

// sides are the two seats that have an equal say: government and civil society.
var sides = []process.Seat{process.SeatGovernment, process.SeatCivilSociety}

func total(m map[process.Seat]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// eligible is how many members of a seat the rule counts: those not recused.
func (t Tally) eligible(s process.Seat) int { return max(0, t.Members[s]-t.Recused[s]) }

// single: one signature, whatever dissents.
func single(t Tally, _ DecisionRule) Verdict {
	signed := total(t.Signed)
	return Verdict{Met: signed > 0, Needed: max(0, 1-signed)}
}

// joint: a signature from each side.
func joint(t Tally, _ DecisionRule) Verdict {
	var v Verdict
	for _, s := range sides {
		if t.Signed[s] == 0 {
			v.MissingSeats = append(v.MissingSeats, s)
		}
	}
	v.Needed = len(v.MissingSeats)
	v.Met = v.Needed == 0
	return v
}

// majorityEach: more than half of each side's members who are not recused
// sign; a side with no such member cannot give a majority.
func majorityEach(t Tally, _ DecisionRule) Verdict {
	var v Verdict
	for _, s := range sides {
		need := t.eligible(s)/2 + 1
		if t.Signed[s] < need {
			v.MissingSeats = append(v.MissingSeats, s)
			v.Needed += need - t.Signed[s]
		}
	}
	v.Met = len(v.MissingSeats) == 0
	return v
}

// qualified: at least Num/Den of all the members who are not recused sign,
// and at least one does.
func qualified(t Tally, r DecisionRule) Verdict {
	eligible := max(0, total(t.Members)-total(t.Recused))
	need := max(1, (r.Num*eligible+r.Den-1)/r.Den)
	needed := max(0, need-total(t.Signed))
	return Verdict{Met: needed == 0, Needed: needed}
}

// consensus: someone signed, nobody dissented, and the deadline has passed.
func consensus(t Tally, _ DecisionRule) Verdict {
	v := Verdict{Blocked: total(t.Dissented) > 0, Waiting: t.Now.Before(t.Deadline), Needed: max(0, 1-total(t.Signed))}
	v.Met = !v.Blocked && !v.Waiting && v.Needed == 0
	return v
}

// equalVeto: a signature from each side, and not while more than half of
// either side's members who are not recused dissent.
func equalVeto(t Tally, r DecisionRule) Verdict {
	v := joint(t, r)
	for _, s := range sides {
		if 2*t.Dissented[s] > t.eligible(s) {
			v.Vetoed = append(v.Vetoed, s)
		}
	}
	v.Met = v.Met && len(v.Vetoed) == 0
	return v
}

// validRule reports whether name is a decision rule.
func validRule(name Rule) bool { return slices.Contains(Rules, name) }
