package commitment

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// processCommitmentsSQL returns a process's commitments in the order they were made.
const processCommitmentsSQL = "SELECT " + commitmentColumns + " FROM commitments WHERE process_id = ? ORDER BY id LIMIT 1000"

// ProcessCommitments returns the process's commitments, oldest first.
func (s *Store) ProcessCommitments(ctx context.Context, processID int64) ([]Commitment, error) {
	var rows []Commitment
	if err := database.Conn(ctx, s.db).Raw(processCommitmentsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: commitments of %d: %w", processID, err)
	}
	return rows, nil
}

// processMilestonesSQL returns the milestones of a process's commitments, in order.
const processMilestonesSQL = "SELECT " + milestoneColumns + ` FROM milestones m JOIN commitments c ON c.id = m.commitment_id
		LEFT JOIN repository_items r ON r.id = m.evidence_item_id
		WHERE c.process_id = ? ORDER BY m.commitment_id, m.position, m.id`

// ProcessMilestones returns the milestones of the process's commitments, by commitment.
func (s *Store) ProcessMilestones(ctx context.Context, processID int64) (map[int64][]Milestone, error) {
	var rows []Milestone
	if err := database.Conn(ctx, s.db).Raw(processMilestonesSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: milestones of %d: %w", processID, err)
	}
	out := map[int64][]Milestone{}
	for _, m := range rows {
		out[m.CommitmentID] = append(out[m.CommitmentID], m)
	}
	return out, nil
}

// latest is a commitment's latest published update, as the status rule reads it.
type latest struct {
	CommitmentID int64     `gorm:"column:commitment_id"`
	PublishedAt  time.Time `gorm:"column:published_at"`
	Flagged      bool      `gorm:"column:flagged"`
}

// latestUpdatesSQL returns, per commitment of a process, its latest published
// update's time and whether it reported a milestone at risk.
const latestUpdatesSQL = `SELECT DISTINCT ON (u.commitment_id) u.commitment_id, u.published_at,
			EXISTS (SELECT 1 FROM progress_milestones pm WHERE pm.update_id = u.id AND pm.state = 'at_risk') AS flagged
		FROM progress_updates u WHERE u.process_id = ? AND u.state = 'published'
		ORDER BY u.commitment_id, u.published_at DESC, u.id DESC`

// LatestUpdates returns each commitment's latest published update, by commitment.
func (s *Store) LatestUpdates(ctx context.Context, processID int64) (map[int64]latest, error) {
	var rows []latest
	if err := database.Conn(ctx, s.db).Raw(latestUpdatesSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: latest updates of %d: %w", processID, err)
	}
	out := make(map[int64]latest, len(rows))
	for _, r := range rows {
		out[r.CommitmentID] = r
	}
	return out, nil
}

// selfAssessmentSQL returns a draft's title and its latest published
// version's number and comment window (no version columns before the first).
const selfAssessmentSQL = `SELECT d.id, d.title, v.number, v.opens_at, v.closes_at, v.published_at FROM documents d
		LEFT JOIN LATERAL (SELECT number, opens_at, closes_at, published_at FROM document_versions
			WHERE document_id = d.id AND published_at IS NOT NULL ORDER BY number DESC LIMIT 1) v ON true
		WHERE d.id = ?`

// selfAssessmentRow is the self-assessment draft as it is read.
type selfAssessmentRow struct {
	ID          int64      `gorm:"column:id"`
	Title       string     `gorm:"column:title"`
	Number      *int       `gorm:"column:number"`
	OpensAt     *time.Time `gorm:"column:opens_at"`
	ClosesAt    *time.Time `gorm:"column:closes_at"`
	PublishedAt *time.Time `gorm:"column:published_at"`
}

// SelfAssessment returns the draft document id with its latest published
// version's window; ok is false when there is no such document.
func (s *Store) SelfAssessment(ctx context.Context, id int64) (selfAssessmentRow, bool, error) {
	var rows []selfAssessmentRow
	if err := database.Conn(ctx, s.db).Raw(selfAssessmentSQL, id).Scan(&rows).Error; err != nil {
		return selfAssessmentRow{}, false, fmt.Errorf("commitment store: self-assessment %d: %w", id, err)
	}
	if len(rows) == 0 {
		return selfAssessmentRow{}, false, nil
	}
	return rows[0], true, nil
}
