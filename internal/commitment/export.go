package commitment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/opendata"
)

// Export is a process's implementation as open data: the dashboard's
// commitments with their working groups, milestones and published updates
// (signers by member id, no accounts, no drafts).
type Export struct {
	Dashboard
	Members    map[int64][]Member
	Milestones map[int64][]Milestone
	Updates    map[int64][]Update
}

// ExportTables are the tables of the CSV export.
var ExportTables = []string{"commitments", "milestones", "updates"}

// Export returns the process's implementation as open data.
func (s *Service) Export(ctx context.Context, actor auth.Principal, slug string) (Export, error) {
	d, err := s.Dashboard(ctx, actor, slug)
	if err != nil {
		return Export{}, err
	}
	e := Export{Dashboard: d, Members: map[int64][]Member{}, Updates: map[int64][]Update{}}
	if e.Milestones, err = s.store.ProcessMilestones(ctx, d.Process.ID); err != nil {
		return Export{}, err
	}
	for _, it := range d.Items {
		ms, err := s.store.Members(ctx, it.ID, false)
		if err != nil {
			return Export{}, err
		}
		for i := range ms {
			ms[i].UserID = nil
		}
		e.Members[it.ID] = ms
	}
	us, err := s.store.PublishedIn(ctx, d.Process.ID)
	if err != nil {
		return Export{}, err
	}
	if len(us) > 0 {
		ids := make([]int64, len(us))
		for i, u := range us {
			ids[i] = u.ID
		}
		states, err := s.store.States(ctx, ids)
		if err != nil {
			return Export{}, err
		}
		evidence, err := s.store.EvidenceOf(ctx, ids)
		if err != nil {
			return Export{}, err
		}
		sigs, err := s.store.Signatures(ctx, ids)
		if err != nil {
			return Export{}, err
		}
		for _, u := range us {
			u.Process, u.Milestones, u.Evidence, u.Signatures = d.Process.Slug, states[u.ID], evidence[u.ID], sigs[u.ID]
			for j := range u.Signatures {
				u.Signatures[j].Name = nil
			}
			e.Updates[u.CommitmentID] = append(e.Updates[u.CommitmentID], u)
		}
	}
	return e, nil
}

// WriteCSV writes one table of the export (commitments, milestones or
// updates) as CSV with a header row.
func (e Export) WriteCSV(w io.Writer, table string) error {
	cw := csv.NewWriter(w)
	opt := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	var rows [][]string
	switch table {
	case "commitments":
		rows = append(rows, []string{"commitment_id", "title", "theme", "lead_institution", "other_actors", "ogp_values", "starts_on", "ends_on",
			"status", "status_reason", "milestones_total", "milestones_done", "last_update_on", "next_update_due_on", "withdrawal_reason", "page"})
		for _, it := range e.Items {
			last := ""
			if it.LastUpdateOn != nil {
				last = it.LastUpdateOn.String()
			}
			rows = append(rows, []string{strconv.FormatInt(it.ID, 10), it.Title, it.Theme, it.LeadInstitution, strings.Join(it.OtherActors, "; "),
				strings.Join(it.Values, "; "), it.StartsOn.String(), it.EndsOn.String(), string(it.Verdict.Status), string(it.Verdict.Why),
				strconv.Itoa(it.MilestonesTotal), strconv.Itoa(it.MilestonesDone), last, it.NextUpdateDue.String(), opt(it.WithdrawalReason),
				fmt.Sprintf("/processes/%s/commitments/%d", e.Process.Slug, it.ID)})
		}
	case "milestones":
		rows = append(rows, []string{"commitment_id", "milestone_id", "title", "due_on", "completed_on", "evidence_url", "evidence_repository_item"})
		for _, it := range e.Items {
			for _, m := range e.Milestones[it.ID] {
				done, item := "", ""
				if m.CompletedOn != nil {
					done = m.CompletedOn.String()
				}
				if m.EvidenceItemID != nil {
					item = strconv.FormatInt(*m.EvidenceItemID, 10)
				}
				rows = append(rows, []string{strconv.FormatInt(it.ID, 10), strconv.FormatInt(m.ID, 10), m.Title, m.DueOn.String(), done,
					opt(m.EvidenceURL), item})
			}
		}
	case "updates":
		rows = append(rows, []string{"commitment_id", "update_id", "kind", "published_at", "ledger_seq", "supersedes_update", "correction_reason",
			"progress", "delay_reasons", "next_steps", "milestone_states", "evidence", "signers", "dissents"})
		for _, it := range e.Items {
			for _, u := range e.Updates[it.ID] {
				var states, signers, dissents []string
				for _, st := range u.Milestones {
					s := fmt.Sprintf("%d:%s", st.MilestoneID, st.State)
					if st.CompletedOn != nil {
						s += ":" + st.CompletedOn.String()
					}
					states = append(states, s)
				}
				for _, g := range u.Signatures {
					who := g.MemberRef + " (" + g.Seat + ", " + g.Organisation + ")"
					if g.Kind == "dissent" {
						dissents = append(dissents, who)
					} else {
						signers = append(signers, who)
					}
				}
				sup, seq := "", ""
				if u.Supersedes != nil {
					sup = strconv.FormatInt(*u.Supersedes, 10)
				}
				if u.LedgerSeq != nil {
					seq = strconv.FormatInt(*u.LedgerSeq, 10)
				}
				rows = append(rows, []string{strconv.FormatInt(it.ID, 10), strconv.FormatInt(u.ID, 10), u.Kind, u.PublishedAt.UTC().Format(time.RFC3339),
					seq, sup, opt(u.CorrectionReason), u.Progress, u.DelayReasons, u.NextSteps, strings.Join(states, "; "),
					strings.Join(evidenceRefs(u.Evidence), "; "), strings.Join(signers, "; "), strings.Join(dissents, "; ")})
			}
		}
	default:
		return fmt.Errorf("commitment: no export table %q", table)
	}
	for _, r := range rows {
		for i, cell := range r {
			r[i] = opendata.SafeCell(cell)
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
