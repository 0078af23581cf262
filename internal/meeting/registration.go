package meeting

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/mail"
	"cocreate/internal/process"
)

// Register gives the caller a place at an open meeting, or a place on its
// waiting list once its capacity is reached; registering again returns the
// registration they have. Registration closes when the meeting ends. The
// meeting's row is locked while the places are counted, so concurrent
// registrations never give more places than the capacity.
func (s *Service) Register(ctx context.Context, actor auth.Principal, id int64) (Meeting, error) {
	if !actor.Can(auth.PermContribute) {
		return Meeting{}, ErrContributeForbidden
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		m, _, err := s.readable(ctx, actor, id, true)
		if err != nil {
			return err
		}
		switch {
		case !m.Published():
			return ErrNotPublished
		case m.Kind != KindOpen:
			return ErrNoRegistration
		case !s.opt.Now().Before(m.EndsAt):
			return ErrRegistrationClosed
		}
		status := StatusConfirmed
		if m.Capacity != nil && m.Confirmed >= *m.Capacity {
			status = StatusWaiting
		}
		return s.store.InsertRegistration(ctx, id, actor.UserID, status, s.opt.Now().UTC())
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// Unregister gives up the caller's registration; a place they leave goes to
// the first on the waiting list, who is told by e-mail.
func (s *Service) Unregister(ctx context.Context, actor auth.Principal, id int64) (Meeting, error) {
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		m, _, err := s.readable(ctx, actor, id, true)
		if err != nil {
			return err
		}
		status, found, err := s.store.DeleteRegistration(ctx, id, actor.UserID)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotRegistered
		}
		if status == StatusConfirmed {
			m.Confirmed--
		} else {
			m.Waiting--
		}
		return s.fill(ctx, m)
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// fill gives the free places of a locked open meeting to its waiting list in
// order of arrival, and e-mails each person promoted, in the caller's
// transaction.
func (s *Service) fill(ctx context.Context, m Meeting) error {
	free := m.Waiting
	if m.Capacity != nil {
		free = min(free, *m.Capacity-m.Confirmed)
	}
	if free <= 0 {
		return nil
	}
	promoted, err := s.store.Promote(ctx, m.ID, free)
	if err != nil {
		return err
	}
	link := strings.TrimRight(s.opt.PublicURL, "/") + fmt.Sprintf("/meetings/%d", m.ID)
	for _, who := range promoted {
		if who.Email == nil {
			continue
		}
		uid := who.UserID
		err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &uid, Kind: "meeting_place", To: *who.Email,
			Subject: "You have a place: " + m.Title,
			Body: fmt.Sprintf("Hello,\n\nA place came free at \"%s\", and it is yours: you were on its waiting list.\n"+
				"If you cannot come, give it up so the next person gets it:\n\n%s\n", m.Title, link)})
		if err != nil {
			return err
		}
	}
	return nil
}

// Registrant is a person registered for a meeting, as its owners see them.
type Registrant struct {
	Name         string    `gorm:"column:name"`
	Status       string    `gorm:"column:status"`
	Position     int       `gorm:"column:position"` // on the waiting list; 0 with a place
	RegisteredAt time.Time `gorm:"column:registered_at"`
}

// Registrations lists who registered for a meeting, places first, then the
// waiting list in order; the process's owners only.
func (s *Service) Registrations(ctx context.Context, actor auth.Principal, id int64) ([]Registrant, error) {
	m, a, err := s.readable(ctx, actor, id, false)
	if err != nil {
		return nil, err
	}
	if !a.Can(process.Manage) {
		return nil, ErrForbidden
	}
	return s.store.Registrants(ctx, m.ID)
}
