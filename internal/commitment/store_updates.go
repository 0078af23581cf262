package commitment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/process"
)

// updateColumns are the columns of an Update read from progress_updates u.
const updateColumns = `u.id, u.commitment_id, u.process_id, u.kind, u.state, u.progress, u.progress_html, u.delay_reasons, u.delay_html,
	u.next_steps, u.next_steps_html, u.supersedes, u.correction_reason, u.revision, u.created_at, u.published_at, u.ledger_seq,
	(SELECT n.id FROM progress_updates n WHERE n.supersedes = u.id AND n.state = 'published') AS superseded_by,
	(SELECT e.hash FROM ledger_entries e WHERE e.process_id = u.process_id AND e.seq = u.ledger_seq) AS ledger_hash`

// updateSQL returns one update.
const updateSQL = "SELECT " + updateColumns + " FROM progress_updates u WHERE u.id = ?"

// updateForUpdateSQL returns one update's row locked until the transaction ends.
const updateForUpdateSQL = `SELECT u.id, u.commitment_id, u.process_id, u.kind, u.state, u.progress, u.progress_html, u.delay_reasons,
	u.delay_html, u.next_steps, u.next_steps_html, u.supersedes, u.correction_reason, u.revision, u.created_at, u.published_at,
	u.ledger_seq FROM progress_updates u WHERE u.id = ? FOR UPDATE`

// Update returns the update with id, or ErrUpdateNotFound; with forUpdate
// it locks the row until the transaction in ctx ends.
func (s *Store) Update(ctx context.Context, id int64, forUpdate bool) (Update, error) {
	q := updateSQL
	if forUpdate {
		q = updateForUpdateSQL
	}
	var rows []Update
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return Update{}, fmt.Errorf("commitment store: update %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Update{}, ErrUpdateNotFound
	}
	return rows[0], nil
}

// updatesOfSQL returns a commitment's published updates, newest first, then
// its drafts when @drafts is true, newest first.
const updatesOfSQL = "SELECT " + updateColumns + ` FROM progress_updates u
		WHERE u.commitment_id = @c AND (u.state = 'published' OR @drafts)
		ORDER BY u.state = 'draft' DESC, u.published_at DESC NULLS FIRST, u.id DESC LIMIT 500`

// UpdatesOf returns the commitment's updates: drafts (when drafts is true)
// first, then the published ones, newest first.
func (s *Store) UpdatesOf(ctx context.Context, commitmentID int64, drafts bool) ([]Update, error) {
	var rows []Update
	if err := database.Conn(ctx, s.db).Raw(updatesOfSQL, map[string]any{"c": commitmentID, "drafts": drafts}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: updates of %d: %w", commitmentID, err)
	}
	return rows, nil
}

// publishedInProcessSQL returns a process's published updates, oldest first.
const publishedInProcessSQL = "SELECT " + updateColumns + ` FROM progress_updates u
		WHERE u.process_id = ? AND u.state = 'published' ORDER BY u.commitment_id, u.published_at, u.id`

// PublishedIn returns every published update of the process.
func (s *Store) PublishedIn(ctx context.Context, processID int64) ([]Update, error) {
	var rows []Update
	if err := database.Conn(ctx, s.db).Raw(publishedInProcessSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: updates of process %d: %w", processID, err)
	}
	return rows, nil
}

// insertUpdateSQL stores a new draft update and returns its id.
const insertUpdateSQL = `INSERT INTO progress_updates (commitment_id, process_id, kind, progress, progress_html, delay_reasons, delay_html,
		next_steps, next_steps_html, supersedes, correction_reason, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// InsertUpdate stores u, a checked draft, by the account by, and returns its id.
func (s *Store) InsertUpdate(ctx context.Context, u Update, by int64, now time.Time) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertUpdateSQL, u.CommitmentID, u.ProcessID, u.Kind, u.Progress, u.ProgressHTML, u.DelayReasons,
		u.DelayHTML, u.NextSteps, u.NextStepsHTML, u.Supersedes, u.CorrectionReason, by, now, now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("commitment store: insert update on %d: %w", u.CommitmentID, err)
	}
	return id, nil
}

// updateDraftSQL rewrites a draft and bumps its revision; it returns nothing.
const updateDraftSQL = `UPDATE progress_updates SET kind = ?, progress = ?, progress_html = ?, delay_reasons = ?, delay_html = ?,
		next_steps = ?, next_steps_html = ?, correction_reason = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND state = 'draft'`

// UpdateDraft writes u's text over draft u.ID.
func (s *Store) UpdateDraft(ctx context.Context, u Update, now time.Time) error {
	err := database.Conn(ctx, s.db).Exec(updateDraftSQL, u.Kind, u.Progress, u.ProgressHTML, u.DelayReasons, u.DelayHTML,
		u.NextSteps, u.NextStepsHTML, u.CorrectionReason, now, u.ID).Error
	if err != nil {
		return fmt.Errorf("commitment store: edit update %d: %w", u.ID, err)
	}
	return nil
}

// deleteDraftSQL removes an update while it is a draft; it returns nothing.
const deleteDraftSQL = "DELETE FROM progress_updates WHERE id = ? AND state = 'draft'"

// DeleteDraft removes draft id.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteDraftSQL, id).Error; err != nil {
		return fmt.Errorf("commitment store: discard update %d: %w", id, err)
	}
	return nil
}

// deleteStatesSQL and insertStateSQL replace a draft's milestone states; they return nothing.
const (
	deleteStatesSQL = "DELETE FROM progress_milestones WHERE update_id = ?"
	insertStateSQL  = "INSERT INTO progress_milestones (update_id, milestone_id, state, completed_on) VALUES (?, ?, ?, ?)"
)

// deleteEvidenceSQL and insertEvidenceSQL replace a draft's evidence; they return nothing.
const (
	deleteEvidenceSQL = "DELETE FROM progress_evidence WHERE update_id = ?"
	insertEvidenceSQL = "INSERT INTO progress_evidence (update_id, position, url, item_id) VALUES (?, ?, ?, ?)"
)

// ReplaceParts replaces draft id's milestone states and evidence.
func (s *Store) ReplaceParts(ctx context.Context, id int64, states []MilestoneState, evidence []Evidence) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(deleteStatesSQL, id).Error; err != nil {
		return fmt.Errorf("commitment store: states of %d: %w", id, err)
	}
	for _, st := range states {
		if err := conn.Exec(insertStateSQL, id, st.MilestoneID, st.State, st.CompletedOn).Error; err != nil {
			return fmt.Errorf("commitment store: state of %d: %w", id, err)
		}
	}
	if err := conn.Exec(deleteEvidenceSQL, id).Error; err != nil {
		return fmt.Errorf("commitment store: evidence of %d: %w", id, err)
	}
	for i, e := range evidence {
		if err := conn.Exec(insertEvidenceSQL, id, i, e.URL, e.ItemID).Error; err != nil {
			return fmt.Errorf("commitment store: evidence of %d: %w", id, err)
		}
	}
	return nil
}

// statesSQL returns the milestone states of a set of updates, in the milestones' order.
const statesSQL = `SELECT pm.update_id, pm.milestone_id, m.title, m.due_on, pm.state, pm.completed_on
		FROM progress_milestones pm JOIN milestones m ON m.id = pm.milestone_id
		WHERE pm.update_id = ANY(?) ORDER BY pm.update_id, m.position, m.id`

// States returns the milestone states of the updates, by update.
func (s *Store) States(ctx context.Context, updateIDs []int64) (map[int64][]MilestoneState, error) {
	var rows []MilestoneState
	if err := database.Conn(ctx, s.db).Raw(statesSQL, database.Array{Type: "_int8", Values: updateIDs}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: states: %w", err)
	}
	out := map[int64][]MilestoneState{}
	for _, r := range rows {
		out[r.UpdateID] = append(out[r.UpdateID], r)
	}
	return out, nil
}

// evidenceSQL returns the evidence of a set of updates in order, with each repository item's title.
const evidenceSQL = `SELECT e.update_id, e.url, e.item_id, r.title AS item_title FROM progress_evidence e
		LEFT JOIN repository_items r ON r.id = e.item_id WHERE e.update_id = ANY(?) ORDER BY e.update_id, e.position`

// EvidenceOf returns the evidence of the updates, by update.
func (s *Store) EvidenceOf(ctx context.Context, updateIDs []int64) (map[int64][]Evidence, error) {
	var rows []Evidence
	if err := database.Conn(ctx, s.db).Raw(evidenceSQL, database.Array{Type: "_int8", Values: updateIDs}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: evidence: %w", err)
	}
	out := map[int64][]Evidence{}
	for _, r := range rows {
		out[r.UpdateID] = append(out[r.UpdateID], r)
	}
	return out, nil
}

// signaturesSQL returns the signatures and dissents on a set of updates,
// oldest first, with each member's name (which only drafts show).
const signaturesSQL = `SELECT s.update_id, s.kind, s.member_ref, coalesce(u.display_name, u.pseudonym) AS name, s.seat, s.organisation,
			s.note, s.signed_at
		FROM progress_signatures s JOIN users u ON u.id = s.user_id WHERE s.update_id = ANY(?) ORDER BY s.update_id, s.signed_at, s.member_ref`

// Signatures returns the signatures and dissents on the updates, by update.
func (s *Store) Signatures(ctx context.Context, updateIDs []int64) (map[int64][]Signature, error) {
	var rows []Signature
	if err := database.Conn(ctx, s.db).Raw(signaturesSQL, database.Array{Type: "_int8", Values: updateIDs}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: signatures: %w", err)
	}
	out := map[int64][]Signature{}
	for _, r := range rows {
		out[r.UpdateID] = append(out[r.UpdateID], r)
	}
	return out, nil
}

// commentCountsSQL returns how many published comments each of a set of updates has.
const commentCountsSQL = `SELECT progress_update_id AS update_id, count(*) AS n FROM comments
		WHERE progress_update_id = ANY(?) AND status = 'published' AND deleted_at IS NULL GROUP BY progress_update_id`

// CommentCounts returns the number of published comments on each update.
func (s *Store) CommentCounts(ctx context.Context, updateIDs []int64) (map[int64]int, error) {
	var rows []struct {
		UpdateID int64
		N        int
	}
	if err := database.Conn(ctx, s.db).Raw(commentCountsSQL, database.Array{Type: "_int8", Values: updateIDs}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("commitment store: comment counts: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UpdateID] = r.N
	}
	return out, nil
}

// insertSignatureSQL adds a signature or dissent unless the member already
// gave one on the update; it returns nothing.
const insertSignatureSQL = `INSERT INTO progress_signatures (update_id, user_id, kind, seat, organisation, member_ref, note, signed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

// InsertSignature writes g; inserted is false when the member had already
// signed or dissented.
func (s *Store) InsertSignature(ctx context.Context, updateID, userID int64, g Signature) (inserted bool, err error) {
	res := database.Conn(ctx, s.db).Exec(insertSignatureSQL, updateID, userID, g.Kind, g.Seat, g.Organisation, g.MemberRef, g.Note, g.SignedAt)
	if res.Error != nil {
		return false, fmt.Errorf("commitment store: sign %d: %w", updateID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// deleteSignaturesSQL removes every signature and dissent on an update; it returns nothing.
const deleteSignaturesSQL = "DELETE FROM progress_signatures WHERE update_id = ?"

// DeleteSignatures removes the signatures and dissents on draft id.
func (s *Store) DeleteSignatures(ctx context.Context, id int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteSignaturesSQL, id).Error; err != nil {
		return fmt.Errorf("commitment store: clear signatures of %d: %w", id, err)
	}
	return nil
}

// seatTallySQL counts, per seat, the signatures and dissents on an update of
// the members who sit on its process's forum now.
const seatTallySQL = `SELECT g.seat, count(*) FILTER (WHERE g.kind = 'sign') AS signed, count(*) FILTER (WHERE g.kind = 'dissent') AS dissented
		FROM progress_signatures g
		JOIN progress_updates u ON u.id = g.update_id
		JOIN process_roles r ON r.process_id = u.process_id AND r.user_id = g.user_id AND r.role = 'forum_member'
		WHERE g.update_id = ? GROUP BY g.seat`

// SeatTally returns, per seat, how many current forum members signed the
// update and how many dissented.
func (s *Store) SeatTally(ctx context.Context, id int64) (signed, dissented map[process.Seat]int, err error) {
	var rows []struct {
		Seat              process.Seat
		Signed, Dissented int
	}
	if err := database.Conn(ctx, s.db).Raw(seatTallySQL, id).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("commitment store: signatures of %d: %w", id, err)
	}
	signed, dissented = map[process.Seat]int{}, map[process.Seat]int{}
	for _, r := range rows {
		signed[r.Seat], dissented[r.Seat] = r.Signed, r.Dissented
	}
	return signed, dissented, nil
}

// supersededSQL returns the ledger seq and commitment of an update, and
// whether a published update already corrects it.
const supersededSQL = `SELECT o.ledger_seq, o.commitment_id, o.state,
			EXISTS (SELECT 1 FROM progress_updates n WHERE n.supersedes = o.id AND n.state = 'published') AS taken
		FROM progress_updates o WHERE o.id = ?`

// corrected is what a correction needs to know of the update it corrects.
type corrected struct {
	LedgerSeq    *int64
	CommitmentID int64
	State        string
	Taken        bool
}

// Corrected returns what a correction needs of update id, or ErrUpdateNotFound.
func (s *Store) Corrected(ctx context.Context, id int64) (corrected, error) {
	var rows []corrected
	if err := database.Conn(ctx, s.db).Raw(supersededSQL, id).Scan(&rows).Error; err != nil {
		return corrected{}, fmt.Errorf("commitment store: corrected update %d: %w", id, err)
	}
	if len(rows) == 0 {
		return corrected{}, ErrUpdateNotFound
	}
	return rows[0], nil
}

// markPublishedSQL records an update's publication and its ledger seq; it returns nothing.
const markPublishedSQL = "UPDATE progress_updates SET state = 'published', published_at = ?, ledger_seq = ? WHERE id = ? AND state = 'draft'"

// MarkPublished records that update id was published at now as ledger entry
// seq; a correction racing another correction of the same update gets
// ErrSuperseded (the unique index on supersedes decides).
func (s *Store) MarkPublished(ctx context.Context, id int64, now time.Time, seq int64) error {
	err := database.Conn(ctx, s.db).Exec(markPublishedSQL, now, seq, id).Error
	var pgErr *pgconn.PgError
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return ErrSuperseded
	}
	if err != nil {
		return fmt.Errorf("commitment store: publish update %d: %w", id, err)
	}
	return nil
}
