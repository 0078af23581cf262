package process

import (
	"context"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Role is a person's part in one process.
type Role string

// The per-process roles.
const (
	RoleOwner       Role = "owner"
	RoleModerator   Role = "moderator"
	RoleForumMember Role = "forum_member"
)

// Seat is the side a forum member sits for.
type Seat string

// The forum's seats.
const (
	SeatGovernment   Seat = "government"
	SeatCivilSociety Seat = "civil_society"
	SeatOther        Seat = "other"
)

// Grant is one row of process_roles, with the public names of the holder and
// of the account that granted it.
type Grant struct {
	ProcessID     int64     `gorm:"column:process_id"`
	UserID        int64     `gorm:"column:user_id"`
	Role          Role      `gorm:"column:role"`
	Seat          *Seat     `gorm:"column:seat"`
	Organisation  *string   `gorm:"column:organisation"`
	GrantedBy     *int64    `gorm:"column:granted_by"` // nil: the command line, or an account since removed
	GrantedAt     time.Time `gorm:"column:granted_at"`
	Name          string    `gorm:"column:name;->"`
	GrantedByName *string   `gorm:"column:granted_by_name;->"`
}

// TableName maps Grant to its table.
func (Grant) TableName() string { return "process_roles" }

// Errors of role management.
var (
	ErrRoleForbidden = apperr.Forbidden("process.roles_forbidden", "only an administrator, or this process's owner for moderators and forum members, may do this")
	ErrNoSuchUser    = apperr.NotFound("account.not_found", "no such account")
	ErrRoleNotFound  = apperr.NotFound("process.role_not_found", "this person does not hold this role")
)

// RoleInput names a role to grant.
type RoleInput struct {
	UserID       int64
	Role         Role
	Seat         *Seat
	Organisation *string
}

// HasRole reports whether user holds role in the process.
func (s *Service) HasRole(ctx context.Context, processID, userID int64, role Role) (bool, error) {
	if userID == 0 {
		return false, nil
	}
	return s.store.HasRole(ctx, processID, userID, role)
}

// canManageRole: administrators manage every role; a process's owner manages
// its moderators and forum members.
func (s *Service) canManageRole(ctx context.Context, actor auth.Principal, p Process, role Role) error {
	ab := GrantRoles
	if role == RoleOwner {
		ab = GrantOwners
	}
	_, err := s.Require(ctx, actor, p.ID, ab, ErrRoleForbidden)
	return err
}

// Roles lists the role holders of a process, with who granted each role and
// when, for its owner or an administrator.
func (s *Service) Roles(ctx context.Context, actor auth.Principal, slug string) ([]Grant, error) {
	p, err := s.store.BySlug(ctx, slug, false)
	if err != nil {
		return nil, err
	}
	if err := s.Readable(ctx, actor, p); err != nil {
		return nil, err
	}
	if err := s.canManageRole(ctx, actor, p, RoleModerator); err != nil {
		return nil, err
	}
	return s.store.Grants(ctx, p.ID)
}

// GrantRole gives a person a role in a process (or updates a forum member's seat
// and organisation) and ends the person's sessions, so the change shows at once.
func (s *Service) GrantRole(ctx context.Context, actor auth.Principal, slug string, in RoleInput) (Grant, error) {
	var f apperr.Fields
	switch in.Role {
	case RoleOwner, RoleModerator:
		if in.Seat != nil {
			f.Add("seat", "not_allowed", "only forum members have a seat")
		}
	case RoleForumMember:
		if in.Seat == nil {
			f.Add("seat", "required", "a forum member sits for government, civil_society or other")
		} else if *in.Seat != SeatGovernment && *in.Seat != SeatCivilSociety && *in.Seat != SeatOther {
			f.Add("seat", "enum", "government, civil_society or other")
		}
	default:
		f.Add("role", "enum", "owner, moderator or forum_member")
	}
	if in.Organisation != nil {
		o := strings.TrimSpace(*in.Organisation)
		if len([]rune(o)) > 200 {
			f.Add("organisation", "max", "at most 200 characters")
		}
		in.Organisation = &o
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Grant{}, err
	}
	var g Grant
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		p, err := s.store.BySlug(ctx, slug, false)
		if err != nil {
			return err
		}
		if err := s.canManageRole(ctx, actor, p, in.Role); err != nil {
			return err
		}
		live, err := s.store.LiveAccount(ctx, in.UserID)
		if err != nil {
			return err
		}
		if !live {
			return ErrNoSuchUser
		}
		var by *int64
		if actor.UserID > 0 {
			by = &actor.UserID
		}
		if g, err = s.store.Grant(ctx, p.ID, in, by); err != nil {
			return err
		}
		return s.store.EndSessions(ctx, in.UserID)
	})
	return g, err
}

// RevokeRole takes a role away and ends the person's sessions.
func (s *Service) RevokeRole(ctx context.Context, actor auth.Principal, slug string, userID int64, role Role) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		p, err := s.store.BySlug(ctx, slug, false)
		if err != nil {
			return err
		}
		if err := s.canManageRole(ctx, actor, p, role); err != nil {
			return err
		}
		if err := s.store.Revoke(ctx, p.ID, userID, role); err != nil {
			return err
		}
		return s.store.EndSessions(ctx, userID)
	})
}
