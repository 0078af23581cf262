package comment

import (
	"context"
	"fmt"
	"math/rand/v2"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Vote is a person's stance on a comment.
type Vote int

// The votes.
const (
	Agree    Vote = 1
	Disagree Vote = -1
)

// VoteState is a comment's counts after a vote, and the voter's vote (0 for none).
type VoteState struct {
	CommentID  int64
	DocumentID int64
	Agree      int
	Disagree   int
	Mine       Vote
}

// Cast records actor's vote on a comment, replacing an earlier one. Counters
// are spread over shards, so many voters on one comment do not queue on a row;
// one person's votes are serialised so the counters stay exact.
func (s *Service) Cast(ctx context.Context, actor auth.Principal, commentID int64, v Vote) (VoteState, error) {
	return s.vote(ctx, actor, commentID, v)
}

// Retract removes actor's vote on a comment, if any.
func (s *Service) Retract(ctx context.Context, actor auth.Principal, commentID int64) (VoteState, error) {
	return s.vote(ctx, actor, commentID, 0)
}

func (s *Service) vote(ctx context.Context, actor auth.Principal, commentID int64, v Vote) (VoteState, error) {
	if !actor.Can(auth.PermContribute) {
		return VoteState{}, ErrForbidden
	}
	var out []struct {
		Found      bool
		Replyable  bool
		Agree      int
		Disagree   int
		DocumentID int64
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		conn := database.Conn(ctx, s.db)
		// A missing comment gives NULL keys, and the lock functions then lock nothing.
		if err := conn.Exec(`SELECT pg_advisory_xact_lock_shared(?, (SELECT document_id::int FROM comments WHERE id = ?)),
			pg_advisory_xact_lock_shared(?, ?), pg_advisory_xact_lock(?, ?)`,
			database.LockDocument, commentID, database.LockComment, int32(commentID), database.LockVoter, int32(actor.UserID)).Error; err != nil {
			return fmt.Errorf("comment: vote lock: %w", err)
		}
		q := voteSQL
		if v == 0 {
			q = retractSQL
		}
		if err := conn.Raw(q, map[string]any{"c": commentID, "u": actor.UserID, "v": int(v), "shard": rand.IntN(shards)}).Scan(&out).Error; err != nil {
			return fmt.Errorf("comment: vote: %w", err)
		}
		if len(out) == 0 || !out[0].Found {
			return ErrNotFound
		}
		if !out[0].Replyable && v != 0 {
			return ErrNotReplyable
		}
		return s.changed(ctx, out[0].DocumentID)
	})
	if err != nil {
		return VoteState{}, err
	}
	return VoteState{CommentID: commentID, DocumentID: out[0].DocumentID, Agree: out[0].Agree, Disagree: out[0].Disagree, Mine: v}, nil
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
	SELECT true AS found, c.ok AS replyable, c.document_id,
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
	SELECT true AS found, c.ok AS replyable, c.document_id,
		(SELECT coalesce(sum(agree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT da FROM d), 0) AS agree,
		(SELECT coalesce(sum(disagree), 0) FROM comment_vote_counts WHERE comment_id = @c) + coalesce((SELECT dd FROM d), 0) AS disagree
	FROM c`

// MyVotes returns actor's votes on the comments of a document.
func (s *Service) MyVotes(ctx context.Context, actor auth.Principal, docID int64) (map[int64]Vote, error) {
	return s.myVotes(ctx, actor, "c.document_id = ?", docID)
}

// MyVotesOnIdea returns actor's votes on the comments of an idea.
func (s *Service) MyVotesOnIdea(ctx context.Context, actor auth.Principal, ideaID int64) (map[int64]Vote, error) {
	return s.myVotes(ctx, actor, "c.idea_id = ?", ideaID)
}

// myVotes returns actor's votes on the comments matching target (a fixed
// condition on c, the comment, with one parameter).
func (s *Service) myVotes(ctx context.Context, actor auth.Principal, target string, id int64) (map[int64]Vote, error) {
	var rows []struct {
		CommentID int64
		Value     int
	}
	err := database.Conn(ctx, s.db).Raw(`SELECT v.comment_id, v.value FROM comment_votes v JOIN comments c ON c.id = v.comment_id
		WHERE v.user_id = ? AND `+target, actor.UserID, id).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("comment: my votes: %w", err)
	}
	out := make(map[int64]Vote, len(rows))
	for _, r := range rows {
		out[r.CommentID] = Vote(r.Value)
	}
	return out, nil
}
