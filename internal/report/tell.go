package report

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/process"
)

// tell e-mails the contributors of the report's scope who were not told of
// a report of that scope yet, in the publishing transaction: the messages
// exist exactly when the report does.
func (s *Service) tell(ctx context.Context, p process.Process, r Published) error {
	base := strings.TrimRight(s.opt.PublicURL, "/")
	link := fmt.Sprintf("%s/processes/%s/reports/%d", base, p.Slug, r.Number)
	what := fmt.Sprintf("%q", p.Title)
	scope := ""
	if r.Phase != nil {
		scope = *r.Phase
		what = fmt.Sprintf("the %s phase of %q", strings.ReplaceAll(scope, "_", " "), p.Title)
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "%", "%%") }
	body := esc("The close-out report of "+what+" is published: what we asked, what you said, and what was done with it.") + "\n\n" +
		"Your published contributions to this process: %1$s; with a published response: %2$s.\n\n" +
		esc("Read the report: "+link) + "\n" +
		esc("See what became of your own contributions: "+base+"/account/comments") + "\n\n" +
		"You receive this message once because you took part.\n"
	from, until := wholeFrom, wholeUntil
	if r.Phase != nil {
		for _, ph := range p.Phases {
			if string(ph.Kind) == scope {
				from, until = ph.OpensAt, ph.ClosesAt
			}
		}
	}
	args := map[string]any{"p": p.ID, "from": from, "until": until, "scope": scope, "report": r.ID, "now": r.PublishedAt,
		"subject": "What became of your input: the report of " + truncate(p.Title, 150), "body": body}
	return s.store.Tell(ctx, r.Number, args)
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
