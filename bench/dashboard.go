package main

// W11: the public implementation dashboard of a process with 30 commitments,
// 150 milestones and 60 published progress updates.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/process"
	"cocreate/internal/user"
	"cocreate/internal/workdays"
)

// The dashboard's size, as QUALITY.md's W11 states it.
const (
	w11Commitments = 30
	w11Milestones  = 5 // per commitment: 150
	w11Updates     = 2 // per commitment: 60
)

// prepareDashboard makes a public process in its implementation phase with
// the W11 commitments, milestones and updates, through the services; the
// updates were published over the last months (a clock of their own).
func (e *env) prepareDashboard(ctx context.Context) (string, error) {
	const slug = "bench-implementation"
	now := time.Now().UTC()
	day := 24 * time.Hour
	procs := e.app.Processes
	if _, err := procs.Create(ctx, auth.System, process.CreateInput{Slug: slug, Title: "Bench implementation", Languages: []string{"en"},
		Phases: []process.PhaseInput{{Kind: process.PhaseImplementation, OpensAt: now.Add(-400 * day), ClosesAt: now.Add(400 * day)}}}); err != nil {
		return "", err
	}
	if _, _, err := procs.Publish(ctx, auth.System, slug); err != nil {
		return "", err
	}
	owner, err := e.app.Accounts.Provision(ctx, auth.System, user.SignUpInput{Email: "bench-owner@bench.invalid", DisplayName: "Bench owner",
		Password: "bench owner password 1"})
	if err != nil {
		return "", err
	}
	if _, err := procs.GrantRole(ctx, auth.System, slug, process.RoleInput{UserID: owner.ID, Role: process.RoleOwner}); err != nil {
		return "", err
	}
	actor := auth.Principal{UserID: owner.ID, Verified: true}
	at := now
	past := app.New(app.Deps{DB: e.db, Config: e.app.Config, Now: func() time.Time { return at }, Unscreened: true})
	today := workdays.DateOf(now)
	for i := range w11Commitments {
		in := commitment.CommitmentInput{Title: fmt.Sprintf("Commitment %d: open contracting in district %d", i+1, i%9+1),
			Description:     "Publish **every** contract above ten thousand euros, with its supplier and its amendments.",
			LeadInstitution: fmt.Sprintf("Department %d", i%5+1), Theme: []string{"Open data", "Participation", "Integrity"}[i%3],
			StartsOn: today.AddDays(-300).String(), EndsOn: today.AddDays(300).String(), Values: []string{"access_to_information"},
			Members: []commitment.MemberInput{{Name: "Working group lead", Organisation: "City", Seat: process.SeatGovernment}}}
		for m := range w11Milestones {
			mi := commitment.MilestoneInput{Title: fmt.Sprintf("Milestone %d", m+1), DueOn: today.AddDays(-250 + m*120 + i).String()}
			if m < 2 {
				mi.CompletedOn = today.AddDays(-260 + m*120 + i).String()
			}
			in.Milestones = append(in.Milestones, mi)
		}
		c, err := e.app.Commitments.Create(ctx, actor, slug, in)
		if err != nil {
			return "", err
		}
		for u := range w11Updates {
			at = now.Add(-time.Duration(200-u*120+i) * day)
			ui := commitment.UpdateInput{Kind: commitment.KindGovernment, Progress: fmt.Sprintf("Progress report %d of commitment %d.", u+1, i+1),
				NextSteps: "Publish the next batch of contracts.", DelayReasons: "The supplier of the register was late."}
			for _, m := range c.Milestones {
				st := commitment.StateInput{MilestoneID: m.ID, State: commitment.StateInProgress}
				if m.CompletedOn != nil && m.CompletedOn.Time().Before(at) {
					st.State, st.CompletedOn = commitment.StateCompleted, m.CompletedOn.String()
				}
				ui.Milestones = append(ui.Milestones, st)
			}
			d, err := past.Commitments.CreateUpdate(ctx, actor, c.ID, ui)
			if err != nil {
				return "", err
			}
			if _, err := past.Commitments.Publish(ctx, actor, d.ID, d.Revision); err != nil {
				return "", err
			}
		}
		at = now
	}
	return slug, nil
}

// w11: anonymous reads of the implementation dashboard.
func (e *env) w11(ctx context.Context) (result, error) {
	slug, err := e.prepareDashboard(ctx)
	if err != nil {
		return result{}, err
	}
	url := fmt.Sprintf("%s/api/v1/processes/%s/commitments", e.base, slug)
	res, err := http.Get(url)
	if err != nil {
		return result{}, err
	}
	var d struct {
		Commitments []struct {
			MilestonesTotal int `json:"milestones_total"`
		} `json:"commitments"`
		Summary []struct{ Count int } `json:"summary"`
	}
	err = json.NewDecoder(res.Body).Decode(&d)
	res.Body.Close()
	if err != nil {
		return result{}, err
	}
	milestones, counted := 0, 0
	for _, c := range d.Commitments {
		milestones += c.MilestonesTotal
	}
	for _, s := range d.Summary {
		counted += s.Count
	}
	var updates int64
	if err := e.db.Raw("SELECT count(*) FROM progress_updates u JOIN processes p ON p.id = u.process_id WHERE p.slug = ? AND u.state = 'published'",
		slug).Scan(&updates).Error; err != nil {
		return result{}, err
	}
	check := fmt.Sprintf("ok: %d commitments, %d milestones, %d updates", len(d.Commitments), milestones, updates)
	if len(d.Commitments) != w11Commitments || milestones != w11Commitments*w11Milestones || counted != w11Commitments ||
		updates != w11Commitments*w11Updates {
		check = "FAILED: " + check + fmt.Sprintf(", %d in the summary", counted)
	}
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		code, err := e.do(req)
		return err == nil && code == http.StatusOK
	})
	r := summarise("W11", e.o.connections, reqs, errs, lat, el)
	r.Check = check
	return r, nil
}
