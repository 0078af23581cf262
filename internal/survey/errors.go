package survey

import "cocreate/internal/apperr"

// The errors of surveys, with their stable codes.
var (
	ErrNotFound       = apperr.NotFound("survey.not_found", "no such survey")
	ErrForbidden      = apperr.Forbidden("survey.forbidden", "only the process's owners edit its surveys")
	ErrAnswered       = apperr.Conflict("survey.answered", "the survey has answers: its questions can no longer change")
	ErrNotOpen        = apperr.Conflict("survey.not_open", "the survey is not open: it opens when its phase closes and closes 30 days later")
	ErrAlreadyDone    = apperr.Conflict("survey.already_answered", "you have already answered this survey")
	ErrNotParticipant = apperr.Forbidden("survey.not_participant", "only the people who took part in the phase may answer its survey")
)

// CodeInvalid is the code of bad questions or answers.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "survey.invalid")
