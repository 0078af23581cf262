package moderation

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes moderation items, decisions, flags, redactions and
// settings; every statement of the package is here or in a store_<topic>.go file.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// selectItemSQL returns items with their contribution's text, author name and
// process slug; callers append the WHERE (and ORDER/LIMIT) on m. When an edit
// of a published contribution waits, the text is the edit's (what a decision
// is on) and previous_* the published text it would replace.
const selectItemSQL = `SELECT m.id, m.process_id, p.slug AS process_slug, m.comment_id, m.idea_id, coalesce(m.idea_id, c.idea_id) AS target_idea_id,
	m.meeting_input_id, mi.meeting_id, m.survey_text_id, st.phase AS survey_phase,
	c.progress_update_id AS target_update_id, (SELECT u.commitment_id FROM progress_updates u WHERE u.id = c.progress_update_id) AS target_commitment_id,
	m.document_id, c.paragraph_key, coalesce(m.author_id, 0) AS author_id, coalesce(u.display_name, u.pseudonym, '') AS author_name, m.cause, m.state, m.version,
	m.campaign, m.screen AS screen_json, m.flag_weight, m.flags, m.claimed_by, m.lease_until, m.last_moderator, m.excluded_moderator,
	m.appeal_note, m.appealed_at, m.created_at, m.queued_at, m.decided_at, coalesce(i.pending_title, i.title) AS title,
	coalesce(c.pending_body, c.body, i.pending_body, i.body, mi.body, st.body) AS body,
	coalesce(c.pending_body_html, c.body_html, i.pending_body_html, i.body_html, mi.body_html, st.body_html) AS body_html,
	CASE WHEN i.pending_body IS NOT NULL THEN i.title END AS previous_title,
	CASE WHEN c.pending_body IS NOT NULL THEN c.body WHEN i.pending_body IS NOT NULL THEN i.body END AS previous_body,
	CASE WHEN c.pending_body IS NOT NULL THEN c.body_html WHEN i.pending_body IS NOT NULL THEN i.body_html END AS previous_body_html,
	coalesce(c.status, i.moderation, mi.status, st.status) AS status
FROM moderation_items m
LEFT JOIN comments c ON c.id = m.comment_id
LEFT JOIN ideas i ON i.id = m.idea_id
LEFT JOIN meeting_inputs mi ON mi.id = m.meeting_input_id
LEFT JOIN survey_texts st ON st.id = m.survey_text_id
LEFT JOIN users u ON u.id = m.author_id
JOIN processes p ON p.id = m.process_id
`

// lastDecisionsSQL returns the latest decision of each of a set of items.
const lastDecisionsSQL = `SELECT DISTINCT ON (item_id) * FROM moderation_decisions WHERE item_id = ANY(?)
		ORDER BY item_id, id DESC`

// items runs a selectItemSQL query and attaches each item's latest decision
// (one more query for the whole page).
func (s *Store) items(ctx context.Context, q string, args ...any) ([]Item, error) {
	var out []Item
	if err := database.Conn(ctx, s.db).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("moderation store: items: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for n := range out {
		ids[n] = out[n].ID
		if err := json.Unmarshal(out[n].ScreenJSON, &out[n].Screen); err != nil {
			return nil, fmt.Errorf("moderation store: screen of %d: %w", out[n].ID, err)
		}
	}
	var last []Decision
	if err := database.Conn(ctx, s.db).Raw(lastDecisionsSQL, int64s(ids)).Scan(&last).Error; err != nil {
		return nil, fmt.Errorf("moderation store: last decisions: %w", err)
	}
	by := map[int64]*Decision{}
	for n := range last {
		by[last[n].ItemID] = &last[n]
	}
	for n := range out {
		out[n].LastDecision = by[out[n].ID]
	}
	return out, nil
}

// Item returns the item with id, with its latest decision, or ErrNotFound.
func (s *Store) Item(ctx context.Context, id int64) (Item, error) {
	items, err := s.items(ctx, selectItemSQL+"WHERE m.id = ?", id)
	if err != nil {
		return Item{}, err
	}
	if len(items) == 0 {
		return Item{}, ErrNotFound
	}
	return items[0], nil
}

// Authored returns the latest 100 items of author, newest first; only, when
// not 0, narrows them to that item.
func (s *Store) Authored(ctx context.Context, author, only int64) ([]Item, error) {
	cond, args := "true", []any{author}
	if only != 0 {
		cond, args = "m.id = ?", append(args, only)
	}
	return s.items(ctx, selectItemSQL+"WHERE m.author_id = ? AND "+cond+" ORDER BY m.id DESC LIMIT 100", args...)
}

// int64s is a bigint[] parameter.
func int64s(ids []int64) database.Array {
	return database.Array{Type: "_int8", Values: ids}
}
