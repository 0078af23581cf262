package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/ratelimit"
	"cocreate/internal/user"
)

// refreshCookie carries the refresh token: HttpOnly (no script reads it), Secure,
// SameSite=Strict (no other site can make the browser send it) and scoped to the
// session routes.
const (
	refreshCookie     = "cocreate_refresh"
	refreshCookiePath = "/api/v1/auth"
	// signedInCookie holds no secret, only "1": it tells the web app that a
	// refresh cookie may exist, so an anonymous page load does not ask for a
	// refresh it cannot get (a 401 in every visitor's console).
	signedInCookie = "cocreate_signed_in"
)

type signUpRequest struct {
	Email       string `json:"email" binding:"required,max=254"`
	DisplayName string `json:"display_name" binding:"required,max=80"`
	Password    string `json:"password" binding:"required,max=1024"`
}

type verifyEmailRequest struct {
	Token string `json:"token" binding:"required,max=128"`
}

type loginRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Password string `json:"password" binding:"required,max=1024"`
}

type accountResponse struct {
	ID            int64     `json:"id"`
	Email         string    `json:"email"`
	DisplayName   string    `json:"display_name"`
	EmailVerified bool      `json:"email_verified"`
	Admin         bool      `json:"admin"`
	CreatedAt     time.Time `json:"created_at"`
}

func toAccountResponse(u user.User) accountResponse {
	r := accountResponse{ID: u.ID, EmailVerified: u.EmailVerifiedAt != nil, Admin: u.IsAdmin, CreatedAt: u.CreatedAt.UTC()}
	if u.Email != nil {
		r.Email = *u.Email
	}
	r.DisplayName = u.Name()
	return r
}

type sessionResponse struct {
	AccessToken string          `json:"access_token"`
	ExpiresAt   time.Time       `json:"expires_at"`
	Account     accountResponse `json:"account"`
}

// signUp handles POST /api/v1/auth/signup; like a password reset, it does not
// say whether the address has an account.
func (h *handlers) signUp(c *gin.Context) {
	var req signUpRequest
	if !h.bind(c, &req) || !h.signUpPerIP(c) {
		return
	}
	u, err := h.accounts.SignUp(c.Request.Context(), user.SignUpInput{Email: req.Email, DisplayName: req.DisplayName, Password: req.Password})
	if err != nil {
		h.fail(c, err)
		return
	}
	if u.ID != 0 {
		h.log.InfoContext(c.Request.Context(), "account created", "user_id", u.ID)
	} else {
		h.log.InfoContext(c.Request.Context(), "sign-up with an address that has an account; its owner is told")
	}
	// The same answer whether or not the address had an account: the
	// e-mail, a link to confirm it or a note to its owner, says which.
	c.Status(http.StatusAccepted)
}

// verifyEmail handles POST /api/v1/auth/verify-email.
func (h *handlers) verifyEmail(c *gin.Context) {
	var req verifyEmailRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.accounts.VerifyEmail(c.Request.Context(), req.Token); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// login handles POST /api/v1/auth/login.
func (h *handlers) login(c *gin.Context) {
	var req loginRequest
	if !h.bind(c, &req) {
		return
	}
	addr := addressKey(req.Email)
	if !h.loginPerIP(c) || !h.limit(c, ruleLoginAccount, addr) || !h.limitCheck(c, ruleLoginFailures, addr) {
		return
	}
	sess, err := h.accounts.Login(c.Request.Context(), req.Email, req.Password)
	if errors.Is(err, user.ErrBadCredentials) {
		// Counted after the fact; the check above stops the next attempt.
		_ = h.limits.Hit(c.Request.Context(), ruleLoginFailures, addr)
	}
	if err != nil {
		h.log.WarnContext(c.Request.Context(), "login failed", "client_ip", c.ClientIP(), "reason", errorCode(err))
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "login", "user_id", sess.User.ID, "client_ip", c.ClientIP())
	h.startSession(c, sess)
}

// refresh handles POST /api/v1/auth/refresh: the cookie's token is exchanged
// for a new access token and a new refresh token.
func (h *handlers) refresh(c *gin.Context) {
	token, err := c.Cookie(refreshCookie)
	if err != nil || token == "" {
		h.fail(c, user.ErrRefreshInvalid)
		return
	}
	sess, err := h.accounts.Refresh(c.Request.Context(), token)
	if err != nil {
		if err == user.ErrRefreshReused {
			h.log.WarnContext(c.Request.Context(), "refresh token reused; session family revoked", "client_ip", c.ClientIP())
		}
		h.clearSessionCookie(c)
		h.fail(c, err)
		return
	}
	h.startSession(c, sess)
}

// logout handles POST /api/v1/auth/logout.
func (h *handlers) logout(c *gin.Context) {
	if token, err := c.Cookie(refreshCookie); err == nil && token != "" {
		if err := h.accounts.Logout(c.Request.Context(), token); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

// getMe handles GET /api/v1/me.
func (h *handlers) getMe(c *gin.Context) {
	u, err := h.accounts.Get(c.Request.Context(), actorFrom(c).UserID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toAccountResponse(u))
}

func (h *handlers) startSession(c *gin.Context, sess user.Session) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: refreshCookie, Value: sess.RefreshToken, Path: refreshCookiePath,
		Expires: sess.RefreshExpires, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode,
	})
	http.SetCookie(c.Writer, &http.Cookie{
		Name: signedInCookie, Value: "1", Path: "/", Expires: sess.RefreshExpires, Secure: true, SameSite: http.SameSiteStrictMode,
	})
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, sessionResponse{AccessToken: sess.AccessToken, ExpiresAt: sess.AccessExpires.UTC(), Account: toAccountResponse(sess.User)})
}

func (h *handlers) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: refreshCookie, Value: "", Path: refreshCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode,
	})
	http.SetCookie(c.Writer, &http.Cookie{Name: signedInCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, SameSite: http.SameSiteStrictMode})
}

type passwordResetRequest struct {
	Email string `json:"email" binding:"required,max=254"`
}

type passwordResetConfirmRequest struct {
	Token    string `json:"token" binding:"required,max=128"`
	Password string `json:"password" binding:"required,max=1024"`
}

type updateMeRequest struct {
	DisplayName string `json:"display_name" binding:"required,max=80"`
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password" binding:"required,max=1024"`
	NewPassword     string `json:"new_password" binding:"required,max=1024"`
}

type deleteMeRequest struct {
	Password string `json:"password" binding:"required,max=1024"`
}

// requestPasswordReset handles POST /api/v1/auth/password-reset; the answer is
// the same whether or not the address has an account.
func (h *handlers) requestPasswordReset(c *gin.Context) {
	var req passwordResetRequest
	if !h.bind(c, &req) || !h.limit(c, ruleResetIP, c.ClientIP()) || !h.limit(c, ruleResetAddress, addressKey(req.Email)) {
		return
	}
	if err := h.accounts.RequestPasswordReset(c.Request.Context(), req.Email); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

// confirmPasswordReset handles POST /api/v1/auth/password-reset/confirm.
func (h *handlers) confirmPasswordReset(c *gin.Context) {
	var req passwordResetConfirmRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.accounts.ResetPassword(c.Request.Context(), req.Token, req.Password); err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "password reset", "client_ip", c.ClientIP())
	c.Status(http.StatusNoContent)
}

// resendVerification handles POST /api/v1/me/verification-email.
func (h *handlers) resendVerification(c *gin.Context) {
	if !h.limit(c, ruleVerifyMail, ratelimit.Account(actorFrom(c).UserID)) {
		return
	}
	if err := h.accounts.ResendVerification(c.Request.Context(), actorFrom(c)); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

// updateMe handles PATCH /api/v1/me.
func (h *handlers) updateMe(c *gin.Context) {
	var req updateMeRequest
	if !h.bind(c, &req) {
		return
	}
	u, err := h.accounts.ChangeDisplayName(c.Request.Context(), actorFrom(c), req.DisplayName)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toAccountResponse(u))
}

// changePassword handles PUT /api/v1/me/password; every session ends.
func (h *handlers) changePassword(c *gin.Context) {
	var req changePasswordRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.accounts.ChangePassword(c.Request.Context(), actorFrom(c), req.CurrentPassword, req.NewPassword); err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "password changed", "user_id", actorFrom(c).UserID)
	h.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

// deleteMe handles DELETE /api/v1/me: personal data erased, sessions ended.
func (h *handlers) deleteMe(c *gin.Context) {
	var req deleteMeRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.accounts.Delete(c.Request.Context(), actorFrom(c), req.Password); err != nil {
		h.fail(c, err)
		return
	}
	h.log.InfoContext(c.Request.Context(), "account deleted", "user_id", actorFrom(c).UserID)
	h.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}
