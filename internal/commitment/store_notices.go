package commitment

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
	"cocreate/internal/workdays"
)

// reminderRow is a commitment that may need an update reminder.
type reminderRow struct {
	ID         int64         `gorm:"column:id"`
	ProcessID  int64         `gorm:"column:process_id"`
	Slug       string        `gorm:"column:slug"`
	Title      string        `gorm:"column:title"`
	StartsOn   workdays.Date `gorm:"column:starts_on"`
	LastUpdate *time.Time    `gorm:"column:last_update"`
}

// remindableSQL returns the commitments of public processes that are not
// withdrawn and have a milestone still open, with their latest published
// update's time.
const remindableSQL = `SELECT c.id, c.process_id, p.slug, c.title, c.starts_on,
			(SELECT max(u.published_at) FROM progress_updates u WHERE u.commitment_id = c.id AND u.state = 'published') AS last_update
		FROM commitments c JOIN processes p ON p.id = c.process_id
		WHERE c.withdrawn_at IS NULL AND p.published_at IS NOT NULL
		AND EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = c.id AND m.completed_on IS NULL)
		ORDER BY c.id`

// Remindable returns the commitments whose next update is to be watched.
func (s *Store) Remindable(ctx context.Context) ([]reminderRow, error) {
	var rows []reminderRow
	if err := database.Conn(ctx, s.db).Raw(remindableSQL).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: remindable: %w", err)
	}
	return rows, nil
}

// processesWithOpenQuestionsSQL returns the public processes with questions waiting for an answer.
const processesWithOpenQuestionsSQL = `SELECT DISTINCT q.process_id FROM commitment_questions q JOIN processes p ON p.id = q.process_id
		WHERE q.answered_at IS NULL AND q.hidden_at IS NULL AND p.published_at IS NOT NULL ORDER BY q.process_id`

// ProcessesWithOpenQuestions returns the public processes that have unanswered questions.
func (s *Store) ProcessesWithOpenQuestions(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(processesWithOpenQuestionsSQL).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("commitment store: processes with open questions: %w", err)
	}
	return ids, nil
}

// claimNoticeSQL records that a notice is being sent, once per kind, subject
// and due day; it returns the row only when this call recorded it.
const claimNoticeSQL = `INSERT INTO implementation_notices (kind, subject_id, due_on, sent_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING RETURNING kind`

// ClaimNotice records notice (kind, subject, due) as sent at now; first is
// false when it had been sent already (by this instance or another).
func (s *Store) ClaimNotice(ctx context.Context, kind string, subject int64, due workdays.Date, now time.Time) (first bool, err error) {
	var rows []string
	if err := database.Conn(ctx, s.db).Raw(claimNoticeSQL, kind, subject, due, now).Scan(&rows).Error; err != nil {
		return false, fmt.Errorf("commitment store: notice %s %d: %w", kind, subject, err)
	}
	return len(rows) == 1, nil
}

// owner is an owner of a process to e-mail.
type owner struct {
	ID    int64  `gorm:"column:id"`
	Email string `gorm:"column:email"`
}

// ownersSQL returns the live owners of a process that have an address.
const ownersSQL = `SELECT u.id, u.email FROM process_roles r JOIN users u ON u.id = r.user_id
		WHERE r.process_id = ? AND r.role = 'owner' AND u.email IS NOT NULL AND u.deleted_at IS NULL ORDER BY u.id`

// Owners returns the process's owners that can be e-mailed.
func (s *Store) Owners(ctx context.Context, processID int64) ([]owner, error) {
	var out []owner
	if err := database.Conn(ctx, s.db).Raw(ownersSQL, processID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("commitment store: owners of %d: %w", processID, err)
	}
	return out, nil
}
