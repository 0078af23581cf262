package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/logging"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID takes a well-formed X-Request-ID from the caller (a proxy's) or makes
// one, puts it on the context for the logger and echoes it in the response.
func requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Request = c.Request.WithContext(logging.WithRequestID(c.Request.Context(), id))
	c.Header("X-Request-ID", id)
	c.Next()
}

// accessLog writes one line per request, after it is answered.
func (h *handlers) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	h.log.Log(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", routeOf(c)),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", c.Writer.Size()),
		slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("client_ip", c.ClientIP()),
	)
}

// routeOf is the route template ("/api/v1/processes/:slug"), never the raw path,
// so logs and metrics stay bounded in cardinality.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// recovery turns a panic into a logged 500 with the error envelope.
func (h *handlers) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			h.log.ErrorContext(c.Request.Context(), "panic",
				slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(debug.Stack())))
			if !c.Writer.Written() {
				h.fail(c, errInternal)
			} else {
				c.Abort()
			}
		}
	}()
	c.Next()
}

// limitBody caps every request body (MAX_BODY_BYTES; UPLOAD_MAX_BYTES on
// routes that take a file); reading past the cap fails, and bind answers 413.
// A declared length over the cap is refused before reading.
func (h *handlers) limitBody(c *gin.Context) {
	limit := h.bodyLimit(c)
	if c.Request.ContentLength > limit {
		h.fail(c, errTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// contentSecurityPolicy is sent with every response: it confines the SPA to its
// own origin and forbids plugins, base rewriting and framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func securityHeaders(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	hd.Set("X-Frame-Options", "DENY")
	c.Next()
}

// statusText renders a status code as a metrics label.
func statusText(code int) string { return strconv.Itoa(code) }
