package process

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// mandateOfSQL reads the mandate of one process (no row when none was written).
const mandateOfSQL = `SELECT process_id, purpose, open_items, fixed_items, use_of_input, decision_maker,
	decision_points, iap2_level, contact_name, contact_email, privacy_notice, privacy_html, updated_at, updated_by
FROM process_mandates WHERE process_id = ?`

// MandateOf returns the mandate of the process, or the zero mandate (with
// empty lists and UpdatedAt nil) when none was written.
func (s *Store) MandateOf(ctx context.Context, processID int64) (Mandate, error) {
	var rows []Mandate
	if err := database.Conn(ctx, s.db).Raw(mandateOfSQL, processID).Scan(&rows).Error; err != nil {
		return Mandate{}, fmt.Errorf("process store: mandate of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return Mandate{ProcessID: processID, OpenItems: database.TextArray{}, FixedItems: database.TextArray{},
			DecisionPoints: DecisionPoints{}}, nil
	}
	return rows[0], nil
}

// putMandateSQL writes a process's whole mandate, first time or not, and
// returns the row; updated_at is the wall clock of the statement, so two
// saves never share a value (it is what editors send back to prove they read
// the latest).
const putMandateSQL = `INSERT INTO process_mandates (process_id, purpose, open_items, fixed_items, use_of_input,
	decision_maker, decision_points, iap2_level, contact_name, contact_email, privacy_notice, privacy_html,
	updated_at, updated_by)
VALUES (@process_id, @purpose, @open_items, @fixed_items, @use_of_input, @decision_maker, @decision_points,
	@iap2_level, @contact_name, @contact_email, @privacy_notice, @privacy_html, clock_timestamp(), @updated_by)
ON CONFLICT (process_id) DO UPDATE SET purpose = EXCLUDED.purpose, open_items = EXCLUDED.open_items,
	fixed_items = EXCLUDED.fixed_items, use_of_input = EXCLUDED.use_of_input,
	decision_maker = EXCLUDED.decision_maker, decision_points = EXCLUDED.decision_points,
	iap2_level = EXCLUDED.iap2_level, contact_name = EXCLUDED.contact_name,
	contact_email = EXCLUDED.contact_email, privacy_notice = EXCLUDED.privacy_notice,
	privacy_html = EXCLUDED.privacy_html, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
RETURNING process_id, purpose, open_items, fixed_items, use_of_input, decision_maker, decision_points,
	iap2_level, contact_name, contact_email, privacy_notice, privacy_html, updated_at, updated_by`

// PutMandate stores m as its process's mandate and returns it as stored.
func (s *Store) PutMandate(ctx context.Context, m Mandate) (Mandate, error) {
	var out Mandate
	err := database.Conn(ctx, s.db).Raw(putMandateSQL, map[string]any{
		"process_id": m.ProcessID, "purpose": m.Purpose, "open_items": m.OpenItems, "fixed_items": m.FixedItems,
		"use_of_input": m.UseOfInput, "decision_maker": m.DecisionMaker, "decision_points": m.DecisionPoints,
		"iap2_level": m.IAP2Level, "contact_name": m.ContactName, "contact_email": m.ContactEmail,
		"privacy_notice": m.PrivacyNotice, "privacy_html": m.PrivacyHTML, "updated_by": m.UpdatedBy,
	}).Scan(&out).Error
	if err != nil {
		return Mandate{}, fmt.Errorf("process store: put mandate of %d: %w", m.ProcessID, err)
	}
	return out, nil
}
