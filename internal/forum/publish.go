package forum

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/ledger"
	"cocreate/internal/mail"
)

// ideaStatus is the status a disposition gives the ideas it answers.
var ideaStatus = map[Disposition]idea.Status{
	"adopted":      idea.StatusAccepted,
	"amended":      idea.StatusAmended,
	"merged":       idea.StatusAmended, // taken in, combined with others
	"rejected":     idea.StatusRejected,
	"out_of_scope": idea.StatusOutOfScope,
	"noted":        idea.StatusUnderReview,
}

// answer is one contribution a response answers, and its author.
type answer struct {
	Kind     Kind  `gorm:"column:kind"`
	ID       int64 `gorm:"column:id"`
	AuthorID int64 `gorm:"column:author_id"`
}

// answers resolves what a response covers into published contributions:
// those named, the members of the clusters named, and the comments on the
// paragraphs named.
func (s *Service) answers(ctx context.Context, processID, responseID int64) ([]answer, error) {
	var out []answer
	err := database.Conn(ctx, s.db).Raw(`SELECT k.kind, k.id, k.author_id FROM contributions k
		WHERE k.process_id = @p AND (
			EXISTS (SELECT 1 FROM response_covers rc WHERE rc.response_id = @r
				AND ((k.kind = 'comment' AND rc.comment_id = k.id) OR (k.kind = 'idea' AND rc.idea_id = k.id)))
			OR EXISTS (SELECT 1 FROM response_covers rc JOIN cluster_members m ON m.cluster_id = rc.cluster_id
				WHERE rc.response_id = @r AND ((k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)))
			OR (k.kind = 'comment' AND EXISTS (SELECT 1 FROM response_covers rc WHERE rc.response_id = @r
				AND rc.document_id = k.document_id AND rc.paragraph_key = k.paragraph_key)))
		ORDER BY k.kind, k.id`, map[string]any{"p": processID, "r": responseID}).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("forum: answered contributions: %w", err)
	}
	return out, nil
}

// publish puts a draft whose signing rule is met into the ledger, in the
// caller's transaction: the ledger entry, the response's state, the answered
// contributions and the answered ideas' statuses; then it emits
// event.ResponsePublished, whose subscribers (the authors' e-mail) run in the
// same transaction. Anything failing rolls all of it back.
func (s *Service) publish(ctx context.Context, r Response) (published, error) {
	conn := database.Conn(ctx, s.db)
	p, err := s.procs.GetByID(ctx, r.ProcessID)
	if err != nil {
		return published{}, err
	}
	now := s.opt.Now().UTC()
	f := ledger.Fields{
		Process: p.Slug, RecordedAt: ledger.Timestamp(now), Response: r.ID, Disposition: string(r.Disposition),
		Reasoning: r.Reasoning, LedTo: r.LedTo, CorrectionReason: r.CorrectionReason,
	}
	if r.Supersedes != nil {
		var old []struct {
			LedgerSeq *int64
			Taken     bool
		}
		err := conn.Raw(`SELECT ledger_seq, EXISTS (SELECT 1 FROM responses n WHERE n.supersedes = o.id AND n.state = 'published') AS taken
			FROM responses o WHERE o.id = ?`, *r.Supersedes).Scan(&old).Error
		if err != nil {
			return published{}, fmt.Errorf("forum: superseded entry: %w", err)
		}
		if len(old) == 0 || old[0].LedgerSeq == nil {
			return published{}, ErrResponseNotFound
		}
		if old[0].Taken {
			return published{}, ErrSuperseded
		}
		f.Supersedes = old[0].LedgerSeq
	}

	// What it covers, as the ledger names it.
	if err := s.loadCovers(ctx, p.ID, &r); err != nil {
		return published{}, err
	}
	for _, c := range r.Covers {
		if c.Kind == "paragraph" {
			f.Covers = append(f.Covers, fmt.Sprintf("paragraph:%d:%s", *c.DocumentID, *c.ParagraphKey))
			continue
		}
		f.Covers = append(f.Covers, c.Kind+":"+strconv.FormatInt(*c.ID, 10))
		if c.Kind == "cluster" {
			cl, err := s.clusterRow(ctx, *c.ID)
			if err != nil {
				return published{}, err
			}
			var members []Ref
			if err := conn.Raw(`SELECT k.kind, k.id FROM contributions k JOIN cluster_members m
				ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)
				WHERE m.cluster_id = ? ORDER BY k.kind, k.id`, cl.ID).Scan(&members).Error; err != nil {
				return published{}, fmt.Errorf("forum: cluster members: %w", err)
			}
			lc := ledger.Cluster{ID: cl.ID, Title: ledger.Normalize(cl.Title), Members: make([]string, len(members))}
			for i, m := range members {
				lc.Members[i] = m.String()
			}
			f.Clusters = append(f.Clusters, lc)
		}
	}
	slices.Sort(f.Covers)

	// Who signed and who dissented: member ids, seats and organisations only.
	var sigs []struct {
		Kind         string
		MemberRef    string
		Seat         string
		Organisation string
		Note         *string
	}
	if err := conn.Raw("SELECT kind, member_ref, seat, organisation, note FROM response_signatures WHERE response_id = ? ORDER BY member_ref", r.ID).
		Scan(&sigs).Error; err != nil {
		return published{}, fmt.Errorf("forum: signatures: %w", err)
	}
	for _, g := range sigs {
		m := ledger.Member{Member: g.MemberRef, Seat: g.Seat, Organisation: g.Organisation}
		if g.Kind == "dissent" && g.Note != nil {
			m.Note = *g.Note
			f.Dissents = append(f.Dissents, m)
		} else {
			f.Signers = append(f.Signers, m)
		}
	}

	entry, err := s.ledger.Append(ctx, p.ID, f)
	if err != nil {
		return published{}, err
	}
	if err := conn.Exec("UPDATE responses SET state = 'published', published_at = ?, ledger_seq = ? WHERE id = ?", now, entry.Seq, r.ID).Error; err != nil {
		return published{}, fmt.Errorf("forum: publish: %w", err)
	}

	answered, err := s.answers(ctx, p.ID, r.ID)
	if err != nil {
		return published{}, err
	}
	ev := event.ResponsePublished{ProcessID: p.ID, ResponseID: r.ID, Seq: entry.Seq, Disposition: string(r.Disposition),
		Answered: make([]event.Answered, 0, len(answered))}
	for _, a := range answered {
		if err := conn.Exec("INSERT INTO contribution_answers (response_id, "+Ref{Kind: a.Kind}.column()+", answered_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			r.ID, a.ID, now).Error; err != nil {
			return published{}, fmt.Errorf("forum: answered: %w", err)
		}
		if a.Kind == KindIdea {
			if err := s.ideas.SetStatus(ctx, a.ID, ideaStatus[r.Disposition], r.ID); err != nil {
				return published{}, fmt.Errorf("forum: idea %d status: %w", a.ID, err)
			}
		}
		ev.Answered = append(ev.Answered, event.Answered{Kind: string(a.Kind), ID: a.ID, AuthorID: a.AuthorID})
	}
	if err := s.events.Emit(ctx, ev); err != nil {
		return published{}, err
	}
	return published{process: p.Slug, entry: entry, answered: len(answered)}, nil
}

// published is what a publication appended, for the log once it commits.
type published struct {
	process  string
	entry    ledger.Entry
	answered int
}

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
	var people []struct {
		ID    int64
		Email string
	}
	if err := database.Conn(ctx, s.db).Raw("SELECT id, email FROM users WHERE id = ANY(?) AND email IS NOT NULL AND deleted_at IS NULL ORDER BY id",
		database.Array{Type: "_int8", Values: ids}).Scan(&people).Error; err != nil {
		return fmt.Errorf("forum: authors: %w", err)
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
