package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes surveys, answers, free texts and invitations.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// participationSQL is the union of everything an account may have done in a
// process between @from and @to (excluded): online comments and replies (not
// rejected, not deleted), online ideas, votes on comments, supports of ideas
// and written input to meetings' agendas. Contributions entered on someone's
// behalf belong to the owner who typed them in, so they do not count.
const participationSQL = `
	SELECT c.author_id AS user_id FROM comments c
	  LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
	  LEFT JOIN progress_updates u ON u.id = c.progress_update_id
	 WHERE coalesce(d.process_id, i.process_id, u.process_id) = @p AND c.channel = 'online' AND c.deleted_at IS NULL
	   AND c.status <> 'rejected' AND c.created_at >= @from AND c.created_at < @to
	UNION SELECT author_id FROM ideas WHERE process_id = @p AND channel = 'online' AND created_at >= @from AND created_at < @to
	UNION SELECT v.user_id FROM comment_votes v JOIN comments c ON c.id = v.comment_id
	  LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
	  LEFT JOIN progress_updates u ON u.id = c.progress_update_id
	 WHERE coalesce(d.process_id, i.process_id, u.process_id) = @p AND v.voted_at >= @from AND v.voted_at < @to
	UNION SELECT user_id FROM idea_supports WHERE process_id = @p AND created_at >= @from AND created_at < @to
	UNION SELECT x.author_id FROM meeting_inputs x JOIN meetings mt ON mt.id = x.meeting_id
	 WHERE mt.process_id = @p AND x.created_at >= @from AND x.created_at < @to`

// tookPartSQL returns whether account @u took part in the process in the window.
const tookPartSQL = `SELECT EXISTS (SELECT 1 FROM (` + participationSQL + `) x WHERE user_id = @u)`

// participantsSQL returns the live accounts, with their address, that took
// part in the process in the window.
const participantsSQL = `SELECT u.id, u.email FROM users u WHERE u.id IN (` + participationSQL + `)
	AND u.deleted_at IS NULL AND u.suspended_at IS NULL AND u.email IS NOT NULL ORDER BY u.id`

// surveyRowSQL returns a survey's stored questions and when they were edited.
const surveyRowSQL = "SELECT questions, edited_at FROM surveys WHERE process_id = ? AND phase = ?"

// ensureSurveySQL stores a survey's default questions when it has no row yet.
const ensureSurveySQL = `INSERT INTO surveys (process_id, phase, questions) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`

// lockSurveySQL returns a survey's questions, locked against edits (FOR
// SHARE: answers do not wait for one another) or for an edit (FOR UPDATE).
const (
	lockSurveyShareSQL  = "SELECT questions, edited_at FROM surveys WHERE process_id = ? AND phase = ? FOR SHARE"
	lockSurveyUpdateSQL = "SELECT questions, edited_at FROM surveys WHERE process_id = ? AND phase = ? FOR UPDATE"
)

// putQuestionsSQL replaces a survey's questions; it returns nothing.
const putQuestionsSQL = "UPDATE surveys SET questions = ?, edited_at = ? WHERE process_id = ? AND phase = ?"

// answerCountsSQL returns how many answers each survey of a process has.
const answerCountsSQL = "SELECT phase, count(*) AS n FROM survey_answers WHERE process_id = ? GROUP BY phase"

// answeredSQL returns the phases of a process whose survey the account answered.
const answeredSQL = "SELECT phase FROM survey_answers WHERE process_id = ? AND user_id = ?"

// insertAnswerSQL stores an answer and returns its id.
const insertAnswerSQL = "INSERT INTO survey_answers (process_id, phase, user_id, answers) VALUES (?, ?, ?, ?) RETURNING id"

// insertTextSQL stores a free-text answer and returns its id.
const insertTextSQL = `INSERT INTO survey_texts (process_id, phase, question_id, body, body_html, status)
	VALUES (?, ?, ?, ?, ?, ?) RETURNING id`

// sweepSQL clears the account of every answer whose survey has closed (its
// phase closed more than the window ago) and returns how many it cleared.
const sweepSQL = `UPDATE survey_answers a SET user_id = NULL FROM process_phases ph
	WHERE a.user_id IS NOT NULL AND ph.process_id = a.process_id AND ph.kind = a.phase
	  AND ph.closes_at + make_interval(secs => ?) <= ?`

// invitableSQL returns the phases of published processes whose survey is
// open and whose participants have not been invited yet.
const invitableSQL = `SELECT ph.process_id, p.slug, p.title, ph.kind, ph.opens_at, ph.closes_at
	FROM process_phases ph JOIN processes p ON p.id = ph.process_id
	WHERE p.published_at IS NOT NULL AND ph.closes_at <= @now AND ph.closes_at + make_interval(secs => @w) > @now
	  AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.process_id = ph.process_id AND i.phase = ph.kind)
	ORDER BY ph.closes_at LIMIT 100`

// claimInvitationSQL records that a phase's invitations are sent; it returns
// the row when this is the first claim, nothing otherwise.
const claimInvitationSQL = `INSERT INTO survey_invitations (process_id, phase, sent_at) VALUES (?, ?, ?)
	ON CONFLICT DO NOTHING RETURNING process_id`

// storedSurvey is a survey's row.
type storedSurvey struct {
	Questions []byte
	EditedAt  *time.Time
}

func (r storedSurvey) questions() ([]Question, error) {
	var qs []Question
	if err := json.Unmarshal(r.Questions, &qs); err != nil {
		return nil, fmt.Errorf("survey store: questions: %w", err)
	}
	return qs, nil
}

// Questions returns a survey's questions and whether owners edited them (the
// defaults when it has no row).
func (s *Store) Questions(ctx context.Context, processID int64, phase string) ([]Question, bool, error) {
	var rows []storedSurvey
	if err := database.Conn(ctx, s.db).Raw(surveyRowSQL, processID, phase).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("survey store: survey: %w", err)
	}
	if len(rows) == 0 {
		return Defaults, false, nil
	}
	qs, err := rows[0].questions()
	return qs, rows[0].EditedAt != nil, err
}

// Lock makes sure a survey has its row and returns its questions, locked
// until the transaction in ctx ends: for an edit (forEdit) or for an answer.
func (s *Store) Lock(ctx context.Context, processID int64, phase string, forEdit bool) ([]Question, error) {
	conn := database.Conn(ctx, s.db)
	defaults, _ := json.Marshal(Defaults)
	if err := conn.Exec(ensureSurveySQL, processID, phase, string(defaults)).Error; err != nil {
		return nil, fmt.Errorf("survey store: ensure survey: %w", err)
	}
	q := lockSurveyShareSQL
	if forEdit {
		q = lockSurveyUpdateSQL
	}
	var rows []storedSurvey
	if err := conn.Raw(q, processID, phase).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("survey store: lock survey: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("survey store: survey %d %s vanished", processID, phase)
	}
	return rows[0].questions()
}

// PutQuestions replaces a survey's questions.
func (s *Store) PutQuestions(ctx context.Context, processID int64, phase string, qs []Question, at time.Time) error {
	b, _ := json.Marshal(qs)
	if err := database.Conn(ctx, s.db).Exec(putQuestionsSQL, string(b), at, processID, phase).Error; err != nil {
		return fmt.Errorf("survey store: put questions: %w", err)
	}
	return nil
}

// AnswerCounts returns how many answers each survey of a process has, by phase.
func (s *Store) AnswerCounts(ctx context.Context, processID int64) (map[string]int, error) {
	var rows []struct {
		Phase string
		N     int
	}
	if err := database.Conn(ctx, s.db).Raw(answerCountsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("survey store: answer counts: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Phase] = r.N
	}
	return out, nil
}

// Answered returns the phases of a process whose survey the account answered
// (while the surveys keep the link).
func (s *Store) Answered(ctx context.Context, processID, userID int64) (map[string]bool, error) {
	var phases []string
	if err := database.Conn(ctx, s.db).Raw(answeredSQL, processID, userID).Scan(&phases).Error; err != nil {
		return nil, fmt.Errorf("survey store: answered: %w", err)
	}
	out := map[string]bool{}
	for _, p := range phases {
		out[p] = true
	}
	return out, nil
}

// TookPart reports whether the account took part in the process in [from, to).
func (s *Store) TookPart(ctx context.Context, processID, userID int64, from, to time.Time) (bool, error) {
	var ok bool
	err := database.Conn(ctx, s.db).Raw(tookPartSQL, map[string]any{"p": processID, "u": userID, "from": from, "to": to}).Scan(&ok).Error
	if err != nil {
		return false, fmt.Errorf("survey store: took part: %w", err)
	}
	return ok, nil
}

// participant is an account to invite.
type participant struct {
	ID    int64
	Email string
}

// Participants returns the live accounts that took part in the process in [from, to).
func (s *Store) Participants(ctx context.Context, processID int64, from, to time.Time) ([]participant, error) {
	var out []participant
	err := database.Conn(ctx, s.db).Raw(participantsSQL, map[string]any{"p": processID, "from": from, "to": to}).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("survey store: participants: %w", err)
	}
	return out, nil
}

// InsertAnswer stores an answer; ErrAlreadyDone when the account has one.
func (s *Store) InsertAnswer(ctx context.Context, processID int64, phase string, userID int64, values map[string]any) (int64, error) {
	b, _ := json.Marshal(values)
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertAnswerSQL, processID, phase, userID, string(b)).Scan(&id).Error
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.As(err, &pe) && pe.Code == "23505":
		return 0, ErrAlreadyDone
	case err != nil:
		return 0, fmt.Errorf("survey store: insert answer: %w", err)
	}
	return id, nil
}

// InsertText stores a free-text answer with its status and returns its id.
func (s *Store) InsertText(ctx context.Context, processID int64, phase, question, body, html, status string) (int64, error) {
	var id int64
	if err := database.Conn(ctx, s.db).Raw(insertTextSQL, processID, phase, question, body, html, status).Scan(&id).Error; err != nil {
		return 0, fmt.Errorf("survey store: insert text: %w", err)
	}
	return id, nil
}

// Sweep clears the account of the answers of every survey closed at now.
func (s *Store) Sweep(ctx context.Context, now time.Time) (int64, error) {
	res := database.Conn(ctx, s.db).Exec(sweepSQL, Window.Seconds(), now)
	if res.Error != nil {
		return 0, fmt.Errorf("survey store: sweep: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// invitable is a phase whose participants are to be invited.
type invitable struct {
	ProcessID int64
	Slug      string
	Title     string
	Kind      string
	OpensAt   time.Time
	ClosesAt  time.Time
}

// Invitable returns up to 100 phases whose survey is open at now and whose
// participants have not been invited.
func (s *Store) Invitable(ctx context.Context, now time.Time) ([]invitable, error) {
	var out []invitable
	if err := database.Conn(ctx, s.db).Raw(invitableSQL, map[string]any{"now": now, "w": Window.Seconds()}).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("survey store: invitable: %w", err)
	}
	return out, nil
}

// ClaimInvitation records a phase's invitations as sent; false when they were.
func (s *Store) ClaimInvitation(ctx context.Context, processID int64, phase string, now time.Time) (bool, error) {
	var got []int64
	if err := database.Conn(ctx, s.db).Raw(claimInvitationSQL, processID, phase, now).Scan(&got).Error; err != nil {
		return false, fmt.Errorf("survey store: claim invitation: %w", err)
	}
	return len(got) == 1, nil
}

// valueCountsSQL returns, for one survey, how many answers gave each value to
// each closed question (the value as text: 4, true, an option).
const valueCountsSQL = `SELECT e.key AS question, e.value #>> '{}' AS value, count(*) AS n
	FROM survey_answers a, jsonb_each(a.answers) e WHERE a.process_id = ? AND a.phase = ? GROUP BY 1, 2`

type valueCount struct {
	Question, Value string
	N               int
}

// ValueCounts counts each value given to each closed question of a survey.
func (s *Store) ValueCounts(ctx context.Context, processID int64, phase string) ([]valueCount, error) {
	var rows []valueCount
	if err := database.Conn(ctx, s.db).Raw(valueCountsSQL, processID, phase).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("survey: value counts: %w", err)
	}
	return rows, nil
}

// publishedTextsSQL returns a survey's published free texts, oldest first.
const publishedTextsSQL = `SELECT id, question_id, body, body_html FROM survey_texts
	WHERE process_id = ? AND phase = ? AND status = 'published' ORDER BY id`

type publishedTextRow struct {
	ID             int64
	QuestionID     string
	Body, BodyHTML string
}

// PublishedTexts lists a survey's published free texts, oldest first.
func (s *Store) PublishedTexts(ctx context.Context, processID int64, phase string) ([]publishedTextRow, error) {
	var rows []publishedTextRow
	if err := database.Conn(ctx, s.db).Raw(publishedTextsSQL, processID, phase).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("survey: texts: %w", err)
	}
	return rows, nil
}
