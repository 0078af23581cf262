package forum

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/neardup"
	"cocreate/internal/process"
)

// Kind is the kind of a contribution.
type Kind string

// The kinds of contribution the forum answers.
const (
	KindComment Kind = "comment"
	KindIdea    Kind = "idea"
)

// Ref names one contribution.
type Ref struct {
	Kind Kind
	ID   int64
}

func (r Ref) String() string { return string(r.Kind) + ":" + strconv.FormatInt(r.ID, 10) }

// column is the cluster_members / response_covers column of the ref's kind.
func (r Ref) column() string {
	if r.Kind == KindIdea {
		return "idea_id"
	}
	return "comment_id"
}

// Summary is a published contribution as the forum sees it.
type Summary struct {
	Kind         Kind      `gorm:"column:kind"`
	ID           int64     `gorm:"column:id"`
	Excerpt      string    `gorm:"column:excerpt"`
	Author       string    `gorm:"column:author"`
	CreatedAt    time.Time `gorm:"column:created_at"`
	DocumentID   *int64    `gorm:"column:document_id"`
	ParagraphKey *string   `gorm:"column:paragraph_key"`
	IdeaID       *int64    `gorm:"column:idea_id"`
	ThemeID      *int64    `gorm:"column:theme_id"`
	ClusterID    *int64    `gorm:"column:cluster_id"`
	ResponseID   *int64    `gorm:"column:response_id"`
}

// split separates refs into comment ids and idea ids, as database arrays.
func split(refs []Ref) (comments, ideas database.Array) {
	var cs, is []int64
	for _, r := range refs {
		if r.Kind == KindIdea {
			is = append(is, r.ID)
		} else {
			cs = append(cs, r.ID)
		}
	}
	return database.Array{Type: "_int8", Values: cs}, database.Array{Type: "_int8", Values: is}
}

// Ref is the summary's contribution.
func (s Summary) Ref() Ref { return Ref{Kind: s.Kind, ID: s.ID} }

// summarySelect reads contributions (alias k) with their author, cluster and
// latest answer.
const summarySelect = `SELECT k.kind, k.id, k.excerpt, coalesce(u.display_name, u.pseudonym) AS author, k.created_at,
	k.document_id, k.paragraph_key, k.idea_id, k.theme_id, m.cluster_id,
	(SELECT max(a.response_id) FROM contribution_answers a
	  WHERE (k.kind = 'comment' AND a.comment_id = k.id) OR (k.kind = 'idea' AND a.idea_id = k.id)) AS response_id
	FROM contributions k
	JOIN users u ON u.id = k.author_id
	LEFT JOIN cluster_members m ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)`

// summaries reads the published contributions among refs, in the order of refs.
func (s *Service) summaries(ctx context.Context, processID int64, refs []Ref) ([]Summary, error) {
	comments, ideas := split(refs)
	var rows []Summary
	err := database.Conn(ctx, s.db).Raw(summarySelect+`
		WHERE k.process_id = ? AND ((k.kind = 'comment' AND k.id = ANY(?)) OR (k.kind = 'idea' AND k.id = ANY(?)))`,
		processID, comments, ideas).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: contributions: %w", err)
	}
	byRef := make(map[Ref]Summary, len(rows))
	for _, r := range rows {
		byRef[r.Ref()] = r
	}
	out := make([]Summary, 0, len(rows))
	for _, r := range refs {
		if sm, ok := byRef[r]; ok {
			out = append(out, sm)
			delete(byRef, r)
		}
	}
	return out, nil
}

// checkRefs refuses refs that are not published contributions of the
// process, naming the first such one; duplicates are dropped.
func (s *Service) checkRefs(ctx context.Context, processID int64, refs []Ref, field string) ([]Summary, error) {
	var f apperr.Fields
	if len(refs) == 0 || len(refs) > 1000 {
		f.Add(field, "count", "between 1 and 1000 contributions")
		return nil, f.Err(CodeInvalid)
	}
	seen := map[Ref]bool{}
	uniq := refs[:0:0]
	for _, r := range refs {
		if r.Kind != KindComment && r.Kind != KindIdea {
			f.Add(field, "kind", "comment or idea")
			return nil, f.Err(CodeInvalid)
		}
		if !seen[r] {
			seen[r] = true
			uniq = append(uniq, r)
		}
	}
	sms, err := s.summaries(ctx, processID, uniq)
	if err != nil {
		return nil, err
	}
	if len(sms) != len(uniq) {
		found := map[Ref]bool{}
		for _, sm := range sms {
			found[sm.Ref()] = true
		}
		for _, r := range uniq {
			if !found[r] {
				f.Add(field, "not_found", fmt.Sprintf("%s is not a published contribution of this process", r))
				break
			}
		}
		return nil, f.Err(CodeInvalid)
	}
	return sms, nil
}

// Cluster is a group of contributions answered together.
type Cluster struct {
	ID             int64     `gorm:"column:id"`
	ProcessID      int64     `gorm:"column:process_id"`
	Process        string    `gorm:"column:process"` // its slug
	Title          string    `gorm:"column:title"`
	Origin         string    `gorm:"column:origin"`
	CreatedAt      time.Time `gorm:"column:created_at"`
	ResponseID     *int64    `gorm:"column:response_id"`
	Representative *Summary  `gorm:"-"`
	Size           int       `gorm:"-"`
	Members        []Summary `gorm:"-"`
}

// ClusterInput creates a cluster.
type ClusterInput struct {
	Title   string
	Origin  string // manual (default) or suggested
	Members []Ref
}

// CreateCluster groups contributions into a new cluster; forum members only.
func (s *Service) CreateCluster(ctx context.Context, actor auth.Principal, slug string, in ClusterInput) (Cluster, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return Cluster{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	var f apperr.Fields
	if n := len([]rune(in.Title)); n < 1 || n > 200 {
		f.Add("title", "length", "between 1 and 200 characters")
	}
	if in.Origin == "" {
		in.Origin = "manual"
	}
	if in.Origin != "manual" && in.Origin != "suggested" {
		f.Add("origin", "oneof", "manual or suggested")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Cluster{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, p.ID, in.Members, "members")
		if err != nil {
			return err
		}
		if err := database.Conn(ctx, s.db).Raw(`INSERT INTO clusters (process_id, title, origin, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, p.ID, in.Title, in.Origin, actor.UserID, s.opt.Now().UTC()).Scan(&id).Error; err != nil {
			return fmt.Errorf("forum: cluster: %w", err)
		}
		return s.addMembers(ctx, actor, id, sms)
	})
	if err != nil {
		return Cluster{}, err
	}
	return s.Cluster(ctx, id)
}

// AddMembers adds contributions to a cluster; forum members only. When a
// published response answers the cluster, it answers them too.
func (s *Service) AddMembers(ctx context.Context, actor auth.Principal, clusterID int64, refs []Ref) (Cluster, error) {
	c, err := s.clusterRow(ctx, clusterID)
	if err != nil {
		return Cluster{}, err
	}
	if _, err := s.procs.Require(ctx, actor, c.ProcessID, process.Respond, ErrNotMember); err != nil {
		return Cluster{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, c.ProcessID, refs, "members")
		if err != nil {
			return err
		}
		if err := s.addMembers(ctx, actor, clusterID, sms); err != nil {
			return err
		}
		return s.events.Emit(ctx, event.ClusterChanged{ProcessID: c.ProcessID, ClusterID: clusterID})
	})
	if err != nil {
		return Cluster{}, err
	}
	return s.Cluster(ctx, clusterID)
}

func (s *Service) addMembers(ctx context.Context, actor auth.Principal, clusterID int64, sms []Summary) error {
	conn := database.Conn(ctx, s.db)
	now := s.opt.Now().UTC()
	for _, sm := range sms {
		if sm.ClusterID != nil {
			return ErrAlreadyClustered.WithMessage("%s is already in cluster %d", sm.Ref(), *sm.ClusterID)
		}
		res := conn.Exec("INSERT INTO cluster_members (cluster_id, "+sm.Ref().column()+", added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			clusterID, sm.ID, actor.UserID, now)
		if res.Error != nil {
			return fmt.Errorf("forum: cluster member: %w", res.Error)
		}
		if res.RowsAffected == 0 { // clustered meanwhile
			return ErrAlreadyClustered.WithMessage("%s is already in a cluster", sm.Ref())
		}
	}
	// The responses that already answer the cluster answer the newcomers.
	err := conn.Exec(`INSERT INTO contribution_answers (response_id, comment_id, idea_id, answered_at)
		SELECT r.id, m.comment_id, m.idea_id, ?
		  FROM response_covers rc JOIN responses r ON r.id = rc.response_id AND r.state = 'published'
		  JOIN cluster_members m ON m.cluster_id = rc.cluster_id
		 WHERE rc.cluster_id = ?
		ON CONFLICT DO NOTHING`, now, clusterID).Error
	if err != nil {
		return fmt.Errorf("forum: cluster answers: %w", err)
	}
	return nil
}

func (s *Service) clusterRow(ctx context.Context, id int64) (Cluster, error) {
	var rows []Cluster
	err := database.Conn(ctx, s.db).Raw(`SELECT c.id, c.process_id, p.slug AS process, c.title, c.origin, c.created_at,
			(SELECT max(r.id) FROM response_covers rc JOIN responses r ON r.id = rc.response_id AND r.state = 'published'
			  WHERE rc.cluster_id = c.id) AS response_id
		FROM clusters c JOIN processes p ON p.id = c.process_id WHERE c.id = ?`, id).Scan(&rows).Error
	if err != nil {
		return Cluster{}, fmt.Errorf("forum: cluster: %w", err)
	}
	if len(rows) == 0 {
		return Cluster{}, ErrClusterNotFound
	}
	return rows[0], nil
}

// Cluster returns a cluster with its published members and a representative.
func (s *Service) Cluster(ctx context.Context, id int64) (Cluster, error) {
	c, err := s.clusterRow(ctx, id)
	if err != nil {
		return Cluster{}, err
	}
	err = database.Conn(ctx, s.db).Raw(summarySelect+` WHERE m.cluster_id = ? ORDER BY k.created_at, k.kind, k.id`, id).Scan(&c.Members).Error
	if err != nil {
		return Cluster{}, fmt.Errorf("forum: cluster members: %w", err)
	}
	c.Size = len(c.Members)
	if err := s.pickRepresentative(ctx, &c); err != nil {
		return Cluster{}, err
	}
	return c, nil
}

// pickRepresentative chooses the member whose signature is closest to the
// others' (the oldest among equals); the oldest when no signatures exist.
func (s *Service) pickRepresentative(ctx context.Context, c *Cluster) error {
	if len(c.Members) == 0 {
		return nil
	}
	sigs, err := s.signatures(ctx, c.Members)
	if err != nil {
		return err
	}
	best, bestScore := 0, -1.0
	sample := c.Members
	if len(sample) > 200 {
		sample = sample[:200] // enough to find the centre of a campaign
	}
	for i, a := range sample {
		score := 0.0
		for _, b := range sample {
			score += neardup.Similarity(sigs[a.Ref()], sigs[b.Ref()])
		}
		if score > bestScore+1e-9 {
			best, bestScore = i, score
		}
	}
	rep := c.Members[best]
	c.Representative = &rep
	return nil
}

// signatures reads the near-duplicate signatures of contributions.
func (s *Service) signatures(ctx context.Context, sms []Summary) (map[Ref][]int32, error) {
	refs := make([]Ref, len(sms))
	for i, sm := range sms {
		refs[i] = sm.Ref()
	}
	comments, ideas := split(refs)
	var rows []sigRow
	err := database.Conn(ctx, s.db).Raw(`SELECT 'comment' AS kind, id, near_dup::text AS sig FROM comments WHERE id = ANY(?) AND near_dup IS NOT NULL
		UNION ALL SELECT 'idea', id, near_dup::text FROM ideas WHERE id = ANY(?) AND near_dup IS NOT NULL`, comments, ideas).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: signatures: %w", err)
	}
	out := make(map[Ref][]int32, len(rows))
	for _, r := range rows {
		out[Ref{Kind: r.Kind, ID: r.ID}] = parseSig(r.Sig)
	}
	return out, nil
}

type sigRow struct {
	Kind Kind   `gorm:"column:kind"`
	ID   int64  `gorm:"column:id"`
	Sig  string `gorm:"column:sig"`
}

// parseSig reads PostgreSQL's text form of an int[] ("{1,-2,3}").
func parseSig(s string) []int32 {
	s = strings.Trim(s, "{}")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int32, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return nil
		}
		out[i] = int32(v)
	}
	return out
}

// Clusters lists a process's clusters, newest first, with size and representative.
func (s *Service) Clusters(ctx context.Context, slug string) ([]Cluster, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw("SELECT id FROM clusters WHERE process_id = ? ORDER BY id DESC LIMIT 500", p.ID).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("forum: clusters: %w", err)
	}
	out := make([]Cluster, 0, len(ids))
	for _, id := range ids {
		c, err := s.Cluster(ctx, id)
		if err != nil {
			return nil, err
		}
		c.Members = nil
		out = append(out, c)
	}
	return out, nil
}

// Suggestion is a group of near-duplicate contributions not yet clustered.
type Suggestion struct {
	Members      []Summary
	Similarity   float64 // the lowest similarity of a member to the first
	ClusterID    *int64  // the existing cluster the group meets, if any
	ClusterTitle *string
}

// Suggestions finds groups of near-duplicates among the process's published
// contributions: members of existing clusters take part (so newcomers are
// suggested for their cluster), dismissed ones do not. Members and owners.
func (s *Service) Suggestions(ctx context.Context, actor auth.Principal, slug string) ([]Suggestion, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.ReadForumWork, ErrNotMember)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Kind      Kind   `gorm:"column:kind"`
		ID        int64  `gorm:"column:id"`
		Sig       string `gorm:"column:sig"`
		ClusterID *int64 `gorm:"column:cluster_id"`
	}
	err = database.Conn(ctx, s.db).Raw(`SELECT k.kind, k.id, coalesce(c.near_dup, i.near_dup)::text AS sig, m.cluster_id
		FROM contributions k
		LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
		LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
		LEFT JOIN cluster_members m ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)
		WHERE k.process_id = ? AND coalesce(c.near_dup, i.near_dup) IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM cluster_dismissals d WHERE (k.kind = 'comment' AND d.comment_id = k.id) OR (k.kind = 'idea' AND d.idea_id = k.id))
		ORDER BY k.created_at, k.kind, k.id`, p.ID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: suggestions: %w", err)
	}
	sigs := make([][]int32, len(rows))
	for i, r := range rows {
		sigs[i] = parseSig(r.Sig)
	}
	var out []Suggestion
	for _, g := range neardup.Groups(sigs, neardup.Threshold) {
		var fresh []Ref
		var cluster *int64
		for _, i := range g {
			if rows[i].ClusterID != nil {
				if cluster == nil {
					cluster = rows[i].ClusterID
				}
				continue
			}
			fresh = append(fresh, Ref{Kind: rows[i].Kind, ID: rows[i].ID})
		}
		if len(fresh) == 0 || cluster == nil && len(fresh) < 2 {
			continue
		}
		sim := 1.0
		first := sigs[g[0]]
		for _, i := range g[1:] {
			sim = math.Min(sim, neardup.Similarity(first, sigs[i]))
		}
		sms, err := s.summaries(ctx, p.ID, fresh)
		if err != nil {
			return nil, err
		}
		sg := Suggestion{Members: sms, Similarity: sim, ClusterID: cluster}
		if cluster != nil {
			c, err := s.clusterRow(ctx, *cluster)
			if err != nil {
				return nil, err
			}
			sg.ClusterTitle = &c.Title
		}
		out = append(out, sg)
		if len(out) == 50 {
			break
		}
	}
	return out, nil
}

// Dismiss records that these contributions are not a cluster: they are not
// suggested again. Forum members only.
func (s *Service) Dismiss(ctx context.Context, actor auth.Principal, slug string, refs []Ref) error {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		sms, err := s.checkRefs(ctx, p.ID, refs, "members")
		if err != nil {
			return err
		}
		for _, sm := range sms {
			err := database.Conn(ctx, s.db).Exec("INSERT INTO cluster_dismissals (process_id, "+sm.Ref().column()+", dismissed_by, dismissed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				p.ID, sm.ID, actor.UserID, s.opt.Now().UTC()).Error
			if err != nil {
				return fmt.Errorf("forum: dismiss: %w", err)
			}
		}
		return nil
	})
}

// UnansweredFilter narrows the unanswered list.
type UnansweredFilter struct {
	Kind         Kind
	DocumentID   int64
	ParagraphKey string
	ThemeID      int64
	ClusterID    int64
	Cursor       string
	Limit        int
}

// ErrBadCursor is a cursor this service did not write.
var ErrBadCursor = apperr.Malformed("forum.bad_cursor", "the cursor is not valid")

// Unanswered lists published contributions no published response answers,
// oldest first; it returns the next page's cursor ("" on the last).
func (s *Service) Unanswered(ctx context.Context, slug string, f UnansweredFilter) ([]Summary, string, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return nil, "", err
	}
	q := summarySelect + ` WHERE k.process_id = @p AND NOT EXISTS (SELECT 1 FROM contribution_answers a
		WHERE (k.kind = 'comment' AND a.comment_id = k.id) OR (k.kind = 'idea' AND a.idea_id = k.id))`
	args := map[string]any{"p": p.ID, "limit": f.Limit + 1}
	if f.Kind != "" {
		q += " AND k.kind = @kind"
		args["kind"] = string(f.Kind)
	}
	if f.DocumentID > 0 {
		q += " AND k.document_id = @doc"
		args["doc"] = f.DocumentID
	}
	if f.ParagraphKey != "" {
		q += " AND k.paragraph_key = @key"
		args["key"] = f.ParagraphKey
	}
	if f.ThemeID > 0 {
		q += " AND k.theme_id = @theme"
		args["theme"] = f.ThemeID
	}
	if f.ClusterID > 0 {
		q += " AND m.cluster_id = @cluster"
		args["cluster"] = f.ClusterID
	}
	if f.Cursor != "" {
		at, kind, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		q += " AND (k.created_at, k.kind, k.id) > (@at, @ckind, @cid)"
		args["at"], args["ckind"], args["cid"] = at, kind, id
	}
	q += " ORDER BY k.created_at, k.kind, k.id LIMIT @limit"
	var rows []Summary
	if err := database.Conn(ctx, s.db).Raw(q, args).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("forum: unanswered: %w", err)
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = encodeCursor(last.CreatedAt, last.Kind, last.ID)
	}
	return rows, next, nil
}

func encodeCursor(at time.Time, kind Kind, id int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%s.%d", at.UnixMicro(), kind, id))
}

func decodeCursor(cur string) (time.Time, string, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil {
		return time.Time{}, "", 0, ErrBadCursor
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || !slices.Contains([]string{"comment", "idea"}, parts[1]) {
		return time.Time{}, "", 0, ErrBadCursor
	}
	us, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, "", 0, ErrBadCursor
	}
	return time.UnixMicro(us).UTC(), parts[1], id, nil
}
