package meeting

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
)

// Minutes are one published version of a meeting's minutes: the text, or a
// document of the process's repository, or both; who of the forum was there
// and how many others. A version never changes; a correction is the next
// version, with its reason.
type Minutes struct {
	Version          int        `gorm:"column:version"`
	Body             string     `gorm:"column:body"`
	BodyHTML         string     `gorm:"column:body_html"`
	RepositoryItemID *int64     `gorm:"column:repository_item_id"`
	RepositoryTitle  *string    `gorm:"column:repository_title"`
	OthersPresent    int        `gorm:"column:others_present"`
	CorrectionReason *string    `gorm:"column:correction_reason"`
	PublishedAt      time.Time  `gorm:"column:published_at"`
	Attendees        []Attendee `gorm:"-"`
}

// Attendee is a member of the forum who was at the meeting.
type Attendee struct {
	MembershipID int64   `gorm:"column:membership_id"`
	Name         string  `gorm:"column:name"`
	Seat         string  `gorm:"column:seat"`
	Organisation string  `gorm:"column:organisation"`
	MemberRef    *string `gorm:"column:member_ref"`
}

// MinutesInput is a version of the minutes as the owner writes it. Corrects
// is the version it corrects (0 for the first), with CorrectionReason.
type MinutesInput struct {
	Body             string
	RepositoryItemID *int64
	Attendees        []int64 // forum memberships
	OthersPresent    int
	Corrects         int
	CorrectionReason string
}

// PublishMinutes publishes a version of a meeting's minutes, once it has
// started: the first, or a correction of the latest (which stays, as every
// version does). Owners and administrators.
func (s *Service) PublishMinutes(ctx context.Context, actor auth.Principal, id int64, in MinutesInput) (Meeting, error) {
	body := strings.TrimSpace(ledger.Normalize(in.Body))
	reason := strings.TrimSpace(ledger.Normalize(in.CorrectionReason))
	var f apperr.Fields
	if utf8.RuneCountInString(body) > MaxMinutesChars || strings.ContainsRune(body, 0) {
		f.Add("body", "length", fmt.Sprintf("at most %d characters", MaxMinutesChars))
	}
	if (body == "" || !markdown.HasVisible(body)) && in.RepositoryItemID == nil {
		f.Add("body", "required", "write the minutes, or choose them in the process's repository")
		body = ""
	}
	if in.OthersPresent < 0 || in.OthersPresent > MaxOthersPresent {
		f.Add("others_present", "range", fmt.Sprintf("between 0 and %d", MaxOthersPresent))
	}
	switch n := utf8.RuneCountInString(reason); {
	case in.Corrects > 0 && n == 0:
		f.Add("correction_reason", "required", "say what the correction changes")
	case in.Corrects == 0 && n > 0:
		f.Add("correction_reason", "not_allowed", "only a correction has a reason")
	case n > MaxReasonChars || strings.ContainsRune(reason, 0):
		f.Add("correction_reason", "length", fmt.Sprintf("at most %d characters", MaxReasonChars))
	}
	if in.Corrects < 0 {
		f.Add("corrects", "range", "the version you correct, or 0 for the first")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Meeting{}, err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Meeting{}, fmt.Errorf("meeting: minutes: %w", err)
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		m, err := s.managed(ctx, actor, id)
		if err != nil {
			return err
		}
		switch {
		case !m.Published():
			return ErrNotPublished
		case s.opt.Now().Before(m.StartsAt):
			return ErrNotHeld
		case in.Corrects == 0 && m.Versions > 0:
			return ErrMinutesPublished
		case in.Corrects != m.Versions:
			return ErrMinutesStale
		}
		if err := s.checkMinutesRefs(ctx, m, in); err != nil {
			return err
		}
		v := Minutes{Version: m.Versions + 1, Body: body, BodyHTML: html, RepositoryItemID: in.RepositoryItemID,
			OthersPresent: in.OthersPresent, PublishedAt: s.opt.Now().UTC()}
		if reason != "" {
			v.CorrectionReason = &reason
		}
		var by *int64
		if actor.UserID > 0 {
			by = &actor.UserID
		}
		return s.store.InsertMinutes(ctx, m.ID, v, uniq(in.Attendees), by)
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// checkMinutesRefs refuses attendees who were not members of the forum at
// any moment of the meeting, and a repository document of another process.
func (s *Service) checkMinutesRefs(ctx context.Context, m Meeting, in MinutesInput) error {
	var f apperr.Fields
	if len(in.Attendees) > 0 {
		members, err := s.forum.MembershipsDuring(ctx, m.ProcessID, m.StartsAt, m.EndsAt)
		if err != nil {
			return err
		}
		ok := make(map[int64]bool, len(members))
		for _, x := range members {
			ok[x.ID] = true
		}
		for _, a := range in.Attendees {
			if !ok[a] {
				f.Add("attendees", "not_member", fmt.Sprintf("%d was not a member of the forum during the meeting", a))
				break
			}
		}
	}
	if in.RepositoryItemID != nil {
		found, err := s.store.RepositoryItemOf(ctx, m.ProcessID, *in.RepositoryItemID)
		if err != nil {
			return err
		}
		if !found {
			f.Add("repository_item_id", "not_found", "not a document of this process's repository")
		}
	}
	return f.Err(CodeInvalid)
}

// minutes returns every version of a meeting's minutes, newest first, with
// their attendees.
func (s *Service) minutes(ctx context.Context, meetingID int64) ([]Minutes, error) {
	vs, err := s.store.Minutes(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	att, err := s.store.Attendees(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		vs[i].Attendees = att[vs[i].Version]
		if vs[i].Attendees == nil {
			vs[i].Attendees = []Attendee{}
		}
	}
	return vs, nil
}

// uniq drops repeated ids, keeping the first of each.
func uniq(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
