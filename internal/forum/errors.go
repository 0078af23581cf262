package forum

import "cocreate/internal/apperr"

// CodeInvalid is the code of the forum's validation errors.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "forum.invalid")

// Errors of the forum.
var (
	ErrNotMember          = apperr.Forbidden("forum.not_member", "only the process's forum members may do this")
	ErrResponseNotFound   = apperr.NotFound("forum.response_not_found", "no such response")
	ErrClusterNotFound    = apperr.NotFound("forum.cluster_not_found", "no such cluster")
	ErrStale              = apperr.Conflict("forum.stale", "the draft changed since you read it: reload it")
	ErrPublished          = apperr.Conflict("forum.published", "the response is published: it cannot change; publish a correction instead")
	ErrAlreadySigned      = apperr.Conflict("forum.already_signed", "you have already signed or dissented on this revision")
	ErrAlreadyClustered   = apperr.Conflict("forum.already_clustered", "a contribution is already in a cluster")
	ErrSuperseded         = apperr.Conflict("forum.superseded", "that response has already been corrected")
	ErrNotOwner           = apperr.Forbidden("forum.not_owner", "only the process's owners may change its forum")
	ErrNotSigned          = apperr.Conflict("forum.not_signed", "you have not signed, dissented or recused yourself on this draft")
	ErrDeadlinePassed     = apperr.Conflict("forum.deadline_passed", "the deadline to dissent from this draft has passed; edit the draft to open it again")
	ErrMembershipNotFound = apperr.NotFound("forum.membership_not_found", "no such membership of this forum")
)

// ErrBadCursor is a cursor this service did not write.
var ErrBadCursor = apperr.Malformed("forum.bad_cursor", "the cursor is not valid")
