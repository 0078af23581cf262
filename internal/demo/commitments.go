package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/forum"
	"cocreate/internal/process"
	"cocreate/internal/user"
	"cocreate/internal/workdays"
)

// The working-group member of the demo commitments, who writes their
// progress updates (the end-to-end suite signs in as them).
const (
	WorkingGroupEmail    = "working.group@larkhaven.example"
	WorkingGroupPassword = "larkhaven demo working group"
)

// demoCommitment is one commitment of the 2025 plan, its milestones (days
// from now: due, and completed or nil) and its updates (days ago), laid out
// so that the dashboard shows every status.
type demoCommitment struct {
	title, description, lead, theme string
	values                          []string
	start, end                      int // days from now
	milestones                      []demoMilestone
	updates                         []demoUpdate
	withdrawn                       string
	question                        *demoQuestion
}

type demoMilestone struct {
	title string
	due   int
	done  *int // days from now it was completed
}

type demoUpdate struct {
	daysAgo               int
	joint                 bool
	progress, delay, next string
	atRisk                bool // the update reports its open milestones at risk
}

type demoQuestion struct {
	daysAgo int
	body    string
	answer  string // "" leaves it unanswered
}

func days(n int) *int { return &n }

var demoCommitments = []demoCommitment{
	{title: "Open council meeting records", lead: "City Clerk's Office", theme: "Transparency",
		description: "Publish the agenda, minutes, votes and recordings of every council and committee meeting within a week.",
		values:      []string{"access_to_information", "public_accountability"}, start: -600, end: -100,
		milestones: []demoMilestone{{"Minutes and votes online", -450, days(-460)}, {"Recordings online", -250, days(-240)}, {"Searchable archive since 2015", -120, days(-130)}},
		updates: []demoUpdate{{daysAgo: 400, progress: "Minutes and votes of every meeting since January are online.", next: "Put the recordings online."},
			{daysAgo: 235, joint: true, progress: "Recordings are online since last month; the coalition checked a sample of 40 meetings.", next: "Build the searchable archive.",
				delay: "The recordings came ten days late: the video supplier changed."},
			{daysAgo: 125, joint: true, progress: "The archive is searchable back to 2015. The commitment is complete.", next: "Keep publishing within a week."}}},
	{title: "Beneficial-ownership register for city suppliers", lead: "City Procurement Office", theme: "Open contracting",
		description: "Every company that bids for a city contract declares who owns it; the register is public and searchable.",
		values:      []string{"access_to_information", "public_accountability"}, start: -500, end: 150,
		milestones: []demoMilestone{{"Declaration form in every tender", -380, days(-385)}, {"Public register online", -90, days(-95)}, {"Checks against the national register", 60, nil}},
		updates: []demoUpdate{{daysAgo: 300, progress: "Every tender since March asks bidders to declare their owners.", next: "Put the register online."},
			{daysAgo: 40, joint: true, progress: "The register is online with 412 companies; the coalition reviewed the first 100 declarations.",
				next: "Match the declarations with the national register."}},
		question: &demoQuestion{daysAgo: 60, body: "Will the register show owners with less than 25 % of a company?",
			answer: "Yes: from 10 %, lower than the national threshold. The form asks for it since March."}},
	{title: "Participatory budgeting pilot in two districts", lead: "Department of Finance", theme: "Participation",
		description: "Residents of two districts decide how to spend 1 % of the capital budget.",
		values:      []string{"civic_participation"}, start: -300, end: 200,
		milestones: []demoMilestone{{"Rules agreed with the districts", -200, days(-210)}, {"Proposals collected", -10, nil}, {"Vote and results", 120, nil}},
		updates: []demoUpdate{{daysAgo: 30, progress: "Rules are agreed; 140 proposals were received so far.", next: "Close the proposals and prepare the vote.",
			delay: "The district offices asked for three more weeks to reach older residents.", atRisk: true}}},
	{title: "Open data portal for city services", lead: "Digital Services Unit", theme: "Open data",
		description: "Publish service performance data (waiting times, complaints, repairs) as open data, updated monthly.",
		values:      []string{"access_to_information", "technology_innovation"}, start: -550, end: 60,
		milestones: []demoMilestone{{"Data inventory", -400, days(-410)}, {"Portal online", -70, nil}, {"Monthly updates", 45, nil}},
		updates: []demoUpdate{{daysAgo: 100, progress: "The inventory lists 58 data sets; 12 are cleaned.", next: "Launch the portal.",
			delay: "The hosting contract is being re-tendered."}},
		question: &demoQuestion{daysAgo: 45, body: "When will the repairs data be published, and will it include the response times?"}},
	{title: "Public register of lobbying meetings", lead: "Mayor's Office", theme: "Integrity",
		description: "List every meeting between council members or senior staff and lobbyists.",
		values:      []string{"public_accountability"}, start: -450, end: 100, withdrawn: "Replaced by the national lobbying register, which covers city officials since this year.",
		milestones: []demoMilestone{{"Register designed", -300, days(-310)}, {"Register online", -50, nil}}},
	{title: "Accessible, machine-readable council data", lead: "City Clerk's Office", theme: "Open data",
		description: "Publish council documents in accessible formats and as structured data.",
		values:      []string{"access_to_information", "technology_innovation"}, start: 20, end: 400,
		milestones: []demoMilestone{{"Accessibility audit", 90, nil}, {"Structured data for agendas", 300, nil}}},
}

// loadCommitments opens the ended demo process to the public and gives it
// its commitments in every status: the demo owner owns it, the demo forum
// sits on it under the joint rule, and a working-group member with an account
// writes the updates.
func loadCommitments(ctx context.Context, a *app.App) ([]string, error) {
	procs, users := a.Processes, a.Accounts
	p, err := procs.Get(ctx, PastSlug)
	if err != nil {
		return nil, err
	}
	d, err := a.Commitments.Dashboard(ctx, auth.System, PastSlug)
	if err != nil {
		return nil, err
	}
	if len(d.Items) > 0 {
		return nil, nil
	}
	if _, _, err := procs.Publish(ctx, auth.System, PastSlug); err != nil {
		return nil, err
	}
	owner, err := users.ByEmail(ctx, auth.System, OwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	if isOwner, err := procs.HasRole(ctx, p.ID, owner.ID, process.RoleOwner); err != nil {
		return nil, err
	} else if !isOwner {
		if _, err := procs.GrantRole(ctx, auth.System, PastSlug, process.RoleInput{UserID: owner.ID, Role: process.RoleOwner}); err != nil {
			return nil, fmt.Errorf("demo: past owner role: %w", err)
		}
	}
	var signers []auth.Principal
	for _, m := range DemoForum {
		u, err := users.ByEmail(ctx, auth.System, m.Email)
		if err != nil {
			return nil, fmt.Errorf("demo: forum member: %w", err)
		}
		seat, org := m.Seat, m.Organisation
		if _, err := procs.GrantRole(ctx, auth.System, PastSlug, process.RoleInput{UserID: u.ID, Role: process.RoleForumMember,
			Seat: &seat, Organisation: &org}); err != nil {
			return nil, fmt.Errorf("demo: past forum role: %w", err)
		}
		signers = append(signers, auth.Principal{UserID: u.ID, Verified: true})
	}
	if _, err := a.Forum.SetSettings(ctx, auth.System, PastSlug, forum.Settings{SigningRule: forum.RuleJoint, TargetDays: 20}); err != nil {
		return nil, fmt.Errorf("demo: past forum settings: %w", err)
	}
	wg, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: WorkingGroupEmail, DisplayName: "Nadia Brennan", Password: WorkingGroupPassword})
	if err != nil {
		return nil, fmt.Errorf("demo: working group: %w", err)
	}
	asker, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: "resident.questions@larkhaven.example", DisplayName: "Ines Duarte",
		Password: rand.Text()})
	if err != nil {
		return nil, fmt.Errorf("demo: resident: %w", err)
	}

	now := a.Now().UTC()
	year := now.Year()
	var holidays []commitment.HolidayInput
	for y := year - 2; y <= year+1; y++ {
		holidays = append(holidays, commitment.HolidayInput{Day: fmt.Sprintf("%d-01-01", y), Name: "New Year's Day"},
			commitment.HolidayInput{Day: fmt.Sprintf("%d-05-01", y), Name: "Labour Day"},
			commitment.HolidayInput{Day: fmt.Sprintf("%d-12-25", y), Name: "Christmas Day"})
	}
	if _, err := a.Commitments.SetSettings(ctx, auth.System, PastSlug, commitment.SettingsInput{AtRiskDays: 30, Holidays: holidays}); err != nil {
		return nil, fmt.Errorf("demo: implementation settings: %w", err)
	}

	// Updates and questions were written in the past: a system of their own,
	// whose clock stands at the moment each was published.
	at := now
	past := app.New(app.Deps{DB: a.DB, Config: a.Config, Log: a.Log, Now: func() time.Time { return at }, Unscreened: true})
	ownerP := auth.Principal{UserID: owner.ID, Verified: true}
	wgP := auth.Principal{UserID: wg.ID, Verified: true}
	day := func(n int) string { return workdays.DateOf(now).AddDays(n).String() }
	for _, dc := range demoCommitments {
		in := commitment.CommitmentInput{Title: dc.title, Description: dc.description, LeadInstitution: dc.lead, Theme: dc.theme,
			Values: dc.values, StartsOn: day(dc.start), EndsOn: day(dc.end), OtherActors: []string{DemoForum[1].Organisation},
			Members: []commitment.MemberInput{{Name: "Nadia Brennan", Organisation: dc.lead, Seat: process.SeatGovernment, AccountEmail: WorkingGroupEmail},
				{Name: DemoForum[1].Name, Organisation: DemoForum[1].Organisation, Seat: process.SeatCivilSociety}}}
		for _, m := range dc.milestones {
			mi := commitment.MilestoneInput{Title: m.title, DueOn: day(m.due)}
			if m.done != nil {
				mi.CompletedOn = day(*m.done)
			}
			in.Milestones = append(in.Milestones, mi)
		}
		c, err := a.Commitments.Create(ctx, ownerP, PastSlug, in)
		if err != nil {
			return nil, fmt.Errorf("demo: commitment %q: %w", dc.title, err)
		}
		for _, du := range dc.updates {
			at = now.Add(-time.Duration(du.daysAgo) * 24 * time.Hour)
			ui := commitment.UpdateInput{Kind: commitment.KindGovernment, Progress: du.progress, DelayReasons: du.delay, NextSteps: du.next}
			if du.joint {
				ui.Kind = commitment.KindJoint
			}
			for i, m := range c.Milestones {
				st := commitment.StateInput{MilestoneID: m.ID, State: commitment.StateInProgress}
				if done := dc.milestones[i].done; done != nil && *done <= -du.daysAgo {
					st.State, st.CompletedOn = commitment.StateCompleted, day(*done)
				} else if du.atRisk {
					st.State = commitment.StateAtRisk
				}
				ui.Milestones = append(ui.Milestones, st)
			}
			u, err := past.Commitments.CreateUpdate(ctx, wgP, c.ID, ui)
			if err != nil {
				return nil, fmt.Errorf("demo: update of %q: %w", dc.title, err)
			}
			if du.joint {
				for _, s := range signers {
					if u, err = past.Commitments.Sign(ctx, s, u.ID, u.Revision); err != nil {
						return nil, fmt.Errorf("demo: signing an update of %q: %w", dc.title, err)
					}
				}
			} else if _, err := past.Commitments.Publish(ctx, wgP, u.ID, u.Revision); err != nil {
				return nil, fmt.Errorf("demo: publishing an update of %q: %w", dc.title, err)
			}
		}
		if q := dc.question; q != nil {
			at = now.Add(-time.Duration(q.daysAgo) * 24 * time.Hour)
			asked, err := past.Commitments.Ask(ctx, auth.Principal{UserID: asker.ID, Verified: true}, c.ID, q.body)
			if err != nil {
				return nil, fmt.Errorf("demo: question on %q: %w", dc.title, err)
			}
			if q.answer != "" {
				at = at.Add(12 * 24 * time.Hour)
				if _, err := past.Commitments.AnswerQuestion(ctx, wgP, asked.ID, q.answer); err != nil {
					return nil, fmt.Errorf("demo: answer on %q: %w", dc.title, err)
				}
			}
		}
		at = now
		if dc.withdrawn != "" {
			fresh, err := a.Commitments.Get(ctx, ownerP, c.ID)
			if err != nil {
				return nil, err
			}
			if _, err := a.Commitments.Withdraw(ctx, ownerP, c.ID, fresh.Revision, dc.withdrawn); err != nil {
				return nil, fmt.Errorf("demo: withdraw %q: %w", dc.title, err)
			}
		}
	}
	return []string{fmt.Sprintf("%d commitments in %s, with their updates", len(demoCommitments), PastSlug)}, nil
}
