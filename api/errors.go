package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/database"
	"cocreate/internal/logging"
)

// errorBody is the one error envelope every failing response uses.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string              `json:"code"`
	Message   string              `json:"message"`
	RequestID string              `json:"request_id,omitempty"`
	Fields    []apperr.FieldError `json:"fields,omitempty"`
}

// statusOf is the only mapping from error kinds to HTTP statuses.
var statusOf = map[apperr.Kind]int{
	apperr.KindMalformed:       http.StatusBadRequest,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.KindInvalid:         http.StatusUnprocessableEntity,
	apperr.KindRateLimited:     http.StatusTooManyRequests,
	apperr.KindUnavailable:     http.StatusServiceUnavailable,
}

// Errors raised at the HTTP boundary itself.
var (
	errRouteNotFound = apperr.NotFound("route.not_found", "no such API route")
	errInternal      = apperr.Internal("internal", "internal error; the request id identifies it in the server log")
	errUnavailable   = apperr.Unavailable("service.unavailable", "the service cannot answer right now; try again shortly")
)

// fail writes err as the error envelope and aborts the chain. Errors that are not
// an apperr.Error are logged with the request id and answered 500 without detail.
func (h *handlers) fail(c *gin.Context, err error) {
	ctx := c.Request.Context()
	e, ok := apperr.As(err)
	status := http.StatusInternalServerError
	if ok {
		if s, known := statusOf[e.Kind]; known {
			status = s
		}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		// Every refusal is logged with who, what and from where (UTC timestamps).
		h.log.WarnContext(ctx, "access denied", "code", e.Code, "route", routeOf(c), "method", c.Request.Method,
			"user_id", actorFrom(c).UserID, "client_ip", c.ClientIP())
	}
	if ok && e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if status == http.StatusInternalServerError {
		if database.Unavailable(err) {
			// PostgreSQL is down, restarting or out of connections: say "try again".
			e, status = errUnavailable, http.StatusServiceUnavailable
			c.Header("Retry-After", "5")
			h.log.WarnContext(ctx, "database unavailable", slog.String("error", err.Error()))
		} else if errors.Is(err, ctx.Err()) && ctx.Err() != nil {
			// The client went away or the request deadline passed: not our fault,
			// and nobody reads the answer.
			e, status = errUnavailable, http.StatusServiceUnavailable
			h.log.WarnContext(ctx, "request abandoned", slog.String("error", err.Error()))
		} else {
			h.log.ErrorContext(ctx, "request failed", slog.String("error", err.Error()))
			e = errInternal
		}
	}
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, Fields: e.Fields, RequestID: logging.RequestID(ctx),
	}})
}

// errorCode is the stable code of err, for logs ("internal" when it has none).
func errorCode(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return "internal"
}
