package process

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStageAndCurrentPhase(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	p := Process{Phases: []Phase{
		{Kind: PhaseIdeaCollection, OpensAt: t0, ClosesAt: t0.Add(10 * day)},
		{Kind: PhasePublicComment, OpensAt: t0.Add(20 * day), ClosesAt: t0.Add(30 * day)},
	}}
	for _, tt := range []struct {
		name    string
		at      time.Time
		stage   Stage
		current PhaseKind
	}{
		{"before the first phase", t0.Add(-time.Second), StageUpcoming, ""},
		{"the instant a phase opens", t0, StageActive, PhaseIdeaCollection},
		{"the instant a phase closes", t0.Add(10 * day), StageBetweenPhases, ""},
		{"in the second phase", t0.Add(25 * day), StageActive, PhasePublicComment},
		{"after the last phase", t0.Add(30 * day), StageEnded, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.stage, p.StageAt(tt.at))
			cur, ok := p.CurrentPhase(tt.at)
			require.Equal(t, tt.current != "", ok)
			require.Equal(t, tt.current, cur.Kind)
		})
	}
	require.Equal(t, StageUpcoming, Process{}.StageAt(t0), "a process without phases has not started")
	require.Equal(t, PhaseUpcoming, p.Phases[1].StateAt(t0))
	require.Equal(t, PhaseClosed, p.Phases[0].StateAt(t0.Add(11*day)))
}
