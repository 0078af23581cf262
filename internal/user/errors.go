package user

import "cocreate/internal/apperr"

// CodeInvalid is the code of validation errors; the field list says what is wrong.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "account.invalid")

// Errors the account service returns; their codes are part of the API contract.
var (
	ErrEmailTaken     = apperr.Conflict("account.email_taken", "an account with this e-mail address exists")
	ErrBadCredentials = apperr.Unauthenticated("auth.bad_credentials", "the e-mail address or password is wrong")
	ErrBadEmailToken  = apperr.Invalid("account.token_invalid", apperr.FieldError{Field: "token", Code: "token", Message: "the link is invalid, used or expired"})
	ErrRefreshInvalid = apperr.Unauthenticated("auth.session_expired", "the session has ended; sign in again")
	ErrSuspended      = apperr.Forbidden("account.suspended", "this account is suspended")
	ErrNotFound       = apperr.NotFound("account.not_found", "no such account")
	ErrNotSystem      = apperr.Forbidden("account.forbidden", "only the command line may provision accounts")
)
