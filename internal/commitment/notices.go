package commitment

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/database"
	"cocreate/internal/mail"
	"cocreate/internal/workdays"
)

// The kinds of notices, each sent once per subject and due day.
const (
	NoticeUpdateReminder  = "update_reminder"
	NoticeQuestionOverdue = "question_overdue"
)

// SendNotices queues, through the outbox, the e-mails to process owners that
// are due today: a reminder ReminderDays before a commitment's next progress
// update falls due (or at once when it is already due), and a notice for
// each question left unanswered past its due day. Each goes once per
// commitment and due day, or per question: the notice's row and its e-mails
// are written in one transaction, and a second run (here or on another
// instance) finds the row. serve runs it periodically; it returns how many
// notices it sent.
func (s *Service) SendNotices(ctx context.Context) (int, error) {
	today := s.today()
	sent := 0
	rows, err := s.store.Remindable(ctx)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		f := Facts{Start: r.StartsOn}
		if r.LastUpdate != nil {
			day := workdays.DateOf(*r.LastUpdate)
			f.LastUpdate = &day
		}
		due := f.NextUpdateDue()
		if today < due.AddDays(-ReminderDays) {
			continue
		}
		subject := fmt.Sprintf("Progress update due on %s: %s", due, r.Title)
		if today > due {
			subject = fmt.Sprintf("Progress update overdue since %s: %s", due, r.Title)
		}
		body := fmt.Sprintf("The commitment %q has its next progress update due on %s: OGP asks for one at least every six months.\n\n"+
			"Write it (with the working group, or jointly with the forum) on the commitment's page:\n%s\n",
			r.Title, due, s.link("/processes/%s/commitments/%d", r.Slug, r.ID))
		ok, err := s.notify(ctx, NoticeUpdateReminder, r.ID, due, r.ProcessID, "update_reminder", subject, body)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}

	processes, err := s.store.ProcessesWithOpenQuestions(ctx)
	if err != nil {
		return sent, err
	}
	for _, pid := range processes {
		p, err := s.procs.GetByID(ctx, pid)
		if err != nil {
			return sent, err
		}
		cal, err := s.calendar(ctx, pid)
		if err != nil {
			return sent, err
		}
		qs, err := s.store.OpenQuestions(ctx, pid)
		if err != nil {
			return sent, err
		}
		for _, q := range qs {
			q.withClock(cal, today)
			if !q.Overdue {
				continue
			}
			subject := fmt.Sprintf("Question unanswered after %d working days: %s", AnswerTargetDays, q.CommitmentTitle)
			body := fmt.Sprintf("A question on the commitment %q, asked on %s, was due for an answer on %s and has none yet. "+
				"It is listed publicly as overdue.\n\n%s\n\nAnswer it on the commitment's page:\n%s\n",
				q.CommitmentTitle, workdays.DateOf(q.AskedAt), q.DueOn, quote(q.Body), s.link("/processes/%s/commitments/%d#question-%d", p.Slug, q.CommitmentID, q.ID))
			ok, err := s.notify(ctx, NoticeQuestionOverdue, q.ID, q.DueOn, pid, "question_overdue", subject, body)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// notify claims notice (kind, subject, due) and, when this is its first
// claim, queues one e-mail per owner of the process, in one transaction.
func (s *Service) notify(ctx context.Context, kind string, subject int64, due workdays.Date, processID int64, mailKind, title, body string) (bool, error) {
	first := false
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		var err error
		if first, err = s.store.ClaimNotice(ctx, kind, subject, due, s.opt.Now().UTC()); err != nil || !first {
			return err
		}
		owners, err := s.store.Owners(ctx, processID)
		if err != nil {
			return err
		}
		for _, o := range owners {
			id := o.ID
			if err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &id, Kind: mailKind, To: o.Email, Subject: title, Body: body}); err != nil {
				return err
			}
		}
		return nil
	})
	return first, err
}

// link is an address in the web app.
func (s *Service) link(format string, args ...any) string {
	return strings.TrimRight(s.opt.PublicURL, "/") + fmt.Sprintf(format, args...)
}

// quote is text as an e-mail quotes it.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}
