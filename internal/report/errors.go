package report

import "cocreate/internal/apperr"

// CodeInvalid is the code of the report's validation errors.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "report.invalid")

// Errors of reports.
var (
	ErrNotOwner = apperr.Forbidden("report.not_owner", "only the process's owners may preview and publish its report")
	ErrNotFound = apperr.NotFound("report.not_found", "no such report")
	// ErrNotAnalyst refuses the team's analytics to people outside the team.
	ErrNotAnalyst = apperr.Forbidden("report.not_analyst", "only the process's owners, moderators and forum members may read its analytics")
)
