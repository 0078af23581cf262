package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/ratelimit"
)

// The rate limits of QUALITY.md S10, held in PostgreSQL so they hold across
// instances. Subjects are the client IP (the socket peer unless it is a trusted
// proxy), the lower-cased e-mail address or the account id; all are stored only
// as keyed hashes (RATE_LIMIT_SECRET).
var (
	ruleLoginAccount  = ratelimit.Rule{Name: "login:account", Limit: 10, Window: time.Minute}
	ruleLoginFailures = ratelimit.Rule{Name: "login:failures", Limit: 100, Window: time.Hour}
	ruleResetAddress  = ratelimit.Rule{Name: "reset:address", Limit: 1, Window: 10 * time.Minute}
	ruleResetIP       = ratelimit.Rule{Name: "reset:ip", Limit: 20, Window: time.Hour}
	ruleVerifyMail    = ratelimit.Rule{Name: "verify-mail:account", Limit: 1, Window: 10 * time.Minute}
)

// loginPerIP is the per-IP login limit (LOGIN_PER_IP_PER_MINUTE); it passes
// every request when that is 0.
func (h *handlers) loginPerIP(c *gin.Context) bool {
	n := h.cfg.LoginPerIPPerMinute
	return n <= 0 || h.limit(c, ratelimit.Rule{Name: "login:ip", Limit: n, Window: time.Minute}, c.ClientIP())
}

// signUpPerIP is the per-IP sign-up limit (SIGNUP_PER_IP_PER_HOUR); it passes
// every request when that is 0.
func (h *handlers) signUpPerIP(c *gin.Context) bool {
	n := h.cfg.SignUpPerIPPerHour
	return n <= 0 || h.limit(c, ratelimit.Rule{Name: "signup:ip", Limit: n, Window: time.Hour}, c.ClientIP())
}

// limit counts this request against rule for subject; when over the limit it
// answers 429 with Retry-After, logs the hit and returns false.
func (h *handlers) limit(c *gin.Context, rule ratelimit.Rule, subject string) bool {
	if err := h.limits.Hit(c.Request.Context(), rule, subject); err != nil {
		h.limited(c, rule, err)
		return false
	}
	return true
}

// limitCheck is limit without counting the request.
func (h *handlers) limitCheck(c *gin.Context, rule ratelimit.Rule, subject string) bool {
	if err := h.limits.Check(c.Request.Context(), rule, subject); err != nil {
		h.limited(c, rule, err)
		return false
	}
	return true
}

func (h *handlers) limited(c *gin.Context, rule ratelimit.Rule, err error) {
	if errorCode(err) == "rate_limited" {
		h.log.WarnContext(c.Request.Context(), "rate limit hit", "rule", rule.Name, "route", routeOf(c), "client_ip", c.ClientIP())
	}
	h.fail(c, err)
}

// postingCeiling is the per-IP ceiling on new contributions (QUALITY.md S11),
// above the per-account posting interval the moderation screen applies; a
// school or a library behind one address shares it.
func (h *handlers) postingCeiling(c *gin.Context) {
	if n := h.cfg.PostingPerIPPerMinute; n > 0 && !h.limit(c, ratelimit.Rule{Name: "post:ip", Limit: n, Window: time.Minute}, c.ClientIP()) {
		c.Abort()
		return
	}
	c.Next()
}

// addressKey is the rate-limit subject of an address; erasure forgets the
// counters of the same subject (ratelimit.Address).
func addressKey(email string) string { return ratelimit.Address(email) }
