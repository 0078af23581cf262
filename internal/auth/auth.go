// Package auth names the permissions routes require, the principal a request
// acts as, and the access tokens that prove it.
package auth

// Permission is a named right; every route in api/server.go names the one it needs.
type Permission string

// The permissions known so far.
const (
	PermProcessManage Permission = "process:manage"
	PermAccountSelf   Permission = "account:self" // read and change one's own account
)

// Principal is who a request acts as.
type Principal struct {
	UserID    int64 // 0 for the anonymous and the bootstrap administrator
	Admin     bool
	Suspended bool // a suspended account may read but not write
	Verified  bool // the account's e-mail address is confirmed
}

// Anonymous is the principal of a request without credentials.
var Anonymous = Principal{}

// BootstrapAdmin is the TEMPORARY administrator of BOOTSTRAP_ADMIN_TOKEN, until
// per-process roles and admin grants exist.
var BootstrapAdmin = Principal{Admin: true}

// Authenticated reports whether the principal proved who it is.
func (p Principal) Authenticated() bool { return p.UserID > 0 || p.Admin }

// Can reports whether the principal holds perm; anything not granted is denied.
func (p Principal) Can(perm Permission) bool {
	if p.Suspended {
		return false
	}
	switch perm {
	case PermProcessManage:
		return p.Admin
	case PermAccountSelf:
		return p.UserID > 0
	}
	return false
}
