package forum

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/process"
)

// Store holds every statement of the forum: its settings and members here,
// responses in store_responses.go, clusters and contributions in
// store_clusters.go and store_contributions.go.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// kindSQL is one statement in its two forms, which differ only in the column
// that names the contribution: comment_id or idea_id.
type kindSQL struct{ comment, idea string }

// of is the statement for a contribution of kind k.
func (q kindSQL) of(k Kind) string {
	if k == KindIdea {
		return q.idea
	}
	return q.comment
}

// settingsSQL returns the process's decision rule with its parameters and
// its target days (no row while the defaults apply).
const settingsSQL = `SELECT signing_rule, target_days, qualified_num, qualified_den, consensus_hours
		FROM forum_settings WHERE process_id = ?`

// Settings returns the process's forum settings; found is false when the
// owner never set them.
func (s *Store) Settings(ctx context.Context, processID int64, forUpdate bool) (st Settings, found bool, err error) {
	q := settingsSQL
	if forUpdate {
		q += " FOR UPDATE"
	}
	var rows []Settings
	if err := database.Conn(ctx, s.db).Raw(q, processID).Scan(&rows).Error; err != nil {
		return Settings{}, false, fmt.Errorf("forum store: settings of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return Settings{}, false, nil
	}
	return rows[0], true, nil
}

// ensureSettingsSQL gives a process its default settings row unless it has
// one; it returns nothing.
const ensureSettingsSQL = "INSERT INTO forum_settings (process_id) VALUES (?) ON CONFLICT (process_id) DO NOTHING"

// LockSettings returns the process's settings, locked until the transaction
// in ctx ends (the defaults, stored, when the owner never set them), so
// changes of rule are made one after the other.
func (s *Store) LockSettings(ctx context.Context, processID int64) (Settings, error) {
	if err := database.Conn(ctx, s.db).Exec(ensureSettingsSQL, processID).Error; err != nil {
		return Settings{}, fmt.Errorf("forum store: settings of %d: %w", processID, err)
	}
	st, _, err := s.Settings(ctx, processID, true)
	return st, err
}

// saveSettingsSQL writes the process's settings, replacing any; it returns nothing.
const saveSettingsSQL = `INSERT INTO forum_settings (process_id, signing_rule, target_days, qualified_num, qualified_den, consensus_hours)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET signing_rule = EXCLUDED.signing_rule, target_days = EXCLUDED.target_days,
			qualified_num = EXCLUDED.qualified_num, qualified_den = EXCLUDED.qualified_den, consensus_hours = EXCLUDED.consensus_hours`

// SaveSettings writes the process's forum settings.
func (s *Store) SaveSettings(ctx context.Context, processID int64, st Settings) error {
	err := database.Conn(ctx, s.db).Exec(saveSettingsSQL, processID, st.SigningRule, st.TargetDays, st.QualifiedNum, st.QualifiedDen,
		st.ConsensusHours).Error
	if err != nil {
		return fmt.Errorf("forum store: save settings of %d: %w", processID, err)
	}
	return nil
}

// membersSQL returns the process's live forum members with their member id,
// name, seat and organisation, by seat, organisation and name.
const membersSQL = `SELECT r.user_id, f.member_ref, coalesce(u.display_name, u.pseudonym) AS name, r.seat,
			coalesce(r.organisation, '') AS organisation
		FROM process_roles r JOIN users u ON u.id = r.user_id
		JOIN forum_pseudonyms f ON f.process_id = r.process_id AND f.user_id = r.user_id
		WHERE r.process_id = ? AND r.role = 'forum_member' AND u.deleted_at IS NULL
		ORDER BY r.seat, r.organisation, name`

// Members returns the process's forum members who have a member id.
func (s *Store) Members(ctx context.Context, processID int64) ([]Member, error) {
	var ms []Member
	if err := database.Conn(ctx, s.db).Raw(membersSQL, processID).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("forum store: members of %d: %w", processID, err)
	}
	return ms, nil
}

// membersWithoutRefSQL returns the account ids of the process's live forum
// members who have no member id yet.
const membersWithoutRefSQL = `SELECT r.user_id FROM process_roles r
		WHERE r.process_id = ? AND r.role = 'forum_member'
		AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.deleted_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM forum_pseudonyms f WHERE f.process_id = r.process_id AND f.user_id = r.user_id)`

// MembersWithoutRef returns the forum members of the process who have no
// member id yet.
func (s *Store) MembersWithoutRef(ctx context.Context, processID int64) ([]int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(membersWithoutRefSQL, processID).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("forum store: members without id in %d: %w", processID, err)
	}
	return ids, nil
}

// memberRefSQL stores a new member id for an account in a process unless it
// has one, and returns the one it has.
const memberRefSQL = `WITH ins AS (
			INSERT INTO forum_pseudonyms (process_id, user_id, member_ref) VALUES (?, ?, ?)
			ON CONFLICT (process_id, user_id) DO NOTHING RETURNING member_ref)
		SELECT member_ref FROM ins UNION ALL
		SELECT member_ref FROM forum_pseudonyms WHERE process_id = ? AND user_id = ? LIMIT 1`

// MemberRef returns the account's member id in the process, storing fresh as
// that id when it has none; one statement, so racing callers agree.
func (s *Store) MemberRef(ctx context.Context, processID, userID int64, fresh string) (string, error) {
	var ref string
	if err := database.Conn(ctx, s.db).Raw(memberRefSQL, processID, userID, fresh, processID, userID).Scan(&ref).Error; err != nil {
		return "", fmt.Errorf("forum store: member id of %d in %d: %w", userID, processID, err)
	}
	return ref, nil
}

// signatureRow is a signature or dissent as it is written.
type signatureRow struct {
	ResponseID   int64
	UserID       int64
	Kind         string // sign, dissent or recuse
	Seat         process.Seat
	Organisation string
	MemberRef    string
	Note         *string
	SignedAt     time.Time
}

// insertSignatureSQL adds a signature, dissent or recusal unless the member
// already gave one on the response; it returns nothing.
const insertSignatureSQL = `INSERT INTO response_signatures (response_id, user_id, kind, seat, organisation, member_ref, note, signed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

// InsertSignature writes g; inserted is false when the member had already
// signed, dissented or recused themselves.
func (s *Store) InsertSignature(ctx context.Context, g signatureRow) (inserted bool, err error) {
	res := database.Conn(ctx, s.db).Exec(insertSignatureSQL,
		g.ResponseID, g.UserID, g.Kind, g.Seat, g.Organisation, g.MemberRef, g.Note, g.SignedAt)
	if res.Error != nil {
		return false, fmt.Errorf("forum store: sign %d: %w", g.ResponseID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// deleteSignaturesSQL removes every signature and dissent on a response; it returns nothing.
const deleteSignaturesSQL = "DELETE FROM response_signatures WHERE response_id = ?"

// DeleteSignatures removes the signatures and dissents on a response.
func (s *Store) DeleteSignatures(ctx context.Context, responseID int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteSignaturesSQL, responseID).Error; err != nil {
		return fmt.Errorf("forum store: clear signatures of %d: %w", responseID, err)
	}
	return nil
}

// deleteSignatureSQL removes one member's signature, dissent or recusal on
// a response; it returns nothing.
const deleteSignatureSQL = "DELETE FROM response_signatures WHERE response_id = ? AND user_id = ?"

// DeleteSignature removes the member's signature, dissent or recusal on the
// response; deleted is false when they had none.
func (s *Store) DeleteSignature(ctx context.Context, responseID, userID int64) (deleted bool, err error) {
	res := database.Conn(ctx, s.db).Exec(deleteSignatureSQL, responseID, userID)
	if res.Error != nil {
		return false, fmt.Errorf("forum store: withdraw from %d: %w", responseID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// tallyRow is one seat of a tally.
type tallyRow struct {
	Seat                                process.Seat
	Members, Signed, Dissented, Recused int
}

// tallySQL returns, per seat, the process's (@p) current forum members (live
// accounts) and how many of them signed, dissented from or recused
// themselves from a response (@r).
const tallySQL = `SELECT r.seat, count(*) AS members,
			count(*) FILTER (WHERE g.kind = 'sign') AS signed,
			count(*) FILTER (WHERE g.kind = 'dissent') AS dissented,
			count(*) FILTER (WHERE g.kind = 'recuse') AS recused
		FROM process_roles r
		JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
		LEFT JOIN response_signatures g ON g.response_id = @r AND g.user_id = r.user_id
		WHERE r.process_id = @p AND r.role = 'forum_member'
		GROUP BY r.seat`

// Tally counts the members of the process per seat and what they said on the
// response; the deadline and the time are the caller's.
func (s *Store) Tally(ctx context.Context, processID, responseID int64) (Tally, error) {
	var rows []tallyRow
	if err := database.Conn(ctx, s.db).Raw(tallySQL, map[string]any{"p": processID, "r": responseID}).Scan(&rows).Error; err != nil {
		return Tally{}, fmt.Errorf("forum store: tally of %d: %w", responseID, err)
	}
	t := Tally{Members: map[process.Seat]int{}, Signed: map[process.Seat]int{}, Dissented: map[process.Seat]int{}, Recused: map[process.Seat]int{}}
	for _, r := range rows {
		t.Members[r.Seat], t.Signed[r.Seat], t.Dissented[r.Seat], t.Recused[r.Seat] = r.Members, r.Signed, r.Dissented, r.Recused
	}
	return t, nil
}

// memberCountsSQL counts the process's current forum members per seat.
const memberCountsSQL = `SELECT r.seat, count(*) AS members FROM process_roles r
		JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
		WHERE r.process_id = ? AND r.role = 'forum_member'
		GROUP BY r.seat`

// MemberCounts returns how many current members the forum has per seat.
func (s *Store) MemberCounts(ctx context.Context, processID int64) (map[process.Seat]int, error) {
	var rows []tallyRow
	if err := database.Conn(ctx, s.db).Raw(memberCountsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: members of %d: %w", processID, err)
	}
	out := make(map[process.Seat]int, len(rows))
	for _, r := range rows {
		out[r.Seat] = r.Members
	}
	return out, nil
}

// ledgerSignature is a signature or dissent as the ledger records it: no account.
type ledgerSignature struct {
	Kind         string
	MemberRef    string
	Seat         string
	Organisation string
	Note         *string
}

// ledgerSignaturesSQL returns a response's signatures, dissents and
// recusals by member id, without the accounts.
const ledgerSignaturesSQL = "SELECT kind, member_ref, seat, organisation, note FROM response_signatures WHERE response_id = ? ORDER BY member_ref"

// LedgerSignatures returns the signatures, dissents and recusals to record
// with the response.
func (s *Store) LedgerSignatures(ctx context.Context, responseID int64) ([]ledgerSignature, error) {
	var sigs []ledgerSignature
	if err := database.Conn(ctx, s.db).Raw(ledgerSignaturesSQL, responseID).Scan(&sigs).Error; err != nil {
		return nil, fmt.Errorf("forum store: signatures of %d: %w", responseID, err)
	}
	return sigs, nil
}

// draftSignature is a signature, dissent or recusal on a draft, with the
// member's name.
type draftSignature struct {
	Kind         string
	MemberRef    string
	Name         string
	Seat         string
	Organisation string
	Note         *string
	SignedAt     time.Time
}

// draftSignaturesSQL returns a draft's signatures, dissents and recusals
// with the members' names, in the order given.
const draftSignaturesSQL = `SELECT s.kind, s.member_ref, coalesce(u.display_name, u.pseudonym) AS name, s.seat, s.organisation, s.note, s.signed_at
			FROM response_signatures s JOIN users u ON u.id = s.user_id WHERE s.response_id = ? ORDER BY s.signed_at`

// DraftSignatures returns the signatures, dissents and recusals on a draft,
// oldest first.
func (s *Store) DraftSignatures(ctx context.Context, responseID int64) ([]draftSignature, error) {
	var sigs []draftSignature
	if err := database.Conn(ctx, s.db).Raw(draftSignaturesSQL, responseID).Scan(&sigs).Error; err != nil {
		return nil, fmt.Errorf("forum store: draft signatures of %d: %w", responseID, err)
	}
	return sigs, nil
}

// author is an account to e-mail.
type author struct {
	ID    int64
	Email string
}

// authorsSQL returns the id and address of the live accounts with an address among the ids given.
const authorsSQL = "SELECT id, email FROM users WHERE id = ANY(?) AND email IS NOT NULL AND deleted_at IS NULL ORDER BY id"

// Authors returns the accounts among ids that can be e-mailed, by id.
func (s *Store) Authors(ctx context.Context, ids []int64) ([]author, error) {
	var people []author
	if err := database.Conn(ctx, s.db).Raw(authorsSQL, database.Array{Type: "_int8", Values: ids}).Scan(&people).Error; err != nil {
		return nil, fmt.Errorf("forum store: authors: %w", err)
	}
	return people, nil
}

// coverageSQL returns every published contribution of a process (@p) with
// its cluster, its latest answer and its due date, @days after the close of
// the phase it was made in (after it was made, outside any phase); oldest first.
const coverageSQL = `SELECT k.kind, k.id, k.created_at, k.excerpt, k.document_id, k.paragraph_key, k.idea_id, m.cluster_id,
			coalesce(ph.closes_at, k.created_at) + make_interval(days => @days) AS due_at,
			a.response_id, r.disposition, a.answered_at
		FROM contributions k
		LEFT JOIN cluster_members m ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)
		LEFT JOIN LATERAL (SELECT closes_at FROM process_phases ph WHERE ph.process_id = k.process_id
			AND k.created_at >= ph.opens_at AND k.created_at < ph.closes_at LIMIT 1) ph ON true
		LEFT JOIN LATERAL (SELECT response_id, answered_at FROM contribution_answers a
			WHERE (k.kind = 'comment' AND a.comment_id = k.id) OR (k.kind = 'idea' AND a.idea_id = k.id)
			ORDER BY response_id DESC LIMIT 1) a ON true
		LEFT JOIN responses r ON r.id = a.response_id
		WHERE k.process_id = @p
		ORDER BY k.created_at, k.kind, k.id`

// CoverageRows returns the rows of the process's coverage, due targetDays
// after their phase closes.
func (s *Store) CoverageRows(ctx context.Context, processID int64, targetDays int) ([]CoverageRow, error) {
	var rows []CoverageRow
	if err := database.Conn(ctx, s.db).Raw(coverageSQL, map[string]any{"p": processID, "days": targetDays}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: coverage of %d: %w", processID, err)
	}
	return rows, nil
}
