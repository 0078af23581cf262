package comment

import (
	"context"

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

// vote stores v (0 retracts) under the voter's lock, so one person's votes
// apply in turn, and returns the comment's counts after it.
func (s *Service) vote(ctx context.Context, actor auth.Principal, commentID int64, v Vote) (VoteState, error) {
	if !actor.Can(auth.PermContribute) {
		return VoteState{}, ErrForbidden
	}
	var out voted
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.LockVote(ctx, commentID, actor.UserID); err != nil {
			return err
		}
		var err error
		if out, err = s.store.Vote(ctx, commentID, actor.UserID, v); err != nil {
			return err
		}
		if !out.Found {
			return ErrNotFound
		}
		if !out.Replyable {
			if err := s.heldFrom(ctx, actor, commentID); err != nil {
				return err
			}
			if v != 0 {
				return ErrNotReplyable
			}
		}
		return s.changedVotes(ctx, out.DocumentID, out.AnchorKey)
	})
	if err != nil {
		return VoteState{}, err
	}
	return VoteState{CommentID: commentID, DocumentID: out.DocumentID, Agree: out.Agree, Disagree: out.Disagree, Mine: v}, nil
}

// MyVotes returns actor's votes on the comments of a document.
func (s *Service) MyVotes(ctx context.Context, actor auth.Principal, docID int64) (map[int64]Vote, error) {
	return s.store.MyVotes(ctx, actor.UserID, docID)
}

// MyVotesOnUpdate returns actor's votes on the comments of a progress update.
func (s *Service) MyVotesOnUpdate(ctx context.Context, actor auth.Principal, updateID int64) (map[int64]Vote, error) {
	return s.store.MyVotesOnUpdate(ctx, actor.UserID, updateID)
}

// MyVotesOnIdea returns actor's votes on the comments of an idea.
func (s *Service) MyVotesOnIdea(ctx context.Context, actor auth.Principal, ideaID int64) (map[int64]Vote, error) {
	return s.store.MyVotesOnIdea(ctx, actor.UserID, ideaID)
}

// VoteCounts returns the vote counts of the comments ids (Comments unset); a
// comment without votes is absent. A cached thread's counts are brought up
// to date with it after votes, without reading the thread again.
func (s *Service) VoteCounts(ctx context.Context, ids []int64) (map[int64]Counts, error) {
	return s.store.VoteCounts(ctx, ids)
}
