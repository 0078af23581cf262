package comment

// The store's votes: one statement casts or retracts a vote and moves every
// counter it touches.

import (
	"context"
	"fmt"
	"math/rand/v2"

	"cocreate/internal/database"
)

// lockVoteSQL takes a vote's locks: the comment's document's and the
// comment's shared, the voter's exclusively. A missing comment gives NULL
// keys, and the lock functions then lock nothing.
const lockVoteSQL = `SELECT pg_advisory_xact_lock_shared(?, (SELECT document_id::int FROM comments WHERE id = ?)),
			pg_advisory_xact_lock_shared(?, ?), pg_advisory_xact_lock(?, ?)`

// LockVote takes the locks of a vote by voter on a comment until the
// transaction in ctx ends: one person's votes are serialised, so "old" in
// voteSQL is the vote as committed.
func (s *Store) LockVote(ctx context.Context, commentID, voter int64) error {
	if err := database.Conn(ctx, s.db).Exec(lockVoteSQL,
		database.LockDocument, commentID, database.LockComment, int32(commentID), database.LockVoter, int32(voter)).Error; err != nil {
		return fmt.Errorf("comment store: vote lock: %w", err)
	}
	return nil
}

// voteSQL upserts the vote and adds the difference to a shard of the comment's
// and of the paragraph's counters, in one statement. It runs after the voter's
// lock, so "old" is the vote as committed.
const voteSQL = `WITH c AS (SELECT id, document_id, anchor_key, (deleted_at IS NULL AND status = 'published') AS ok
		FROM comments WHERE id = @c),
	old AS (SELECT value FROM comment_votes WHERE comment_id = @c AND user_id = @u),
	ins AS (INSERT INTO comment_votes (comment_id, user_id, value) SELECT id, @u, @v FROM c WHERE ok
		ON CONFLICT (comment_id, user_id) DO UPDATE SET value = EXCLUDED.value, voted_at = now() RETURNING value),
	d AS (SELECT (CASE WHEN @v = 1 THEN 1 ELSE 0 END) - coalesce((SELECT CASE WHEN value = 1 THEN 1 ELSE 0 END FROM old), 0) AS da,
		(CASE WHEN @v = -1 THEN 1 ELSE 0 END) - coalesce((SELECT CASE WHEN value = -1 THEN 1 ELSE 0 END FROM old), 0) AS dd
		FROM c WHERE ok),
	cc AS (INSERT INTO comment_vote_counts AS k (comment_id, shard, agree, disagree)
		SELECT @c, @shard, da, dd FROM d WHERE da <> 0 OR dd <> 0
		ON CONFLICT (comment_id, shard) DO UPDATE SET agree = k.agree + EXCLUDED.agree, disagree = k.disagree + EXCLUDED.disagree),
	pc AS (INSERT INTO paragraph_counts AS p (document_id, paragraph_key, shard, agree, disagree)
		SELECT c.document_id, c.anchor_key, @shard, d.da, d.dd FROM c, d WHERE c.anchor_key IS NOT NULL AND (d.da <> 0 OR d.dd <> 0)
		ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET agree = p.agree + EXCLUDED.agree, disagree = p.disagree + EXCLUDED.disagree)
	SELECT true AS found, c.ok AS replyable, c.document_id, c.anchor_key,
		(SELECT coalesce(sum(agree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT da FROM d), 0) AS agree,
		(SELECT coalesce(sum(disagree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT dd FROM d), 0) AS disagree
	FROM c`

// retractSQL deletes the vote and subtracts it from the counters.
const retractSQL = `WITH c AS (SELECT id, document_id, anchor_key, (deleted_at IS NULL AND status = 'published') AS ok
		FROM comments WHERE id = @c),
	del AS (DELETE FROM comment_votes WHERE comment_id = @c AND user_id = @u RETURNING value),
	d AS (SELECT -(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS da, -(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS dd FROM del),
	cc AS (INSERT INTO comment_vote_counts AS k (comment_id, shard, agree, disagree)
		SELECT @c, @shard, da, dd FROM d
		ON CONFLICT (comment_id, shard) DO UPDATE SET agree = k.agree + EXCLUDED.agree, disagree = k.disagree + EXCLUDED.disagree),
	pc AS (INSERT INTO paragraph_counts AS p (document_id, paragraph_key, shard, agree, disagree)
		SELECT c.document_id, c.anchor_key, @shard, d.da, d.dd FROM c, d WHERE c.anchor_key IS NOT NULL AND c.ok
		ON CONFLICT (document_id, paragraph_key, shard) DO UPDATE SET agree = p.agree + EXCLUDED.agree, disagree = p.disagree + EXCLUDED.disagree)
	SELECT true AS found, c.ok AS replyable, c.document_id, c.anchor_key,
		(SELECT coalesce(sum(agree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT da FROM d), 0) AS agree,
		(SELECT coalesce(sum(disagree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT dd FROM d), 0) AS disagree
	FROM c`

// voted is a comment's state after a vote: Found is false for no such
// comment, Replyable false when it takes no votes now.
type voted struct {
	Found      bool
	Replyable  bool
	Agree      int
	Disagree   int
	DocumentID int64
	AnchorKey  *string // the paragraph whose thread holds the comment; nil when orphaned
}

// Vote stores voter's vote v on a comment (0 retracts it) with voteSQL or
// retractSQL, and returns the comment's counts after it.
func (s *Store) Vote(ctx context.Context, commentID, voter int64, v Vote) (voted, error) {
	q := voteSQL
	if v == 0 {
		q = retractSQL
	}
	var out []voted
	if err := database.Conn(ctx, s.db).Raw(q, map[string]any{"c": commentID, "u": voter, "v": int(v), "shard": rand.IntN(shards)}).Scan(&out).Error; err != nil {
		return voted{}, fmt.Errorf("comment store: vote: %w", err)
	}
	if len(out) == 0 {
		return voted{}, nil
	}
	return out[0], nil
}

// myVotesSQL returns a person's votes on the comments of a document.
const myVotesSQL = `SELECT v.comment_id, v.value FROM comment_votes v JOIN comments c ON c.id = v.comment_id
		WHERE v.user_id = ? AND c.document_id = ?`

// myVotesOnIdeaSQL returns a person's votes on the comments of an idea.
const myVotesOnIdeaSQL = `SELECT v.comment_id, v.value FROM comment_votes v JOIN comments c ON c.id = v.comment_id
		WHERE v.user_id = ? AND c.idea_id = ?`

// MyVotes returns voter's votes on the comments of a document.
func (s *Store) MyVotes(ctx context.Context, voter, docID int64) (map[int64]Vote, error) {
	return s.myVotes(ctx, myVotesSQL, voter, docID)
}

// myVotesOnUpdateSQL returns a person's votes on the comments of a progress update.
const myVotesOnUpdateSQL = `SELECT v.comment_id, v.value FROM comment_votes v JOIN comments c ON c.id = v.comment_id
		WHERE v.user_id = ? AND c.progress_update_id = ?`

// MyVotesOnUpdate returns voter's votes on the comments of a progress update.
func (s *Store) MyVotesOnUpdate(ctx context.Context, voter, updateID int64) (map[int64]Vote, error) {
	return s.myVotes(ctx, myVotesOnUpdateSQL, voter, updateID)
}

// MyVotesOnIdea returns voter's votes on the comments of an idea.
func (s *Store) MyVotesOnIdea(ctx context.Context, voter, ideaID int64) (map[int64]Vote, error) {
	return s.myVotes(ctx, myVotesOnIdeaSQL, voter, ideaID)
}

func (s *Store) myVotes(ctx context.Context, q string, voter, id int64) (map[int64]Vote, error) {
	var rows []struct {
		CommentID int64
		Value     int
	}
	if err := database.Conn(ctx, s.db).Raw(q, voter, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("comment store: my votes: %w", err)
	}
	out := make(map[int64]Vote, len(rows))
	for _, r := range rows {
		out[r.CommentID] = Vote(r.Value)
	}
	return out, nil
}

// voteCountsSQL returns the vote counts of some comments, summed over the shards.
const voteCountsSQL = `SELECT comment_id, sum(agree)::int AS agree, sum(disagree)::int AS disagree
		FROM comment_vote_counts WHERE comment_id IN ? GROUP BY comment_id`

// VoteCounts returns the vote counts of the comments ids that have any.
func (s *Store) VoteCounts(ctx context.Context, ids []int64) (map[int64]Counts, error) {
	out := make(map[int64]Counts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		CommentID       int64
		Agree, Disagree int
	}
	if err := database.Conn(ctx, s.db).Raw(voteCountsSQL, ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("comment store: vote counts: %w", err)
	}
	for _, r := range rows {
		out[r.CommentID] = Counts{Agree: r.Agree, Disagree: r.Disagree}
	}
	return out, nil
}
