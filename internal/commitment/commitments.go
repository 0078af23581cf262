package commitment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// Viewer is what one person may do with one commitment.
type Viewer struct {
	Manage            bool   // edit and withdraw it: the process's owners and administrators
	Write             bool   // draft its updates and read their drafts: owners, its working group's members with an account, forum members
	PublishGovernment bool   // publish a government update: owners, and government members of the working group or the forum
	Sign              bool   // sign or dissent on joint updates: the forum's members
	Answer            bool   // answer questions and pause their clock
	AnswerAs          string // lead_institution (owners, government members of the working group) or forum
	Moderate          bool   // hide questions: the process's moderators and owners
}

// viewerOf says what actor may do with commitment commitmentID of the process.
func (s *Service) viewerOf(ctx context.Context, actor auth.Principal, processID, commitmentID int64) (Viewer, error) {
	a, err := s.procs.Access(ctx, actor, processID)
	if err != nil {
		return Viewer{}, err
	}
	v := Viewer{Manage: a.Can(process.Manage), Sign: a.Can(process.Respond), Moderate: a.Can(process.Moderate)}
	var wgSeat process.Seat
	wg := false
	if actor.Authenticated() && !actor.Suspended {
		if wgSeat, wg, err = s.store.MemberSeat(ctx, commitmentID, actor.UserID); err != nil {
			return Viewer{}, err
		}
	}
	forumSeat, _ := a.Seat()
	v.Write = v.Manage || v.Sign || wg
	v.PublishGovernment = v.Manage || wg && wgSeat == process.SeatGovernment || v.Sign && forumSeat == process.SeatGovernment
	lead := v.Manage || wg && wgSeat == process.SeatGovernment
	switch {
	case lead:
		v.Answer, v.AnswerAs = true, "lead_institution"
	case v.Sign:
		v.Answer, v.AnswerAs = true, "forum"
	}
	return v, nil
}

// Detail is a commitment as its page shows it.
type Detail struct {
	Commitment
	Process       process.Process
	Verdict       Verdict
	NextUpdateDue workdays.Date
	AtRiskDays    int
	Members       []Member
	Milestones    []Milestone
	Sources       []Source
	Updates       []Update // drafts first (for those who may write), then published ones, newest first
	SigningRule   string
	Viewer        Viewer
}

// process returns the process with slug when actor may read it (an
// unpublished process is not found by those who may not manage it).
func (s *Service) process(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return process.Process{}, err
	}
	return p, nil
}

// managed returns the process with slug when actor manages it: not found
// when they may not read it, ErrForbidden when they may read but not manage.
func (s *Service) managed(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	p, err := s.process(ctx, actor, slug)
	if err != nil {
		return process.Process{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
		return process.Process{}, err
	}
	return p, nil
}

// resolve runs the checks of an input that need the database: the accounts
// named by address, the repository items cited, what led to the commitment.
// It returns the members to store.
func (s *Service) resolve(ctx context.Context, processID int64, ck checked) ([]Member, error) {
	var f apperr.Fields
	members := make([]Member, len(ck.members))
	for i, m := range ck.members {
		members[i] = Member{Name: m.Name, Organisation: m.Organisation, Seat: m.Seat}
		if m.AccountEmail == "" {
			continue
		}
		id, err := s.store.Account(ctx, m.AccountEmail)
		if err != nil {
			return nil, err
		}
		if id == 0 {
			f.Add(fmt.Sprintf("members[%d].account_email", i), "no_account", "no confirmed account has this address")
			continue
		}
		members[i].UserID = &id
	}
	for i, m := range ck.milestones {
		if m.EvidenceItemID == nil {
			continue
		}
		ok, err := s.store.RepositoryItemIn(ctx, *m.EvidenceItemID, processID)
		if err != nil {
			return nil, err
		}
		if !ok {
			f.Add(fmt.Sprintf("milestones[%d].evidence_item_id", i), "not_in_repository", "a document of the process's repository")
		}
	}
	for i, src := range ck.sources {
		ok, err := s.store.SourceIn(ctx, src, processID)
		if err != nil {
			return nil, err
		}
		if !ok {
			f.Add(fmt.Sprintf("sources[%d]", i), "unknown", "a paragraph of a published draft, a published idea or a published response of this process")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return nil, err
	}
	return members, nil
}

// Create adds a commitment to the process with its working group, milestones
// and sources; the process's owners and administrators may.
func (s *Service) Create(ctx context.Context, actor auth.Principal, slug string, in CommitmentInput) (Detail, error) {
	p, err := s.managed(ctx, actor, slug)
	if err != nil {
		return Detail{}, err
	}
	ck, err := check(in, s.today())
	if err != nil {
		return Detail{}, err
	}
	var f apperr.Fields
	for i, m := range ck.milestones {
		if m.ID != 0 {
			f.Add(fmt.Sprintf("milestones[%d].id", i), "unknown", "a new commitment's milestones are new")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Detail{}, err
	}
	if ck.c.DescriptionHTML, err = markdown.Render(ck.c.Description); err != nil {
		return Detail{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		members, err := s.resolve(ctx, p.ID, ck)
		if err != nil {
			return err
		}
		ck.c.ProcessID = p.ID
		var by *int64
		if actor.UserID > 0 {
			by = &actor.UserID
		}
		if id, err = s.store.Insert(ctx, ck.c, by, s.opt.Now().UTC()); err != nil {
			return err
		}
		if err := s.saveParts(ctx, id, ck, members); err != nil {
			return err
		}
		return s.changed(ctx, p.ID, id)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, actor, id)
}

// saveParts writes a commitment's working group, milestones (in order) and sources.
func (s *Service) saveParts(ctx context.Context, id int64, ck checked, members []Member) error {
	if err := s.store.ReplaceMembers(ctx, id, members); err != nil {
		return err
	}
	for i, m := range ck.milestones {
		if _, err := s.store.SaveMilestone(ctx, id, i, m.Milestone); err != nil {
			return err
		}
	}
	return s.store.ReplaceSources(ctx, id, ck.sources)
}

// Replace replaces a commitment's fields, working group, milestones and
// sources on the revision the owner read. A milestone left out is removed,
// unless a published update reports it (ErrMilestoneReported).
func (s *Service) Replace(ctx context.Context, actor auth.Principal, id int64, in CommitmentInput) (Detail, error) {
	if in.Revision < 1 {
		return Detail{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	ck, err := check(in, s.today())
	if err != nil {
		return Detail{}, err
	}
	if ck.c.DescriptionHTML, err = markdown.Render(ck.c.Description); err != nil {
		return Detail{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, p, err := s.readable(ctx, actor, id, true)
		if err != nil {
			return err
		}
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
			return err
		}
		switch {
		case c.Withdrawn():
			return ErrWithdrawn
		case c.Revision != in.Revision:
			return ErrStale
		}
		members, err := s.resolve(ctx, p.ID, ck)
		if err != nil {
			return err
		}
		existing, err := s.store.Milestones(ctx, id)
		if err != nil {
			return err
		}
		kept := map[int64]bool{}
		var f apperr.Fields
		for i, m := range ck.milestones {
			if m.ID == 0 {
				continue
			}
			if !slices.ContainsFunc(existing, func(e Milestone) bool { return e.ID == m.ID }) {
				f.Add(fmt.Sprintf("milestones[%d].id", i), "unknown", "a milestone of this commitment")
			}
			kept[m.ID] = true
		}
		if err := f.Err(CodeInvalid); err != nil {
			return err
		}
		var removed []int64
		for _, e := range existing {
			if !kept[e.ID] {
				removed = append(removed, e.ID)
			}
		}
		if len(removed) > 0 {
			reported, err := s.store.Reported(ctx, removed)
			if err != nil {
				return err
			}
			if len(reported) > 0 {
				return ErrMilestoneReported
			}
			if err := s.store.DeleteMilestones(ctx, id, removed); err != nil {
				return err
			}
		}
		ck.c.ID = id
		if err := s.store.Replace(ctx, ck.c, s.opt.Now().UTC()); err != nil {
			return err
		}
		if err := s.saveParts(ctx, id, ck, members); err != nil {
			return err
		}
		return s.changed(ctx, p.ID, id)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, actor, id)
}

// Withdraw withdraws a commitment with a public reason, on the revision the
// owner read; its status is then "withdrawn" and it takes no more updates.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, id int64, revision int, reason string) (Detail, error) {
	var f apperr.Fields
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > MaxReasonChars || strings.ContainsRune(reason, 0) {
		f.Add("reason", "length", fmt.Sprintf("between 1 and %d characters", MaxReasonChars))
	}
	if revision < 1 {
		f.Add("revision", "required", "the revision you read")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Detail{}, err
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, p, err := s.readable(ctx, actor, id, true)
		if err != nil {
			return err
		}
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
			return err
		}
		switch {
		case c.Withdrawn():
			return ErrWithdrawn
		case c.Revision != revision:
			return ErrStale
		}
		if err := s.store.Withdraw(ctx, id, reason, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.changed(ctx, p.ID, id)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, actor, id)
}

// Get returns a commitment as its page shows it: public in a public process
// (ErrNotFound for an unpublished process's commitment to anyone who may
// not manage it); drafts of updates only for its writers, the working
// group's account addresses only for the process's owners.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Detail, error) {
	c, p, err := s.readable(ctx, actor, id, false)
	if err != nil {
		return Detail{}, err
	}
	v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
	if err != nil {
		return Detail{}, err
	}
	st, err := s.store.Settings(ctx, p.ID)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Commitment: c, Process: p, Viewer: v, AtRiskDays: st.AtRiskDays}
	if d.Members, err = s.store.Members(ctx, id, v.Manage); err != nil {
		return Detail{}, err
	}
	if d.Milestones, err = s.store.Milestones(ctx, id); err != nil {
		return Detail{}, err
	}
	if d.Sources, err = s.store.Sources(ctx, id); err != nil {
		return Detail{}, err
	}
	if d.Updates, err = s.store.UpdatesOf(ctx, id, v.Write); err != nil {
		return Detail{}, err
	}
	if err := s.complete(ctx, p, c, v, d.Updates); err != nil {
		return Detail{}, err
	}
	rule, err := s.forum.SigningRule(ctx, p.ID)
	if err != nil {
		return Detail{}, err
	}
	d.SigningRule = string(rule)
	facts := factsOf(c, d.Milestones, lastPublished(d.Updates))
	d.Verdict = Rule(facts, s.today(), st.AtRiskDays)
	d.NextUpdateDue = facts.NextUpdateDue()
	return d, nil
}

// lastPublished is the newest published update among us (nil when none).
func lastPublished(us []Update) *Update {
	var last *Update
	for i := range us {
		u := &us[i]
		if u.Published() && (last == nil || u.PublishedAt.After(*last.PublishedAt) || u.PublishedAt.Equal(*last.PublishedAt) && u.ID > last.ID) {
			last = u
		}
	}
	return last
}

// factsOf is what the status rule reads of a commitment, its milestones and
// its latest published update.
func factsOf(c Commitment, ms []Milestone, last *Update) Facts {
	f := Facts{Withdrawn: c.Withdrawn(), Start: c.StartsOn, End: c.EndsOn}
	for _, m := range ms {
		f.Milestones = append(f.Milestones, MilestoneFact{Due: m.DueOn, Completed: m.CompletedOn})
	}
	if last != nil {
		day := workdays.DateOf(*last.PublishedAt)
		f.LastUpdate = &day
		for _, st := range last.Milestones {
			if st.State == StateAtRisk {
				f.FlaggedAtRisk = true
			}
		}
	}
	return f
}
