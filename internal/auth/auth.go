// Package auth names the permissions routes require and the principal a request
// acts as. Accounts and per-process roles arrive with the accounts issue; until
// then the only principals are anonymous and the bootstrap administrator.
package auth

// Permission is a named right; every route in api/server.go names the one it needs.
type Permission string

// The permissions known so far.
const (
	PermProcessManage Permission = "process:manage"
)

// Principal is who a request acts as.
type Principal struct {
	// Admin is true for the bootstrap administrator (TEMPORARY, see config).
	Admin bool
}

// Anonymous is the principal of a request without credentials.
var Anonymous = Principal{}

// Authenticated reports whether the principal proved who it is.
func (p Principal) Authenticated() bool { return p.Admin }

// Can reports whether the principal holds perm; anything not granted is denied.
func (p Principal) Can(perm Permission) bool {
	switch perm {
	case PermProcessManage:
		return p.Admin
	}
	return false
}
