package forum

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/event"
	"cocreate/internal/mail"
)

// dispositionWords are the e-mail's words for each disposition.
var dispositionWords = map[Disposition]string{
	"adopted": "adopted", "amended": "adopted with changes", "merged": "merged with other proposals",
	"rejected": "not adopted", "out_of_scope": "out of the plan's scope", "noted": "noted",
}

// MailAnswered is the subscriber to event.ResponsePublished that queues one
// e-mail per author of the answered contributions, in the publishing
// transaction.
func (s *Service) MailAnswered(ctx context.Context, ev event.ResponsePublished) error {
	byAuthor := map[int64][]event.Answered{}
	for _, a := range ev.Answered {
		byAuthor[a.AuthorID] = append(byAuthor[a.AuthorID], a)
	}
	if len(byAuthor) == 0 {
		return nil
	}
	p, err := s.procs.GetByID(ctx, ev.ProcessID)
	if err != nil {
		return err
	}
	processTitle, disposition := p.Title, Disposition(ev.Disposition)
	ids := make([]int64, 0, len(byAuthor))
	for id := range byAuthor {
		ids = append(ids, id)
	}
	people, err := s.store.Authors(ctx, ids)
	if err != nil {
		return err
	}
	link := fmt.Sprintf("%s/responses/%d", strings.TrimRight(s.opt.PublicURL, "/"), ev.ResponseID)
	for _, who := range people {
		as := byAuthor[who.ID]
		var b strings.Builder
		noun := "Your contribution"
		if len(as) > 1 {
			noun = fmt.Sprintf("Your %d contributions", len(as))
		}
		fmt.Fprintf(&b, "%s to %q received the forum's reasoned response: %s.\n\n", noun, processTitle, dispositionWords[disposition])
		for _, a := range as {
			fmt.Fprintf(&b, "- your %s %d\n", a.Kind, a.ID)
		}
		fmt.Fprintf(&b, "\nRead the response and its reasoning: %s\n", link)
		uid := who.ID
		err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &uid, Kind: "response_published", To: who.Email,
			Subject: "Your contribution was answered: " + dispositionWords[disposition], Body: b.String()})
		if err != nil {
			return err
		}
	}
	return nil
}
