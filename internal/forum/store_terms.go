package forum

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// termsSQL returns a process's terms of reference (no row until written).
const termsSQL = `SELECT remit, remit_html, quorum, quorum_html, selection, selection_html, member_terms, member_terms_html,
			meetings_per_quarter, updated_at FROM forum_terms WHERE process_id = ?`

// Terms returns the process's terms of reference; found is false until the
// owners write them.
func (s *Store) Terms(ctx context.Context, processID int64) (Terms, bool, error) {
	var rows []Terms
	if err := database.Conn(ctx, s.db).Raw(termsSQL, processID).Scan(&rows).Error; err != nil {
		return Terms{}, false, fmt.Errorf("forum store: terms of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return Terms{}, false, nil
	}
	return rows[0], true, nil
}

// saveTermsSQL writes a process's terms of reference, replacing any; it returns nothing.
const saveTermsSQL = `INSERT INTO forum_terms (process_id, remit, remit_html, quorum, quorum_html, selection, selection_html,
			member_terms, member_terms_html, meetings_per_quarter, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET remit = EXCLUDED.remit, remit_html = EXCLUDED.remit_html,
			quorum = EXCLUDED.quorum, quorum_html = EXCLUDED.quorum_html, selection = EXCLUDED.selection,
			selection_html = EXCLUDED.selection_html, member_terms = EXCLUDED.member_terms,
			member_terms_html = EXCLUDED.member_terms_html, meetings_per_quarter = EXCLUDED.meetings_per_quarter,
			updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`

// SaveTerms writes the process's terms of reference, by userID at now.
func (s *Store) SaveTerms(ctx context.Context, processID int64, t Terms, userID int64, now time.Time) error {
	var by *int64
	if userID > 0 {
		by = &userID
	}
	err := database.Conn(ctx, s.db).Exec(saveTermsSQL, processID, t.Remit, t.RemitHTML, t.Quorum, t.QuorumHTML, t.Selection,
		t.SelectionHTML, t.MemberTerms, t.MemberTermsHTML, t.MeetingsPerQuarter, now, by).Error
	if err != nil {
		return fmt.Errorf("forum store: save terms of %d: %w", processID, err)
	}
	return nil
}

// membershipsSQL returns every membership of a process's forum, current ones
// first (by seat, organisation and name), then past ones (latest to leave
// first), with the member's public name and member id. A membership whose
// account was erased counts as ended when the account was.
const membershipsSQL = `SELECT m.id, m.user_id, f.member_ref, coalesce(u.display_name, u.pseudonym) AS name, m.seat, m.organisation,
			m.selection, m.term_start, m.term_end, m.joined_at, coalesce(m.left_at, u.deleted_at) AS left_at
		FROM forum_memberships m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN forum_pseudonyms f ON f.process_id = m.process_id AND f.user_id = m.user_id
		WHERE m.process_id = ?
		ORDER BY coalesce(m.left_at, u.deleted_at) DESC NULLS FIRST, m.seat, m.organisation, name, m.id`

// Memberships returns the process's memberships, current ones first.
func (s *Store) Memberships(ctx context.Context, processID int64) ([]Membership, error) {
	var ms []Membership
	if err := database.Conn(ctx, s.db).Raw(membershipsSQL, processID).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("forum store: memberships of %d: %w", processID, err)
	}
	return ms, nil
}

// saveMembershipSQL records how a member of a process was selected and
// their term; it returns nothing.
const saveMembershipSQL = "UPDATE forum_memberships SET selection = ?, term_start = ?, term_end = ? WHERE id = ? AND process_id = ?"

// SaveMembership writes in on membership id of the process; found is false
// when the process has no such membership.
func (s *Store) SaveMembership(ctx context.Context, processID, id int64, in MembershipInput) (found bool, err error) {
	res := database.Conn(ctx, s.db).Exec(saveMembershipSQL, in.Selection, dateOf(in.TermStart), dateOf(in.TermEnd), id, processID)
	if res.Error != nil {
		return false, fmt.Errorf("forum store: membership %d: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// dateOf is a date parameter: the calendar date of t, or NULL.
func dateOf(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

// currentMembershipSQL returns an account's current membership of a process's forum.
const currentMembershipSQL = "SELECT id FROM forum_memberships WHERE process_id = ? AND user_id = ? AND left_at IS NULL"

// CurrentMembership returns the account's current membership in the process.
func (s *Store) CurrentMembership(ctx context.Context, processID, userID int64) (id int64, found bool, err error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(currentMembershipSQL, processID, userID).Scan(&ids).Error; err != nil {
		return 0, false, fmt.Errorf("forum store: membership of %d in %d: %w", userID, processID, err)
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// insertDeclarationSQL files a declaration of interests; it returns nothing.
const insertDeclarationSQL = "INSERT INTO forum_declarations (membership_id, none, body, body_html, filed_at) VALUES (?, ?, ?, ?, ?)"

// InsertDeclaration files d.
func (s *Store) InsertDeclaration(ctx context.Context, d Declaration) error {
	if err := database.Conn(ctx, s.db).Exec(insertDeclarationSQL, d.MembershipID, d.None, d.Body, d.BodyHTML, d.FiledAt).Error; err != nil {
		return fmt.Errorf("forum store: declaration of %d: %w", d.MembershipID, err)
	}
	return nil
}

// declarationsSQL returns every declaration filed in a process's forum,
// newest first.
const declarationsSQL = `SELECT d.id, d.membership_id, d.none, d.body, d.body_html, d.filed_at
		FROM forum_declarations d JOIN forum_memberships m ON m.id = d.membership_id
		WHERE m.process_id = ? ORDER BY d.id DESC`

// Declarations returns the declarations filed in the process's forum, newest first.
func (s *Store) Declarations(ctx context.Context, processID int64) ([]Declaration, error) {
	var ds []Declaration
	if err := database.Conn(ctx, s.db).Raw(declarationsSQL, processID).Scan(&ds).Error; err != nil {
		return nil, fmt.Errorf("forum store: declarations of %d: %w", processID, err)
	}
	return ds, nil
}
