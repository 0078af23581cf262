package commitment

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// Store holds every statement of the implementation phase: commitments,
// their members, milestones, sources and the settings here; updates in
// store_updates.go, questions in store_questions.go, the dashboard's reads
// in store_dashboard.go and the notices in store_notices.go.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// commitmentColumns are the columns of a Commitment.
const commitmentColumns = `id, process_id, title, description, description_html, lead_institution, other_actors, theme,
	starts_on, ends_on, ogp_values, withdrawn_at, withdrawal_reason, revision, created_at, updated_at`

// commitmentSQL returns one commitment.
const commitmentSQL = "SELECT " + commitmentColumns + " FROM commitments WHERE id = ?"

// Commitment returns the commitment with id, or ErrNotFound; with forUpdate
// it locks the row until the transaction in ctx ends (publications and edits
// of one commitment then take turns).
func (s *Store) Commitment(ctx context.Context, id int64, forUpdate bool) (Commitment, error) {
	q := commitmentSQL
	if forUpdate {
		q += " FOR UPDATE"
	}
	var rows []Commitment
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return Commitment{}, fmt.Errorf("commitment store: %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Commitment{}, ErrNotFound
	}
	return rows[0], nil
}

// insertSQL stores a new commitment and returns its id.
const insertSQL = `INSERT INTO commitments (process_id, title, description, description_html, lead_institution, other_actors, theme,
		starts_on, ends_on, ogp_values, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// Insert stores c (by the account by, at now) and returns its id.
func (s *Store) Insert(ctx context.Context, c Commitment, by *int64, now time.Time) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertSQL, c.ProcessID, c.Title, c.Description, c.DescriptionHTML, c.LeadInstitution,
		c.OtherActors, c.Theme, c.StartsOn, c.EndsOn, c.Values, by, now, now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("commitment store: insert in %d: %w", c.ProcessID, err)
	}
	return id, nil
}

// replaceSQL rewrites a commitment's fields and bumps its revision; it returns nothing.
const replaceSQL = `UPDATE commitments SET title = ?, description = ?, description_html = ?, lead_institution = ?, other_actors = ?,
		theme = ?, starts_on = ?, ends_on = ?, ogp_values = ?, revision = revision + 1, updated_at = ? WHERE id = ?`

// Replace writes c's fields over commitment c.ID.
func (s *Store) Replace(ctx context.Context, c Commitment, now time.Time) error {
	err := database.Conn(ctx, s.db).Exec(replaceSQL, c.Title, c.Description, c.DescriptionHTML, c.LeadInstitution, c.OtherActors,
		c.Theme, c.StartsOn, c.EndsOn, c.Values, now, c.ID).Error
	if err != nil {
		return fmt.Errorf("commitment store: replace %d: %w", c.ID, err)
	}
	return nil
}

// withdrawSQL withdraws a commitment with its reason and bumps its revision; it returns nothing.
const withdrawSQL = `UPDATE commitments SET withdrawn_at = ?, withdrawal_reason = ?, revision = revision + 1, updated_at = ? WHERE id = ?`

// Withdraw records that commitment id was withdrawn at now, for reason.
func (s *Store) Withdraw(ctx context.Context, id int64, reason string, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(withdrawSQL, now, reason, now, id).Error; err != nil {
		return fmt.Errorf("commitment store: withdraw %d: %w", id, err)
	}
	return nil
}

// membersSQL returns a commitment's working group in order, with each
// linked account's address when @email is true.
const membersSQL = `SELECT m.id, m.name, m.organisation, m.seat, m.user_id,
			CASE WHEN @email THEN u.email END AS account_email
		FROM commitment_members m LEFT JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
		WHERE m.commitment_id = @c ORDER BY m.position`

// Members returns the commitment's working group; withEmail adds the linked
// accounts' addresses (for the process's owners).
func (s *Store) Members(ctx context.Context, commitmentID int64, withEmail bool) ([]Member, error) {
	var ms []Member
	if err := database.Conn(ctx, s.db).Raw(membersSQL, map[string]any{"c": commitmentID, "email": withEmail}).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("commitment store: members of %d: %w", commitmentID, err)
	}
	return ms, nil
}

// deleteMembersSQL removes a commitment's working group; it returns nothing.
const deleteMembersSQL = "DELETE FROM commitment_members WHERE commitment_id = ?"

// insertMemberSQL adds one member at a position; it returns nothing.
const insertMemberSQL = `INSERT INTO commitment_members (commitment_id, position, name, organisation, seat, user_id) VALUES (?, ?, ?, ?, ?, ?)`

// ReplaceMembers replaces the commitment's working group with ms, in order.
func (s *Store) ReplaceMembers(ctx context.Context, commitmentID int64, ms []Member) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(deleteMembersSQL, commitmentID).Error; err != nil {
		return fmt.Errorf("commitment store: members of %d: %w", commitmentID, err)
	}
	for i, m := range ms {
		if err := conn.Exec(insertMemberSQL, commitmentID, i, m.Name, m.Organisation, m.Seat, m.UserID).Error; err != nil {
			return fmt.Errorf("commitment store: member of %d: %w", commitmentID, err)
		}
	}
	return nil
}

// memberSeatSQL returns the seat of an account in a commitment's working group.
const memberSeatSQL = "SELECT seat FROM commitment_members WHERE commitment_id = ? AND user_id = ?"

// MemberSeat returns the seat of the account in the commitment's working
// group; ok is false when it is not a member.
func (s *Store) MemberSeat(ctx context.Context, commitmentID, userID int64) (seat process.Seat, ok bool, err error) {
	var seats []process.Seat
	if err := database.Conn(ctx, s.db).Raw(memberSeatSQL, commitmentID, userID).Scan(&seats).Error; err != nil {
		return "", false, fmt.Errorf("commitment store: seat of %d in %d: %w", userID, commitmentID, err)
	}
	if len(seats) == 0 {
		return "", false, nil
	}
	return seats[0], true, nil
}

// accountSQL returns the id of the live, confirmed account with an address (any case).
const accountSQL = `SELECT id FROM users WHERE lower(email) = lower(?) AND deleted_at IS NULL AND email_verified_at IS NOT NULL`

// Account returns the id of the live account with address email, or 0.
func (s *Store) Account(ctx context.Context, email string) (int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(accountSQL, email).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("commitment store: account: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// milestoneColumns are the columns of a Milestone, on milestones m.
const milestoneColumns = `m.id, m.commitment_id, m.title, m.due_on, m.completed_on, m.evidence_url, m.evidence_item_id,
	r.title AS evidence_title`

// milestonesSQL returns a commitment's milestones in order.
const milestonesSQL = "SELECT " + milestoneColumns + ` FROM milestones m LEFT JOIN repository_items r ON r.id = m.evidence_item_id
		WHERE m.commitment_id = ? ORDER BY m.position, m.id`

// Milestones returns the commitment's milestones in order.
func (s *Store) Milestones(ctx context.Context, commitmentID int64) ([]Milestone, error) {
	var ms []Milestone
	if err := database.Conn(ctx, s.db).Raw(milestonesSQL, commitmentID).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("commitment store: milestones of %d: %w", commitmentID, err)
	}
	return ms, nil
}

// insertMilestoneSQL adds a milestone and returns its id.
const insertMilestoneSQL = `INSERT INTO milestones (commitment_id, position, title, due_on, completed_on, evidence_url, evidence_item_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`

// updateMilestoneSQL rewrites a milestone of a commitment; it returns nothing.
const updateMilestoneSQL = `UPDATE milestones SET position = ?, title = ?, due_on = ?, completed_on = ?, evidence_url = ?, evidence_item_id = ?
		WHERE id = ? AND commitment_id = ?`

// SaveMilestone inserts m (ID 0) at position, or rewrites it; it returns the id.
func (s *Store) SaveMilestone(ctx context.Context, commitmentID int64, position int, m Milestone) (int64, error) {
	conn := database.Conn(ctx, s.db)
	if m.ID == 0 {
		var id int64
		err := conn.Raw(insertMilestoneSQL, commitmentID, position, m.Title, m.DueOn, m.CompletedOn, m.EvidenceURL, m.EvidenceItemID).Scan(&id).Error
		if err != nil {
			return 0, fmt.Errorf("commitment store: milestone of %d: %w", commitmentID, err)
		}
		return id, nil
	}
	err := conn.Exec(updateMilestoneSQL, position, m.Title, m.DueOn, m.CompletedOn, m.EvidenceURL, m.EvidenceItemID, m.ID, commitmentID).Error
	if err != nil {
		return 0, fmt.Errorf("commitment store: milestone %d: %w", m.ID, err)
	}
	return m.ID, nil
}

// reportedSQL returns which of a set of milestones a published update reports.
const reportedSQL = `SELECT DISTINCT pm.milestone_id FROM progress_milestones pm JOIN progress_updates u ON u.id = pm.update_id
		WHERE pm.milestone_id = ANY(?) AND u.state = 'published'`

// Reported returns the milestones among ids that a published update reports.
func (s *Store) Reported(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	if err := database.Conn(ctx, s.db).Raw(reportedSQL, database.Array{Type: "_int8", Values: ids}).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("commitment store: reported milestones: %w", err)
	}
	return out, nil
}

// deleteMilestonesSQL removes milestones of a commitment (and their states in drafts); it returns nothing.
const deleteMilestonesSQL = "DELETE FROM milestones WHERE commitment_id = ? AND id = ANY(?)"

// DeleteMilestones removes the commitment's milestones among ids.
func (s *Store) DeleteMilestones(ctx context.Context, commitmentID int64, ids []int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteMilestonesSQL, commitmentID, database.Array{Type: "_int8", Values: ids}).Error; err != nil {
		return fmt.Errorf("commitment store: delete milestones of %d: %w", commitmentID, err)
	}
	return nil
}

// completeMilestoneSQL records the day a milestone was completed; it returns nothing.
const completeMilestoneSQL = "UPDATE milestones SET completed_on = ? WHERE id = ?"

// CompleteMilestone records that milestone id was completed on day on.
func (s *Store) CompleteMilestone(ctx context.Context, id int64, on workdays.Date) error {
	if err := database.Conn(ctx, s.db).Exec(completeMilestoneSQL, on, id).Error; err != nil {
		return fmt.Errorf("commitment store: complete milestone %d: %w", id, err)
	}
	return nil
}

// repositoryItemSQL returns 1 when a repository item belongs to a process.
const repositoryItemSQL = "SELECT count(*) FROM repository_items WHERE id = ? AND process_id = ?"

// RepositoryItemIn reports whether repository item id is one of the process's.
func (s *Store) RepositoryItemIn(ctx context.Context, id, processID int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(repositoryItemSQL, id, processID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("commitment store: repository item %d: %w", id, err)
	}
	return n > 0, nil
}

// sourcesSQL returns what led to a commitment, with a label for each: the
// paragraph's text in the draft's latest published version, the idea's
// title, or the response's disposition.
const sourcesSQL = `SELECT s.document_id, s.paragraph_key, s.idea_id, s.response_id,
			coalesce(left((SELECT b.text FROM document_versions v JOIN blocks b ON b.version_id = v.id AND b.key = s.paragraph_key
				WHERE v.document_id = s.document_id AND v.published_at IS NOT NULL ORDER BY v.number DESC LIMIT 1), 200),
				i.title, r.disposition, '') AS label
		FROM commitment_sources s
		LEFT JOIN ideas i ON i.id = s.idea_id
		LEFT JOIN responses r ON r.id = s.response_id
		WHERE s.commitment_id = ? ORDER BY s.position`

// Sources returns what led to the commitment, in order.
func (s *Store) Sources(ctx context.Context, commitmentID int64) ([]Source, error) {
	var out []Source
	if err := database.Conn(ctx, s.db).Raw(sourcesSQL, commitmentID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("commitment store: sources of %d: %w", commitmentID, err)
	}
	for i := range out {
		switch {
		case out[i].DocumentID != nil:
			out[i].Kind = "paragraph"
		case out[i].IdeaID != nil:
			out[i].Kind = "idea"
		default:
			out[i].Kind = "response"
		}
	}
	return out, nil
}

// deleteSourcesSQL removes what led to a commitment; it returns nothing.
const deleteSourcesSQL = "DELETE FROM commitment_sources WHERE commitment_id = ?"

// insertSourceSQL records one thing that led to a commitment; it returns nothing.
const insertSourceSQL = `INSERT INTO commitment_sources (commitment_id, position, document_id, paragraph_key, idea_id, response_id)
		VALUES (?, ?, ?, ?, ?, ?)`

// ReplaceSources replaces what led to the commitment with srcs, in order.
func (s *Store) ReplaceSources(ctx context.Context, commitmentID int64, srcs []SourceInput) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(deleteSourcesSQL, commitmentID).Error; err != nil {
		return fmt.Errorf("commitment store: sources of %d: %w", commitmentID, err)
	}
	for i, src := range srcs {
		var doc, idea, resp *int64
		var key *string
		switch src.Kind {
		case "paragraph":
			doc, key = &src.DocumentID, &src.ParagraphKey
		case "idea":
			idea = &src.ID
		default:
			resp = &src.ID
		}
		if err := conn.Exec(insertSourceSQL, commitmentID, i, doc, key, idea, resp).Error; err != nil {
			return fmt.Errorf("commitment store: source of %d: %w", commitmentID, err)
		}
	}
	return nil
}

// sourceInProcessSQL, by kind, counts the paragraphs (in any published
// version of a draft of the process), ideas or published responses of a
// process that a source names.
var sourceInProcessSQL = map[string]string{
	"paragraph": `SELECT count(*) FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.published_at IS NOT NULL
			JOIN blocks b ON b.version_id = v.id WHERE d.id = @doc AND d.process_id = @p AND b.key = @key`,
	"idea":     "SELECT count(*) FROM ideas WHERE id = @id AND process_id = @p AND moderation = 'published'",
	"response": "SELECT count(*) FROM responses WHERE id = @id AND process_id = @p AND state = 'published'",
}

// SourceIn reports whether src names a paragraph, idea or published response of the process.
func (s *Store) SourceIn(ctx context.Context, src SourceInput, processID int64) (bool, error) {
	var n int64
	err := database.Conn(ctx, s.db).Raw(sourceInProcessSQL[src.Kind],
		map[string]any{"doc": src.DocumentID, "key": src.ParagraphKey, "id": src.ID, "p": processID}).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("commitment store: source: %w", err)
	}
	return n > 0, nil
}

// Settings are a process's implementation settings.
type Settings struct {
	AtRiskDays       int       `gorm:"column:at_risk_days"`
	SelfAssessmentID *int64    `gorm:"column:self_assessment_id"`
	Holidays         []Holiday `gorm:"-"`
}

// Holiday is a public holiday of a process.
type Holiday struct {
	Day  workdays.Date `gorm:"column:day"`
	Name string        `gorm:"column:name"`
}

// settingsSQL returns a process's settings row (none while the defaults apply).
const settingsSQL = "SELECT at_risk_days, self_assessment_id FROM implementation_settings WHERE process_id = ?"

// holidaysSQL returns a process's public holidays by day.
const holidaysSQL = "SELECT day, name FROM process_holidays WHERE process_id = ? ORDER BY day"

// Settings returns the process's settings with its holidays (the defaults
// until an owner sets them).
func (s *Store) Settings(ctx context.Context, processID int64) (Settings, error) {
	conn := database.Conn(ctx, s.db)
	var rows []Settings
	if err := conn.Raw(settingsSQL, processID).Scan(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("commitment store: settings of %d: %w", processID, err)
	}
	st := Settings{AtRiskDays: DefaultAtRiskDays}
	if len(rows) > 0 {
		st = rows[0]
	}
	if err := conn.Raw(holidaysSQL, processID).Scan(&st.Holidays).Error; err != nil {
		return Settings{}, fmt.Errorf("commitment store: holidays of %d: %w", processID, err)
	}
	return st, nil
}

// saveSettingsSQL writes a process's settings, replacing any; it returns nothing.
const saveSettingsSQL = `INSERT INTO implementation_settings (process_id, at_risk_days, self_assessment_id) VALUES (?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET at_risk_days = EXCLUDED.at_risk_days, self_assessment_id = EXCLUDED.self_assessment_id`

// deleteHolidaysSQL removes a process's holidays; it returns nothing.
const deleteHolidaysSQL = "DELETE FROM process_holidays WHERE process_id = ?"

// insertHolidaySQL adds a holiday; it returns nothing.
const insertHolidaySQL = "INSERT INTO process_holidays (process_id, day, name) VALUES (?, ?, ?)"

// SaveSettings writes the process's settings and replaces its holidays.
func (s *Store) SaveSettings(ctx context.Context, processID int64, st Settings) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(saveSettingsSQL, processID, st.AtRiskDays, st.SelfAssessmentID).Error; err != nil {
		return fmt.Errorf("commitment store: save settings of %d: %w", processID, err)
	}
	if err := conn.Exec(deleteHolidaysSQL, processID).Error; err != nil {
		return fmt.Errorf("commitment store: holidays of %d: %w", processID, err)
	}
	for _, h := range st.Holidays {
		if err := conn.Exec(insertHolidaySQL, processID, h.Day, h.Name).Error; err != nil {
			return fmt.Errorf("commitment store: holiday of %d: %w", processID, err)
		}
	}
	return nil
}

// documentInProcessSQL returns 1 when a document is a draft of a process.
const documentInProcessSQL = "SELECT count(*) FROM documents WHERE id = ? AND process_id = ?"

// DocumentIn reports whether document id is one of the process's drafts.
func (s *Store) DocumentIn(ctx context.Context, id, processID int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(documentInProcessSQL, id, processID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("commitment store: document %d: %w", id, err)
	}
	return n > 0, nil
}
