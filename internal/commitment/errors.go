package commitment

import "cocreate/internal/apperr"

// CodeInvalid is the code of the implementation phase's validation errors.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "commitment.invalid")

// Errors of the implementation phase.
var (
	ErrNotFound          = apperr.NotFound("commitment.not_found", "no such commitment")
	ErrUpdateNotFound    = apperr.NotFound("commitment.update_not_found", "no such progress update")
	ErrQuestionNotFound  = apperr.NotFound("commitment.question_not_found", "no such question")
	ErrForbidden         = apperr.Forbidden("commitment.forbidden", "only an administrator or this process's owner may do this")
	ErrNotWriter         = apperr.Forbidden("commitment.not_writer", "only the commitment's working group, the process's owners and its forum write progress updates")
	ErrCannotPublish     = apperr.Forbidden("commitment.cannot_publish", "a government update is published by the process's owners or a government member of the working group or the forum")
	ErrNotForumMember    = apperr.Forbidden("commitment.not_forum_member", "only the forum's members sign joint updates")
	ErrNotAnswerer       = apperr.Forbidden("commitment.not_answerer", "questions are answered by the lead institution (owners, government members of the working group) or the forum")
	ErrNotModerator      = apperr.Forbidden("commitment.not_moderator", "only the process's moderators and owners may hide a question")
	ErrStale             = apperr.Conflict("commitment.stale", "it changed since you loaded it; reload and try again")
	ErrWithdrawn         = apperr.Conflict("commitment.withdrawn", "the commitment was withdrawn")
	ErrMilestoneReported = apperr.Conflict("commitment.milestone_reported", "a published progress update reports this milestone: it cannot be removed")
	ErrPublished         = apperr.Conflict("commitment.published", "the update is published and cannot change; publish a correction instead")
	ErrWrongKind         = apperr.Conflict("commitment.wrong_kind", "a government update is published by its writers, a joint update by the forum's signatures")
	ErrAlreadySigned     = apperr.Conflict("commitment.already_signed", "you already signed or dissented on this update")
	ErrSuperseded        = apperr.Conflict("commitment.superseded", "that update was already corrected")
	ErrAnswered          = apperr.Conflict("commitment.answered", "the question has its answer")
	ErrAlreadyPaused     = apperr.Conflict("commitment.already_paused", "the answer clock of a question can be paused once")
	ErrHidden            = apperr.Conflict("commitment.hidden", "the question was hidden")
)
