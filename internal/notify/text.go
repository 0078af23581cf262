package notify

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// pathOf is where in the web app a notification of kind leads.
func pathOf(kind Kind, f Facts) string {
	proc := "/processes/" + url.PathEscape(f.ProcessSlug)
	switch kind {
	case KindCommentReply:
		switch {
		case f.DocumentID > 0:
			return fmt.Sprintf("/documents/%d#comment-%d", f.DocumentID, f.CommentID)
		case f.IdeaID > 0:
			return fmt.Sprintf("%s/ideas/%d#comment-%d", proc, f.IdeaID, f.CommentID)
		case f.ProgressID > 0:
			return fmt.Sprintf("/progress-updates/%d#comment-%d", f.ProgressID, f.CommentID)
		}
	case KindResponsePublished:
		return fmt.Sprintf("/responses/%d", f.ResponseID)
	case KindVersionPublished:
		return fmt.Sprintf("/documents/%d/v/%d", f.DocumentID, f.Number)
	case KindUpdatePublished:
		return proc + "/updates"
	}
	return proc
}

// plain makes a stored title safe for one line of a plain-text e-mail: no
// control characters (no header or line injection), at most 200 characters.
func plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return strings.TrimSpace(s)
}

// headline says what happened, in one plain sentence.
func headline(kind Kind, f Facts) string {
	switch kind {
	case KindCommentReply:
		if f.Title != "" {
			return fmt.Sprintf("Someone replied to your comment on “%s”.", plain(f.Title))
		}
		return "Someone replied to your comment."
	case KindResponsePublished:
		return fmt.Sprintf("The forum published a response to your contribution: %s.", strings.ReplaceAll(plain(f.Disposition), "_", " "))
	case KindVersionPublished:
		return fmt.Sprintf("Version %d of “%s” is published.", f.Number, plain(f.Title))
	case KindUpdatePublished:
		return fmt.Sprintf("New update: “%s”.", plain(f.Title))
	case KindPhaseOpened:
		return fmt.Sprintf("The %s phase is open.", strings.ReplaceAll(plain(f.Phase), "_", " "))
	}
	return "Something happened."
}

// reason says why the person was sent the message.
func reason(kind Kind) string {
	switch kind {
	case KindCommentReply:
		return "you wrote the comment that was replied to"
	case KindResponsePublished:
		return "you wrote a contribution the response answers"
	case KindVersionPublished:
		return "you follow this draft (commenting on a draft follows it)"
	}
	return "you follow this process"
}

// message is the subject and plain-text body of the e-mail of one notification.
func (s *Service) message(kind Kind, f Facts, unsubscribeToken string) (subject, body string) {
	base := strings.TrimRight(s.opt.PublicURL, "/")
	subject = fmt.Sprintf("[%s] %s", plain(f.ProcessTitle), strings.TrimSuffix(headline(kind, f), "."))
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", headline(kind, f))
	fmt.Fprintf(&b, "Read it: %s%s\n\n", base, pathOf(kind, f))
	fmt.Fprintf(&b, "You received this e-mail because %s, in “%s”.\n", reason(kind), plain(f.ProcessTitle))
	fmt.Fprintf(&b, "Stop e-mails of this kind: %s/unsubscribe?token=%s\n", base, url.QueryEscape(unsubscribeToken))
	fmt.Fprintf(&b, "Choose what you hear about: %s/account\n", base)
	return subject, b.String()
}

// unsubscribeURL is the one-click address of RFC 8058: the API itself, which
// takes the mail client's POST without a session.
func (s *Service) unsubscribeURL(token string) string {
	return strings.TrimRight(s.opt.PublicURL, "/") + "/api/v1/unsubscribe?token=" + url.QueryEscape(token)
}
