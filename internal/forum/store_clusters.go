package forum

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// insertClusterSQL stores a new cluster and returns its id.
const insertClusterSQL = `INSERT INTO clusters (process_id, title, origin, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`

// InsertCluster stores a new, empty cluster of the process and returns its id.
func (s *Store) InsertCluster(ctx context.Context, processID int64, title, origin string, by int64, now time.Time) (int64, error) {
	var id int64
	if err := database.Conn(ctx, s.db).Raw(insertClusterSQL, processID, title, origin, by, now).Scan(&id).Error; err != nil {
		return 0, fmt.Errorf("forum store: insert cluster in %d: %w", processID, err)
	}
	return id, nil
}

// insertMemberSQL adds a comment or an idea to a cluster unless it is in one;
// it returns nothing.
var insertMemberSQL = kindSQL{
	comment: "INSERT INTO cluster_members (cluster_id, comment_id, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
	idea:    "INSERT INTO cluster_members (cluster_id, idea_id, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
}

// InsertMember adds the contribution to cluster clusterID; inserted is false
// when it is already in a cluster.
func (s *Store) InsertMember(ctx context.Context, clusterID int64, r Ref, by int64, now time.Time) (inserted bool, err error) {
	res := database.Conn(ctx, s.db).Exec(insertMemberSQL.of(r.Kind), clusterID, r.ID, by, now)
	if res.Error != nil {
		return false, fmt.Errorf("forum store: add %s to cluster %d: %w", r, clusterID, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// answerClusterMembersSQL records that every published response covering a
// cluster answers each of its members, once; it returns nothing.
const answerClusterMembersSQL = `INSERT INTO contribution_answers (response_id, comment_id, idea_id, answered_at)
		SELECT r.id, m.comment_id, m.idea_id, ?
		  FROM response_covers rc JOIN responses r ON r.id = rc.response_id AND r.state = 'published'
		  JOIN cluster_members m ON m.cluster_id = rc.cluster_id
		 WHERE rc.cluster_id = ?
		ON CONFLICT DO NOTHING`

// AnswerClusterMembers has the published responses that answer cluster
// clusterID answer all its members, as of now.
func (s *Store) AnswerClusterMembers(ctx context.Context, clusterID int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(answerClusterMembersSQL, now, clusterID).Error; err != nil {
		return fmt.Errorf("forum store: answers of cluster %d: %w", clusterID, err)
	}
	return nil
}

// clusterSQL returns one cluster with its process's slug and the latest
// published response covering it.
const clusterSQL = `SELECT c.id, c.process_id, p.slug AS process, c.title, c.origin, c.created_at,
			(SELECT max(r.id) FROM response_covers rc JOIN responses r ON r.id = rc.response_id AND r.state = 'published'
			  WHERE rc.cluster_id = c.id) AS response_id
		FROM clusters c JOIN processes p ON p.id = c.process_id WHERE c.id = ?`

// Cluster returns cluster id without its members, or ErrClusterNotFound.
func (s *Store) Cluster(ctx context.Context, id int64) (Cluster, error) {
	var rows []Cluster
	if err := database.Conn(ctx, s.db).Raw(clusterSQL, id).Scan(&rows).Error; err != nil {
		return Cluster{}, fmt.Errorf("forum store: cluster %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Cluster{}, ErrClusterNotFound
	}
	return rows[0], nil
}

// clusterMembersSQL returns a cluster's published members as summaries, oldest first.
const clusterMembersSQL = summarySelect + ` WHERE m.cluster_id = ? ORDER BY k.created_at, k.kind, k.id`

// ClusterMembers returns the published members of cluster id, oldest first.
func (s *Store) ClusterMembers(ctx context.Context, id int64) ([]Summary, error) {
	var ms []Summary
	if err := database.Conn(ctx, s.db).Raw(clusterMembersSQL, id).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("forum store: members of cluster %d: %w", id, err)
	}
	return ms, nil
}

// clusterMemberRefsSQL returns the kind and id of a cluster's published members, by kind and id.
const clusterMemberRefsSQL = `SELECT k.kind, k.id FROM contributions k JOIN cluster_members m
				ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)
				WHERE m.cluster_id = ? ORDER BY k.kind, k.id`

// ClusterMemberRefs returns the published members of cluster id, as the ledger names them.
func (s *Store) ClusterMemberRefs(ctx context.Context, id int64) ([]Ref, error) {
	var members []Ref
	if err := database.Conn(ctx, s.db).Raw(clusterMemberRefsSQL, id).Scan(&members).Error; err != nil {
		return nil, fmt.Errorf("forum store: members of cluster %d: %w", id, err)
	}
	return members, nil
}

// clusterIDsSQL returns the ids of a process's 500 newest clusters, newest first.
const clusterIDsSQL = "SELECT id FROM clusters WHERE process_id = ? ORDER BY id DESC LIMIT 500"

// ClusterIDs returns the ids of the process's newest clusters.
func (s *Store) ClusterIDs(ctx context.Context, processID int64) ([]int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(clusterIDsSQL, processID).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("forum store: clusters of %d: %w", processID, err)
	}
	return ids, nil
}

// insertDismissalSQL records that a comment or an idea is not to be
// suggested for a cluster again, once; it returns nothing.
var insertDismissalSQL = kindSQL{
	comment: "INSERT INTO cluster_dismissals (process_id, comment_id, dismissed_by, dismissed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
	idea:    "INSERT INTO cluster_dismissals (process_id, idea_id, dismissed_by, dismissed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
}

// InsertDismissal records that the contribution of the process is no
// cluster's, by whom and when.
func (s *Store) InsertDismissal(ctx context.Context, processID int64, r Ref, by int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(insertDismissalSQL.of(r.Kind), processID, r.ID, by, now).Error; err != nil {
		return fmt.Errorf("forum store: dismiss %s: %w", r, err)
	}
	return nil
}
