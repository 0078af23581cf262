package comment

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
	"cocreate/internal/document"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/markdown"
	"cocreate/internal/opendata"
	"cocreate/internal/process"
)

// Options configure the engine.
type Options struct {
	Now        func() time.Time
	EditWindow time.Duration // how long after posting an author may edit
	PublicURL  string        // the web app's address, for links in e-mail
	// Screen decides whether a new comment is held for moderation (the
	// moderation feature's hook); nil publishes everything.
	Screen contribution.Screen
	// CurrentTTL is how long the latest-version facts of a document are kept
	// in memory (publishing re-checks in SQL, so staleness cannot misfile a comment).
	CurrentTTL time.Duration
	// Ideas says whether an idea takes comments and counts them; nil refuses
	// comments on ideas.
	Ideas *idea.Service
	// Participants names the authors in open-data exports.
	Participants *opendata.Participants
}

// Service holds the rules of comments and votes.
type Service struct {
	db     *gorm.DB
	store  *Store
	docs   *document.Service
	procs  *process.Service
	events *event.Bus
	opt    Options

	mu      sync.Mutex
	current map[int64]*current
	loading map[int64]chan struct{} // documents whose facts one goroutine is reloading
}

// NewService returns the engine; writes that change a document's public reads
// emit event.DocumentChanged on events.
func NewService(db *gorm.DB, docs *document.Service, procs *process.Service, events *event.Bus, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.EditWindow == 0 {
		opt.EditWindow = 30 * time.Minute
	}
	if opt.CurrentTTL == 0 {
		opt.CurrentTTL = 5 * time.Second
	}
	return &Service{db: db, store: NewStore(db), docs: docs, procs: procs, events: events, opt: opt, current: map[int64]*current{}, loading: map[int64]chan struct{}{}}
}

// changed tells the subscribers that a document's public reads changed (none
// for a comment on an idea): the thread on paragraph key and the document's
// counts, or every read of the document when key is nil (a comment in an
// orphaned thread).
func (s *Service) changed(ctx context.Context, docID int64, key *string) error {
	return s.emitChanged(ctx, docID, key, false)
}

// changedVotes tells the subscribers that only the vote counts of the
// comments on paragraph key changed (every read of the document when key is
// nil).
func (s *Service) changedVotes(ctx context.Context, docID int64, key *string) error {
	return s.emitChanged(ctx, docID, key, true)
}

func (s *Service) emitChanged(ctx context.Context, docID int64, key *string, votes bool) error {
	if docID == 0 {
		return nil
	}
	e := event.DocumentChanged{DocumentID: docID}
	if key != nil && *key != "" {
		e.Thread, e.Votes = *key, votes
	}
	return s.events.Emit(ctx, e)
}

// validateBody returns body trimmed, and notes in f what makes it unacceptable.
func validateBody(f *apperr.Fields, body string) string {
	b := strings.TrimSpace(body)
	switch n := utf8.RuneCountInString(b); {
	case n == 0 || !markdown.HasVisible(b):
		f.Add("body", "required", "write something")
	case n > MaxBodyChars:
		f.Add("body", "length", fmt.Sprintf("at most %d characters", MaxBodyChars))
	}
	if strings.ContainsRune(b, 0) {
		f.Add("body", "characters", "no NUL characters")
	}
	return b
}

// prepareBody validates a body and renders it: the trimmed Markdown and its
// sanitised HTML, or the validation error.
func prepareBody(body string) (string, string, error) {
	var f apperr.Fields
	body = validateBody(&f, body)
	if err := f.Err(CodeInvalid); err != nil {
		return "", "", err
	}
	html, err := markdown.Render(body)
	return body, html, err
}

// screen asks the moderation hook about a new comment: the status it starts
// in, and the screening (whose Record, when set, must run in the transaction
// that stores the comment).
func (s *Service) screen(ctx context.Context, d contribution.Draft) (Status, contribution.Screening, error) {
	if s.opt.Screen == nil {
		return StatusPublished, contribution.Screening{}, nil
	}
	d.Kind = contribution.KindComment
	sc, err := s.opt.Screen(ctx, d)
	if err != nil {
		return "", sc, err
	}
	if sc.Held {
		return StatusPending, sc, nil
	}
	return StatusPublished, sc, nil
}

// record puts a held comment in the moderation queue (in the caller's transaction).
func record(ctx context.Context, sc contribution.Screening, id int64) error {
	if sc.Record == nil {
		return nil
	}
	return sc.Record(ctx, id)
}
