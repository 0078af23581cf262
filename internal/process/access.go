package process

import (
	"context"

	"cocreate/internal/auth"
)

// Ability is one thing a person may do in a process. Routes say who may try
// (auth.Permission); abilities say who may do it in this process.
type Ability int

// The abilities, and who holds them (administrators hold all but Respond).
const (
	// Manage: change the process, its documents, versions and settings, and
	// see what is not public yet. Owners.
	Manage Ability = iota
	// GrantRoles: name and remove moderators and forum members. Owners.
	GrantRoles
	// GrantOwners: name and remove owners. Administrators only.
	GrantOwners
	// Moderate: work the moderation queue and read its settings. Moderators and owners.
	Moderate
	// DecideEscalated: decide escalated items and change moderation settings. Owners.
	DecideEscalated
	// SeeHeld: read contributions held or hidden by moderation. Moderators and owners.
	SeeHeld
	// MergeIdeas: merge a duplicate idea into another. Moderators, forum members and owners.
	MergeIdeas
	// ReadForumWork: read the forum's drafts and cluster suggestions. Forum members and owners.
	ReadForumWork
	// Respond: cluster contributions, draft, sign and dissent. Forum members
	// only, for they sign with their seat.
	Respond
)

// abilityNames name the abilities in tests and logs.
var abilityNames = [...]string{"manage", "grant_roles", "grant_owners", "moderate", "decide_escalated",
	"see_held", "merge_ideas", "read_forum_work", "respond"}

func (a Ability) String() string { return abilityNames[a] }

// Abilities lists every ability, for tables that go through all of them.
var Abilities = []Ability{Manage, GrantRoles, GrantOwners, Moderate, DecideEscalated, SeeHeld, MergeIdeas, ReadForumWork, Respond}

// holders says which roles in the process hold each ability.
var holders = map[Ability][]Role{
	Manage:          {RoleOwner},
	GrantRoles:      {RoleOwner},
	GrantOwners:     nil,
	Moderate:        {RoleOwner, RoleModerator},
	DecideEscalated: {RoleOwner},
	SeeHeld:         {RoleOwner, RoleModerator},
	MergeIdeas:      {RoleOwner, RoleModerator, RoleForumMember},
	ReadForumWork:   {RoleOwner, RoleForumMember},
	Respond:         {RoleForumMember},
}

// Access is what one person may do in one process: their roles there and,
// for a forum member, their seat. Build it with Service.Access.
type Access struct {
	ProcessID    int64
	actor        auth.Principal
	roles        map[Role]bool
	seat         Seat
	organisation string
}

// Can reports whether the person holds ability in the process. Anonymous and
// suspended accounts hold none; administrators and the command line hold
// every one but Respond, which needs a forum seat.
func (a Access) Can(ab Ability) bool {
	switch {
	case a.actor == auth.System:
		return ab != Respond
	case a.actor.Suspended || !a.actor.Authenticated():
		return false
	case a.actor.Admin && ab != Respond:
		return true
	}
	for _, r := range holders[ab] {
		if a.roles[r] {
			return true
		}
	}
	return false
}

// Has reports whether the person holds role in the process, whatever their
// account's state.
func (a Access) Has(role Role) bool { return a.roles[role] }

// Seat is a forum member's seat and organisation ("" when not a member).
func (a Access) Seat() (Seat, string) { return a.seat, a.organisation }

// Access loads what actor may do in the process, in one query (none for the
// anonymous, the suspended and the command line). Until the process is
// published it is its owners' (and administrators') only: its moderators
// and forum members hold their abilities from the publication on.
func (s *Service) Access(ctx context.Context, actor auth.Principal, processID int64) (Access, error) {
	a := Access{ProcessID: processID, actor: actor, roles: map[Role]bool{}}
	if !actor.Authenticated() || actor.Suspended {
		return a, nil
	}
	rows, public, err := s.store.RolesOf(ctx, processID, actor.UserID)
	if err != nil {
		return Access{}, err
	}
	if !public && !ownsAny(rows) {
		return a, nil
	}
	for _, r := range rows {
		a.roles[r.Role] = true
		if r.Role == RoleForumMember {
			a.seat, a.organisation = r.Seat, r.Organisation
		}
	}
	return a, nil
}

// ownsAny reports whether the roles include the owner's.
func ownsAny(rows []heldRole) bool {
	for _, r := range rows {
		if r.Role == RoleOwner {
			return true
		}
	}
	return false
}

// Require returns the person's access when they hold ability, or denied.
func (s *Service) Require(ctx context.Context, actor auth.Principal, processID int64, ab Ability, denied error) (Access, error) {
	a, err := s.Access(ctx, actor, processID)
	if err != nil {
		return Access{}, err
	}
	if !a.Can(ab) {
		return Access{}, denied
	}
	return a, nil
}

// GetFor returns the process with slug and the person's access to it, when
// they hold ability there; denied otherwise.
func (s *Service) GetFor(ctx context.Context, actor auth.Principal, slug string, ab Ability, denied error) (Process, Access, error) {
	p, err := s.Get(ctx, slug)
	if err != nil {
		return Process{}, Access{}, err
	}
	a, err := s.Require(ctx, actor, p.ID, ab, denied)
	return p, a, err
}

// Readable returns nil when actor may read the process: it is public, or they
// manage it. An unpublished process is ErrNotFound to everyone else, so its
// existence does not show.
func (s *Service) Readable(ctx context.Context, actor auth.Principal, p Process) error {
	if p.Public() {
		return nil
	}
	_, err := s.Require(ctx, actor, p.ID, Manage, ErrNotFound)
	return err
}

// GetReadable returns the process with slug when actor may read it (see
// Readable), ErrNotFound otherwise: the one door of every public read that
// belongs to a process.
func (s *Service) GetReadable(ctx context.Context, actor auth.Principal, slug string) (Process, error) {
	p, err := s.Get(ctx, slug)
	if err != nil {
		return Process{}, err
	}
	if err := s.Readable(ctx, actor, p); err != nil {
		return Process{}, err
	}
	return p, nil
}

// GetReadableByID is GetReadable for a process known by its id (the process
// of a document, an idea, a cluster or a response).
func (s *Service) GetReadableByID(ctx context.Context, actor auth.Principal, id int64) (Process, error) {
	p, err := s.store.ByID(ctx, id)
	if err != nil {
		return Process{}, err
	}
	if err := s.Readable(ctx, actor, p); err != nil {
		return Process{}, err
	}
	return p, nil
}

// ReadableID is Readable for a process known by its id, without loading its
// phases: one indexed read of published_at, and the roles only when the
// process is not public.
func (s *Service) ReadableID(ctx context.Context, actor auth.Principal, id int64) error {
	published, err := s.store.PublishedAt(ctx, id)
	if err != nil {
		return err
	}
	if published != nil {
		return nil
	}
	_, err = s.Require(ctx, actor, id, Manage, ErrNotFound)
	return err
}

// RequireManage returns nil when actor manages p; otherwise ErrNotFound when
// p is not public (its existence does not show), denied when it is.
func (s *Service) RequireManage(ctx context.Context, actor auth.Principal, p Process, denied error) error {
	a, err := s.Access(ctx, actor, p.ID)
	if err != nil {
		return err
	}
	switch {
	case a.Can(Manage):
		return nil
	case !p.Public():
		return ErrNotFound
	default:
		return denied
	}
}
