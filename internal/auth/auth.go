// Package auth names the permissions routes require, the principal a request
// acts as, and the access tokens that prove it. Route-level permissions say who
// may try; object-level rules (owner of this process, ...) live in the services.
package auth

// Permission is a named right; every route in api/server.go names the one it needs.
type Permission string

// The permissions known so far.
const (
	PermProcessCreate Permission = "process:create"     // administrators
	PermProcessEdit   Permission = "process:edit"       // administrators and the process's owners (checked in the service)
	PermRolesManage   Permission = "roles:manage"       // administrators; owners for their process's moderators and forum members (service)
	PermAccountSelf   Permission = "account:self"       // read and change one's own account
	PermContribute    Permission = "contribution:write" // comment, reply, vote, edit or delete one's own (any active account)
	PermDocumentEdit  Permission = "document:edit"      // create documents, import and publish versions (owners, checked in the service)
	PermModerate      Permission = "moderation:decide"  // work a process's moderation queue (its moderators and owners, checked in the service)
	PermRespond       Permission = "forum:respond"      // cluster contributions, draft, sign and dissent on responses (the process's forum members, checked in the service)
)

// Principal is who a request acts as.
type Principal struct {
	UserID    int64 // 0 for the anonymous
	Admin     bool
	Suspended bool // a suspended account may read but not write
	Verified  bool // the account's e-mail address is confirmed
}

// Anonymous is the principal of a request without credentials.
var Anonymous = Principal{}

// System is the principal of the binary's own commands (seed, grant-admin),
// run by an operator at the command line; never the principal of a request.
var System = Principal{UserID: -1, Admin: true}

// Authenticated reports whether the principal proved who it is.
func (p Principal) Authenticated() bool { return p.UserID > 0 }

// Can reports whether the principal holds perm; anything not granted is denied.
func (p Principal) Can(perm Permission) bool {
	if p.Suspended || p.UserID == 0 {
		return false
	}
	switch perm {
	case PermProcessCreate:
		return p.Admin
	case PermProcessEdit, PermRolesManage, PermAccountSelf, PermContribute, PermDocumentEdit, PermModerate, PermRespond:
		return true
	}
	return false
}
