package api

import (
	"errors"
	"strings"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/user"
)

// Errors of authentication and route-level permission.
var (
	errAuthRequired = apperr.Unauthenticated("auth.required", "sign in to do this")
	errAuthInvalid  = apperr.Unauthenticated("auth.invalid_token", "the credentials are not valid")
	errForbidden    = apperr.Forbidden("auth.forbidden", "you may not do this")
)

const principalKey = "cocreate.principal"

// authenticate reads the Authorization header and records the principal: none
// is anonymous; a valid access token is its account; anything else is 401.
func (h *handlers) authenticate(c *gin.Context) {
	hdr := c.GetHeader("Authorization")
	if hdr == "" {
		c.Set(principalKey, auth.Anonymous)
		c.Next()
		return
	}
	token, ok := strings.CutPrefix(hdr, "Bearer ")
	if !ok {
		h.denyToken(c)
		return
	}
	p, _, err := h.accounts.Principal(c.Request.Context(), token)
	if err != nil {
		if errors.Is(err, user.ErrInvalidToken) {
			h.denyToken(c)
		} else {
			h.fail(c, err)
		}
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

func (h *handlers) denyToken(c *gin.Context) { h.fail(c, errAuthInvalid) }

// requireAuth lets through any authenticated principal, suspended or not (for
// reading one's own account); writes name a permission instead.
func (h *handlers) requireAuth(c *gin.Context) {
	if !actorFrom(c).Authenticated() {
		h.fail(c, errAuthRequired)
		return
	}
	c.Next()
}

// actorFrom returns the principal authenticate recorded.
func actorFrom(c *gin.Context) auth.Principal {
	p, _ := c.Get(principalKey)
	if pr, ok := p.(auth.Principal); ok {
		return pr
	}
	return auth.Anonymous
}

// requirePerm lets a request through only when its principal holds perm: 401 for
// the anonymous, 403 for the others. Object-level checks stay in the services.
func (h *handlers) requirePerm(perm auth.Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := actorFrom(c)
		switch {
		case !p.Authenticated():
			h.fail(c, errAuthRequired)
		case !p.Can(perm):
			h.fail(c, errForbidden.WithMessage("this needs the %s permission", perm))
		default:
			c.Next()
		}
	}
}
