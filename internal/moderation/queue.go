package moderation

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// Item is one contribution in moderation, with the contribution's text.
type Item struct {
	ID                int64
	ProcessID         int64
	ProcessSlug       string
	CommentID         *int64
	IdeaID            *int64 // the idea held, or (TargetIdeaID) the idea a held comment is on
	TargetIdeaID      *int64
	DocumentID        *int64
	ParagraphKey      *string
	AuthorID          int64
	AuthorName        string
	Cause             Cause
	State             string
	Version           int
	Campaign          bool
	Screen            []Verdict `gorm:"-"`
	ScreenJSON        []byte
	FlagWeight        float64
	Flags             int
	ClaimedBy         *int64
	LeaseUntil        *time.Time
	LastModerator     *int64
	ExcludedModerator *int64
	AppealNote        *string
	AppealedAt        *time.Time
	CreatedAt         time.Time
	QueuedAt          time.Time
	DecidedAt         *time.Time
	Title             *string
	Body              string
	BodyHTML          string
	Status            string    // the contribution's moderation status
	LastDecision      *Decision `gorm:"-"`
}

// ShownCause is the cause an item is listed under: its state for appealed and
// escalated items.
func (i Item) ShownCause() Cause {
	switch i.State {
	case stateAppealed:
		return CauseAppeal
	case stateEscalated:
		return CauseEscalated
	}
	return i.Cause
}

// Decision is one row of the append-only decisions.
type Decision struct {
	ID          int64
	ItemID      int64
	ModeratorID *int64
	Outcome     Outcome
	Reason      *Reason
	Explanation string
	Cause       Cause
	OnAppeal    bool
	ItemVersion int
	CreatedAt   time.Time
}

const selectItem = `SELECT m.id, m.process_id, p.slug AS process_slug, m.comment_id, m.idea_id, coalesce(m.idea_id, c.idea_id) AS target_idea_id,
	m.document_id, c.paragraph_key, m.author_id, coalesce(u.display_name, u.pseudonym) AS author_name, m.cause, m.state, m.version,
	m.campaign, m.screen AS screen_json, m.flag_weight, m.flags, m.claimed_by, m.lease_until, m.last_moderator, m.excluded_moderator,
	m.appeal_note, m.appealed_at, m.created_at, m.queued_at, m.decided_at, i.title,
	coalesce(c.body, i.body) AS body, coalesce(c.body_html, i.body_html) AS body_html, coalesce(c.status, i.moderation) AS status
FROM moderation_items m
LEFT JOIN comments c ON c.id = m.comment_id
LEFT JOIN ideas i ON i.id = m.idea_id
JOIN users u ON u.id = m.author_id
JOIN processes p ON p.id = m.process_id
`

// items runs a selectItem query and attaches each item's latest decision.
func (s *Service) items(ctx context.Context, q string, args ...any) ([]Item, error) {
	var out []Item
	if err := database.Conn(ctx, s.db).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("moderation: items: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for n := range out {
		ids[n] = out[n].ID
		if err := json.Unmarshal(out[n].ScreenJSON, &out[n].Screen); err != nil {
			return nil, fmt.Errorf("moderation: screen of %d: %w", out[n].ID, err)
		}
	}
	var last []Decision
	if err := database.Conn(ctx, s.db).Raw(`SELECT DISTINCT ON (item_id) * FROM moderation_decisions WHERE item_id = ANY(?)
		ORDER BY item_id, id DESC`, int64s(ids)).Scan(&last).Error; err != nil {
		return nil, fmt.Errorf("moderation: last decisions: %w", err)
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

func (s *Service) item(ctx context.Context, id int64) (Item, error) {
	items, err := s.items(ctx, selectItem+"WHERE m.id = ?", id)
	if err != nil {
		return Item{}, err
	}
	if len(items) == 0 {
		return Item{}, ErrNotFound
	}
	return items[0], nil
}

// QueueFilter narrows the queue; every field maps to a fixed SQL condition.
type QueueFilter struct {
	Cause      Cause  // "" for any
	Target     string // "comment", "idea" or ""
	DocumentID int64
	OlderThan  time.Duration
	Cursor     string
	Limit      int
}

// where returns the filter's conditions on m and their arguments.
func (f QueueFilter) where(now time.Time) ([]string, []any) {
	var conds []string
	var args []any
	switch f.Cause {
	case "":
	case CauseAppeal:
		conds = append(conds, "m.state = 'appealed'")
	case CauseEscalated:
		conds = append(conds, "m.state = 'escalated'")
	default:
		conds = append(conds, "m.state = 'open' AND m.cause = ?")
		args = append(args, f.Cause)
	}
	switch f.Target {
	case "comment":
		conds = append(conds, "m.comment_id IS NOT NULL")
	case "idea":
		conds = append(conds, "m.idea_id IS NOT NULL")
	}
	if f.DocumentID != 0 {
		conds = append(conds, "m.document_id = ?")
		args = append(args, f.DocumentID)
	}
	if f.OlderThan > 0 {
		conds = append(conds, "m.queued_at < ?")
		args = append(args, now.Add(-f.OlderThan))
	}
	return conds, args
}

// states are the item states a moderator (own false) or an owner works on.
func states(own bool) string {
	if own {
		return "('open', 'appealed', 'escalated')"
	}
	return "('open', 'appealed')"
}

// Queue is a page of items awaiting a decision and the counts per cause.
type Queue struct {
	Items      []Item
	Counts     map[Cause]int
	NextCursor string
}

// moderatorOf resolves slug for a moderator of the process, and says whether
// they also decide escalated items.
func (s *Service) moderatorOf(ctx context.Context, actor auth.Principal, slug string) (process.Process, bool, error) {
	id, err := s.procs.IDOf(ctx, slug)
	if err != nil {
		return process.Process{}, false, err
	}
	a, err := s.procs.Require(ctx, actor, id, process.Moderate, ErrForbidden)
	if err != nil {
		return process.Process{}, false, err
	}
	return process.Process{ID: id, Slug: slug}, a.Can(process.DecideEscalated), nil
}

// List returns the queue of a process, oldest first.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string, f QueueFilter) (Queue, error) {
	p, own, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return Queue{}, err
	}
	conds, args := f.where(s.opt.Now())
	base := "m.process_id = ? AND m.state IN " + states(own)
	all := append([]any{p.ID}, args...)
	if len(conds) > 0 {
		base += " AND " + strings.Join(conds, " AND ")
	}
	q := selectItem + "WHERE " + base
	if f.Cursor != "" {
		at, id, err := parseQueueCursor(f.Cursor)
		if err != nil {
			return Queue{}, err
		}
		q += " AND (m.queued_at, m.id) > (?, ?)"
		all = append(all, at, id)
	}
	q += " ORDER BY m.queued_at, m.id LIMIT ?"
	items, err := s.items(ctx, q, append(all, f.Limit+1)...)
	if err != nil {
		return Queue{}, err
	}
	out := Queue{Items: items, Counts: map[Cause]int{}}
	if len(items) > f.Limit {
		out.Items = items[:f.Limit]
		last := out.Items[f.Limit-1]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("q:" + strconv.FormatInt(last.QueuedAt.UnixMicro(), 10) +
			":" + strconv.FormatInt(last.ID, 10)))
	}
	var counts []struct {
		Cause Cause
		N     int
	}
	if err := database.Conn(ctx, s.db).Raw(`SELECT CASE state WHEN 'appealed' THEN 'appeal' WHEN 'escalated' THEN 'escalated' ELSE cause END AS cause,
		count(*) AS n FROM moderation_items m WHERE m.process_id = ? AND m.state IN `+states(own)+` GROUP BY 1`, p.ID).Scan(&counts).Error; err != nil {
		return Queue{}, fmt.Errorf("moderation: counts: %w", err)
	}
	for _, c := range counts {
		out.Counts[c.Cause] = c.N
	}
	return out, nil
}

func parseQueueCursor(cur string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if err != nil || len(parts) != 3 || parts[0] != "q" {
		return time.Time{}, 0, ErrBadCursor
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, ErrBadCursor
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// Claim hands actor the oldest unclaimed item matching f, with a lease. Rows
// another claim is looking at are skipped (FOR UPDATE SKIP LOCKED), so two
// moderators never get the same item; an expired lease returns the item to
// the queue; an appealed item never goes to the moderator who decided it. It
// returns ErrNotFound when there is nothing to claim.
func (s *Service) Claim(ctx context.Context, actor auth.Principal, slug string, f QueueFilter) (Item, error) {
	p, own, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return Item{}, err
	}
	now := s.opt.Now().UTC()
	conds, args := f.where(now)
	q := `UPDATE moderation_items SET claimed_by = ?, lease_until = ?, version = version + 1
		WHERE id = (SELECT m.id FROM moderation_items m WHERE m.process_id = ? AND m.state IN ` + states(own) + `
			AND (m.lease_until IS NULL OR m.lease_until <= ? OR m.claimed_by = ?) AND m.excluded_moderator IS DISTINCT FROM ?`
	for _, c := range conds {
		q += " AND " + c
	}
	q += ` ORDER BY m.queued_at, m.id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`
	all := append([]any{actor.UserID, now.Add(s.opt.Lease), p.ID, now, actor.UserID, actor.UserID}, args...)
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(q, all...).Scan(&ids).Error; err != nil {
		return Item{}, fmt.Errorf("moderation: claim: %w", err)
	}
	if len(ids) == 0 {
		return Item{}, ErrNotFound
	}
	return s.item(ctx, ids[0])
}

// Detail is an item with what a moderator needs to decide it.
type Detail struct {
	Item
	Context      string
	FlagList     []Flag
	Decisions    []Decision
	OriginalBody *string
	History      History
}

// Flag is one person's report, as moderators see it (without who).
type Flag struct {
	Reason    Reason
	Note      string
	Weight    float64
	CreatedAt time.Time
}

// History is the author's record in the process.
type History struct {
	Approved, Rejected int
	Recent             []Recent `gorm:"-"`
}

// Recent is one of the author's recent contributions.
type Recent struct {
	Type      string
	ID        int64
	Excerpt   string
	Status    string
	CreatedAt time.Time
}

// Detail returns an item in context for the process's moderators.
func (s *Service) Detail(ctx context.Context, actor auth.Principal, id int64) (Detail, error) {
	it, err := s.item(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if _, err := s.procs.Require(ctx, actor, it.ProcessID, process.Moderate, ErrForbidden); err != nil {
		return Detail{}, err
	}
	d := Detail{Item: it}
	conn := database.Conn(ctx, s.db)
	if it.CommentID != nil {
		err = conn.Raw(`SELECT coalesce(b.text, i.title, '') FROM comments c
			LEFT JOIN blocks b ON b.version_id = c.version_id AND b.key = c.paragraph_key
			LEFT JOIN ideas i ON i.id = c.idea_id WHERE c.id = ?`, *it.CommentID).Scan(&d.Context).Error
	} else {
		err = conn.Raw(`SELECT t.name FROM ideas i JOIN idea_themes t ON t.id = i.theme_id WHERE i.id = ?`, *it.IdeaID).Scan(&d.Context).Error
	}
	if err != nil {
		return Detail{}, fmt.Errorf("moderation: context: %w", err)
	}
	if err := conn.Raw(`SELECT reason, note, weight, created_at FROM moderation_flags WHERE comment_id = ? OR idea_id = ? ORDER BY id`,
		it.CommentID, it.IdeaID).Scan(&d.FlagList).Error; err != nil {
		return Detail{}, fmt.Errorf("moderation: flags: %w", err)
	}
	if err := conn.Raw("SELECT * FROM moderation_decisions WHERE item_id = ? ORDER BY id", id).Scan(&d.Decisions).Error; err != nil {
		return Detail{}, fmt.Errorf("moderation: decisions: %w", err)
	}
	var originals []string
	if err := conn.Raw("SELECT original_body FROM moderation_redactions WHERE item_id = ? ORDER BY decision_id LIMIT 1", id).
		Scan(&originals).Error; err != nil {
		return Detail{}, fmt.Errorf("moderation: redaction: %w", err)
	}
	if len(originals) > 0 {
		d.OriginalBody = &originals[0]
	}
	d.History, err = s.history(ctx, it.AuthorID, it.ProcessID)
	return d, err
}

// history counts the author's decided items in the process by their latest
// outcome and lists their five latest contributions there.
func (s *Service) history(ctx context.Context, author, processID int64) (History, error) {
	var h History
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(`SELECT count(*) FILTER (WHERE d.outcome IN ('approve', 'auto_publish')) AS approved,
		count(*) FILTER (WHERE d.outcome = 'reject') AS rejected
		FROM moderation_items m JOIN LATERAL (SELECT outcome FROM moderation_decisions WHERE item_id = m.id AND outcome <> 'escalate'
			ORDER BY id DESC LIMIT 1) d ON true
		WHERE m.author_id = ? AND m.process_id = ?`, author, processID).Scan(&h).Error; err != nil {
		return History{}, fmt.Errorf("moderation: history: %w", err)
	}
	if err := conn.Raw(`SELECT * FROM (
			SELECT 'idea' AS type, id, left(title, 140) AS excerpt, moderation AS status, created_at FROM ideas
			WHERE author_id = @a AND process_id = @p
			UNION ALL
			SELECT 'comment', c.id, left(c.body, 140), c.status, c.created_at FROM comments c
			LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
			WHERE c.author_id = @a AND coalesce(d.process_id, i.process_id) = @p AND c.deleted_at IS NULL) x
		ORDER BY created_at DESC LIMIT 5`, map[string]any{"a": author, "p": processID}).Scan(&h.Recent).Error; err != nil {
		return History{}, fmt.Errorf("moderation: recent: %w", err)
	}
	return h, nil
}

// int64s is a bigint[] parameter.
func int64s(ids []int64) database.Array {
	return database.Array{Type: "_int8", Values: ids}
}
