package process

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/database"
)

// Store reads and writes processes and their phases.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

var processColumns = []string{"slug", "title", "summary", "summary_html", "languages"}

// Insert stores p and its phases; p must carry its phases in order. GORM sets
// CreatedAt and UpdatedAt from its clock.
func (s *Store) Insert(ctx context.Context, p *Process) error {
	err := database.Conn(ctx, s.db).Select(processColumns).Create(p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("process store: insert %q: %w", p.Slug, err)
	}
	return s.insertPhases(ctx, p)
}

func (s *Store) insertPhases(ctx context.Context, p *Process) error {
	for i := range p.Phases {
		p.Phases[i].ProcessID = p.ID
		p.Phases[i].Position = i
	}
	if len(p.Phases) == 0 {
		return nil
	}
	if err := database.Conn(ctx, s.db).Create(&p.Phases).Error; err != nil {
		return fmt.Errorf("process store: insert phases of %q: %w", p.Slug, err)
	}
	return nil
}

// Update writes the named columns of p (from processColumns) and, when phases is
// true, replaces its phases; updated_at is set to now by the database.
func (s *Store) Update(ctx context.Context, p *Process, columns []string, phases bool) error {
	updates := map[string]any{"updated_at": gorm.Expr("now()")}
	for _, c := range columns {
		switch c {
		case "title":
			updates[c] = p.Title
		case "summary":
			updates[c] = p.Summary
		case "summary_html":
			updates[c] = p.SummaryHTML
		case "languages":
			updates[c] = p.Languages
		default:
			return fmt.Errorf("process store: update: unknown column %q", c)
		}
	}
	if err := database.Conn(ctx, s.db).Model(&Process{}).Where("id = ?", p.ID).Updates(updates).Error; err != nil {
		return fmt.Errorf("process store: update %q: %w", p.Slug, err)
	}
	if phases {
		if err := database.Conn(ctx, s.db).Where("process_id = ?", p.ID).Delete(&Phase{}).Error; err != nil {
			return fmt.Errorf("process store: replace phases of %q: %w", p.Slug, err)
		}
		if err := s.insertPhases(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// BySlug returns the process with its phases, or ErrNotFound. With forUpdate it
// locks the row until the transaction in ctx ends.
func (s *Store) BySlug(ctx context.Context, slug string, forUpdate bool) (Process, error) {
	return s.by(ctx, "slug = ?", slug, forUpdate)
}

// ByID returns the process with id and its phases.
func (s *Store) ByID(ctx context.Context, id int64) (Process, error) {
	return s.by(ctx, "id = ?", id, false)
}

func (s *Store) by(ctx context.Context, where string, arg any, forUpdate bool) (Process, error) {
	var p Process
	q := database.Conn(ctx, s.db).Where(where, arg)
	if forUpdate {
		q = q.Clauses(lockingClause)
	}
	err := q.Take(&p).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return Process{}, ErrNotFound
	case err != nil:
		return Process{}, fmt.Errorf("process store: by %v: %w", arg, err)
	}
	ps := []Process{p}
	if err := s.loadPhases(ctx, ps); err != nil {
		return Process{}, err
	}
	return ps[0], nil
}

// publishSQL opens a process to the public, once: a published process keeps
// its first publication time; it returns nothing.
const publishSQL = "UPDATE processes SET published_at = coalesce(published_at, ?) WHERE id = ?"

// Publish marks the process public from now on (no change when it is already).
func (s *Store) Publish(ctx context.Context, id int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(publishSQL, now, id).Error; err != nil {
		return fmt.Errorf("process store: publish %d: %w", id, err)
	}
	return nil
}

// Page returns up to limit processes with id below before (0 for the first
// page), newest first, and whether more follow.
func (s *Store) Page(ctx context.Context, before int64, limit int) ([]Process, bool, error) {
	var ps []Process
	q := database.Conn(ctx, s.db).Order("id DESC").Limit(limit + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if err := q.Find(&ps).Error; err != nil {
		return nil, false, fmt.Errorf("process store: page: %w", err)
	}
	more := len(ps) > limit
	if more {
		ps = ps[:limit]
	}
	if err := s.loadPhases(ctx, ps); err != nil {
		return nil, false, err
	}
	return ps, more, nil
}

// loadPhases fills the phases of ps with one query.
func (s *Store) loadPhases(ctx context.Context, ps []Process) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	index := make(map[int64]int, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
		index[p.ID] = i
	}
	var phases []Phase
	if err := database.Conn(ctx, s.db).Where("process_id IN ?", ids).Order("process_id, position").Find(&phases).Error; err != nil {
		return fmt.Errorf("process store: load phases: %w", err)
	}
	for _, ph := range phases {
		i := index[ph.ProcessID]
		ps[i].Phases = append(ps[i].Phases, ph)
	}
	return nil
}

var lockingClause = clause.Locking{Strength: "UPDATE"}

// heldRole is one role an account holds in a process, with the forum seat.
type heldRole struct {
	Role         Role   `gorm:"column:role"`
	Seat         Seat   `gorm:"column:seat"`
	Organisation string `gorm:"column:organisation"`
}

// rolesOfSQL lists the roles one account holds in one process, with the forum seat.
const rolesOfSQL = `SELECT role, coalesce(seat, '') AS seat, coalesce(organisation, '') AS organisation
FROM process_roles WHERE process_id = ? AND user_id = ?`

// RolesOf returns the roles userID holds in the process.
func (s *Store) RolesOf(ctx context.Context, processID, userID int64) ([]heldRole, error) {
	var rows []heldRole
	if err := database.Conn(ctx, s.db).Raw(rolesOfSQL, processID, userID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("process store: roles of %d in %d: %w", userID, processID, err)
	}
	return rows, nil
}

// IDOf returns the id of the process with slug, or ErrNotFound.
func (s *Store) IDOf(ctx context.Context, slug string) (int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw("SELECT id FROM processes WHERE slug = ?", slug).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("process store: id of %q: %w", slug, err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// HasRole reports whether the account holds role in the process.
func (s *Store) HasRole(ctx context.Context, processID, userID int64, role Role) (bool, error) {
	var n int64
	err := database.Conn(ctx, s.db).Model(&Grant{}).
		Where("process_id = ? AND user_id = ? AND role = ?", processID, userID, role).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("process store: role check: %w", err)
	}
	return n > 0, nil
}

// Grants lists the role holders of a process with their public names, by
// role, then by when they were granted.
func (s *Store) Grants(ctx context.Context, processID int64) ([]Grant, error) {
	var gs []Grant
	err := database.Conn(ctx, s.db).Table("process_roles r").
		Select("r.*, coalesce(u.display_name, u.pseudonym) AS name").
		Joins("JOIN users u ON u.id = r.user_id").
		Where("r.process_id = ?", processID).Order("r.role, r.granted_at, r.user_id").Scan(&gs).Error
	if err != nil {
		return nil, fmt.Errorf("process store: roles of %d: %w", processID, err)
	}
	return gs, nil
}

// LiveAccount reports whether the account exists and is not deleted.
func (s *Store) LiveAccount(ctx context.Context, userID int64) (bool, error) {
	var live int64
	if err := database.Conn(ctx, s.db).Table("users").Where("id = ? AND deleted_at IS NULL", userID).Count(&live).Error; err != nil {
		return false, fmt.Errorf("process store: account %d: %w", userID, err)
	}
	return live > 0, nil
}

// grantSQL gives a role, or updates a held role's seat and organisation, and
// returns the row.
const grantSQL = `INSERT INTO process_roles (process_id, user_id, role, seat, organisation, granted_by)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (process_id, user_id, role) DO UPDATE SET seat = EXCLUDED.seat, organisation = EXCLUDED.organisation
RETURNING process_id, user_id, role, seat, organisation, granted_by, granted_at`

// holderNameSQL returns an account's public name.
const holderNameSQL = `SELECT coalesce(display_name, pseudonym) FROM users WHERE id = ?`

// Grant gives the account a role in the process (or updates a forum member's
// seat and organisation) and returns the grant with the holder's public name;
// by is the granting account, nil for the command line.
func (s *Store) Grant(ctx context.Context, processID int64, in RoleInput, by *int64) (Grant, error) {
	var g Grant
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(grantSQL, processID, in.UserID, in.Role, in.Seat, in.Organisation, by).Scan(&g).Error; err != nil {
		return Grant{}, fmt.Errorf("process store: grant role: %w", err)
	}
	if err := conn.Raw(holderNameSQL, in.UserID).Scan(&g.Name).Error; err != nil {
		return Grant{}, fmt.Errorf("process store: grant role: name: %w", err)
	}
	return g, nil
}

// Revoke takes the role away, or returns ErrRoleNotFound when the account
// does not hold it.
func (s *Store) Revoke(ctx context.Context, processID, userID int64, role Role) error {
	res := database.Conn(ctx, s.db).Where("process_id = ? AND user_id = ? AND role = ?", processID, userID, role).Delete(&Grant{})
	if res.Error != nil {
		return fmt.Errorf("process store: revoke role: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrRoleNotFound
	}
	return nil
}

// endSessionsSQL revokes every live refresh token of an account.
const endSessionsSQL = `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL`

// EndSessions revokes every refresh session of the account.
func (s *Store) EndSessions(ctx context.Context, userID int64) error {
	if err := database.Conn(ctx, s.db).Exec(endSessionsSQL, userID).Error; err != nil {
		return fmt.Errorf("process store: end sessions of %d after a role change: %w", userID, err)
	}
	return nil
}
