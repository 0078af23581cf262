package commitment

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
	"cocreate/internal/workdays"
)

// questionColumns are the columns of a Question, on commitment_questions q.
const questionColumns = `q.id, q.commitment_id, q.process_id, q.author_id, coalesce(u.display_name, u.pseudonym) AS author_name,
	q.body, q.body_html, q.asked_at, q.paused_on, q.resumes_on, q.pause_reason, q.answer, q.answer_html, q.answered_as, q.answered_at,
	q.hidden_at, q.hidden_reason, c.title AS commitment_title`

// questionFrom joins a question's author and commitment.
const questionFrom = ` FROM commitment_questions q JOIN users u ON u.id = q.author_id JOIN commitments c ON c.id = q.commitment_id `

// questionSQL returns one question.
const questionSQL = "SELECT " + questionColumns + questionFrom + "WHERE q.id = ?"

// Question returns the question with id, or ErrQuestionNotFound; with
// forUpdate it locks the row until the transaction in ctx ends.
func (s *Store) Question(ctx context.Context, id int64, forUpdate bool) (Question, error) {
	q := questionSQL
	if forUpdate {
		q += " FOR UPDATE OF q"
	}
	var rows []Question
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return Question{}, fmt.Errorf("commitment store: question %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Question{}, ErrQuestionNotFound
	}
	return rows[0], nil
}

// questionsOfSQL returns a commitment's questions, newest first.
const questionsOfSQL = "SELECT " + questionColumns + questionFrom + "WHERE q.commitment_id = ? ORDER BY q.id DESC LIMIT 500"

// QuestionsOf returns the commitment's questions, newest first.
func (s *Store) QuestionsOf(ctx context.Context, commitmentID int64) ([]Question, error) {
	var rows []Question
	if err := database.Conn(ctx, s.db).Raw(questionsOfSQL, commitmentID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: questions of %d: %w", commitmentID, err)
	}
	return rows, nil
}

// openQuestionsSQL returns a process's unanswered, visible questions, oldest first.
const openQuestionsSQL = "SELECT " + questionColumns + questionFrom +
	"WHERE q.process_id = ? AND q.answered_at IS NULL AND q.hidden_at IS NULL ORDER BY q.asked_at, q.id"

// OpenQuestions returns the process's questions waiting for an answer, oldest first.
func (s *Store) OpenQuestions(ctx context.Context, processID int64) ([]Question, error) {
	var rows []Question
	if err := database.Conn(ctx, s.db).Raw(openQuestionsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: open questions of %d: %w", processID, err)
	}
	return rows, nil
}

// insertQuestionSQL stores a question and returns its id.
const insertQuestionSQL = `INSERT INTO commitment_questions (commitment_id, process_id, author_id, body, body_html, asked_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`

// InsertQuestion stores a question by author on a commitment, asked at now.
func (s *Store) InsertQuestion(ctx context.Context, commitmentID, processID, author int64, body, html string, now time.Time) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertQuestionSQL, commitmentID, processID, author, body, html, now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("commitment store: ask on %d: %w", commitmentID, err)
	}
	return id, nil
}

// answerSQL records a question's answer; it returns nothing.
const answerSQL = `UPDATE commitment_questions SET answer = ?, answer_html = ?, answered_as = ?, answered_by = ?, answered_at = ? WHERE id = ?`

// Answer records the answer to question id, given as as by the account by at now.
func (s *Store) Answer(ctx context.Context, id int64, body, html, as string, by int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(answerSQL, body, html, as, by, now, id).Error; err != nil {
		return fmt.Errorf("commitment store: answer %d: %w", id, err)
	}
	return nil
}

// pauseSQL records the pause of a question's clock; it returns nothing.
const pauseSQL = "UPDATE commitment_questions SET paused_on = ?, resumes_on = ?, pause_reason = ? WHERE id = ?"

// Pause records that question id's clock stops from day from until day until (excluded), for reason.
func (s *Store) Pause(ctx context.Context, id int64, from, until workdays.Date, reason string) error {
	if err := database.Conn(ctx, s.db).Exec(pauseSQL, from, until, reason, id).Error; err != nil {
		return fmt.Errorf("commitment store: pause %d: %w", id, err)
	}
	return nil
}

// hideSQL hides a question with the moderator's reason; it returns nothing.
const hideSQL = "UPDATE commitment_questions SET hidden_at = ?, hidden_reason = ? WHERE id = ?"

// Hide records that question id was hidden at now, for reason.
func (s *Store) Hide(ctx context.Context, id int64, reason string, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(hideSQL, now, reason, id).Error; err != nil {
		return fmt.Errorf("commitment store: hide %d: %w", id, err)
	}
	return nil
}
