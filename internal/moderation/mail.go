package moderation

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/contribution"
	"cocreate/internal/event"
	"cocreate/internal/mail"
)

// MailAuthor is the subscriber to event.ContributionDecided that queues the
// e-mail telling the author the outcome and the reason, in the deciding
// transaction; escalations and the time-box's publications send none.
func (s *Service) MailAuthor(ctx context.Context, ev event.ContributionDecided) error {
	in := DecisionInput{Outcome: Outcome(ev.Outcome), Reason: Reason(ev.Reason), Explanation: ev.Explanation}
	if in.Outcome == OutcomeEscalate || in.Outcome == OutcomeAutoPublish {
		return nil
	}
	to, found, err := s.store.Recipient(ctx, ev.AuthorID)
	if err != nil {
		return err
	}
	if !found || to.Email == nil {
		return nil
	}
	st, err := s.settingsOf(ctx, ev.ProcessID)
	if err != nil {
		return err
	}
	what := ev.Kind
	if ev.Kind == string(contribution.KindAgendaInput) {
		what = "input to a meeting's agenda"
	}
	name := "there"
	if to.DisplayName != nil {
		name = *to.DisplayName
	}
	link := strings.TrimRight(s.opt.PublicURL, "/") + "/account/moderation"
	var subject, body string
	switch {
	case ev.Edit && in.Outcome == OutcomeApprove:
		subject = fmt.Sprintf("Your edit of your %s is published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator reviewed your edit of your %s and published it.\n\n%s\n", name, what, link)
	case ev.Edit && in.Outcome == OutcomeReject:
		subject = fmt.Sprintf("Your edit of your %s was not published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator decided not to publish your edit of your %s; the earlier text stays published.\n\n"+
			"Reason: %s\n%s\n\n%s\n", name, what, describe(st, in.Reason), in.Explanation, link)
	}
	switch {
	case subject != "":
	case in.Outcome == OutcomeApprove:
		subject = fmt.Sprintf("Your %s is published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator reviewed your %s and published it.\n\n%s\n", name, what, link)
	case in.Outcome == OutcomeRedact:
		subject = fmt.Sprintf("Your %s is published with a change", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator published your %s after removing personal information from it (%s).\n%s\n\n%s\n",
			name, what, describe(st, in.Reason), in.Explanation, link)
	case in.Outcome == OutcomeReject:
		subject = fmt.Sprintf("Your %s was not published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator decided not to publish your %s.\n\nReason: %s\n%s\n\n"+
			"You may appeal once within 14 days; a different moderator will review it: %s\n", name, what, describe(st, in.Reason), in.Explanation, link)
	}
	return mail.Enqueue(ctx, s.db, mail.Message{UserID: &ev.AuthorID, Kind: "moderation_" + string(in.Outcome), To: *to.Email,
		Subject: subject, Body: body})
}

func describe(st Settings, r Reason) string {
	for _, h := range st.HouseRuleList() {
		if h.Code == r {
			return h.Description
		}
	}
	return string(r)
}
