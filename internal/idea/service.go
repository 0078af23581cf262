package idea

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/document"
	"cocreate/internal/event"
	"cocreate/internal/opendata"
	"cocreate/internal/process"
)

// Options configure the service.
type Options struct {
	Now func() time.Time
	// Screen decides whether a new idea is held for moderation (the
	// moderation feature's hook); nil publishes everything.
	Screen contribution.Screen
	// PublicURL is the address of the SPA, for links in e-mails.
	PublicURL string
	// Participants names the authors in open-data exports.
	Participants *opendata.Participants
	// Events receives event.IdeaProposed, in the proposing transaction.
	Events *event.Bus
}

// Service holds the rules of ideas and supports.
type Service struct {
	db    *gorm.DB
	store *Store
	procs *process.Service
	docs  *document.Service
	opt   Options
}

// NewService returns the idea service.
func NewService(db *gorm.DB, procs *process.Service, docs *document.Service, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: db, store: NewStore(db), procs: procs, docs: docs, opt: opt}
}

// phaseOpen reports whether the process's idea-collection phase is open now.
func (s *Service) phaseOpen(p process.Process) bool {
	ph := ideaPhase(p)
	return ph != nil && ph.StateAt(s.opt.Now()) == process.PhaseOpen
}

func ideaPhase(p process.Process) *process.Phase {
	for i := range p.Phases {
		if p.Phases[i].Kind == process.PhaseIdeaCollection {
			return &p.Phases[i]
		}
	}
	return nil
}

// searchConfigs are the text search configurations of a process's languages,
// first language first, each once (an idea is indexed and searched in all).
func searchConfigs(p process.Process) []string {
	if len(p.Languages) == 0 {
		return []string{"cocreate_simple"}
	}
	var out []string
	for _, l := range p.Languages {
		if c := languageConfig(l); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// languageConfig is the text search configuration of a language: its stemmer
// with accents ignored, or the simple one for languages without a stemmer
// (Chinese, Japanese and Korean are indexed by pairs of characters in all).
func languageConfig(tag string) string {
	lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
	switch lang {
	case "ar":
		return "cocreate_arabic"
	case "hy":
		return "cocreate_armenian"
	case "eu":
		return "cocreate_basque"
	case "ca":
		return "cocreate_catalan"
	case "el":
		return "cocreate_greek"
	case "hi":
		return "cocreate_hindi"
	case "id":
		return "cocreate_indonesian"
	case "ga":
		return "cocreate_irish"
	case "lt":
		return "cocreate_lithuanian"
	case "ne":
		return "cocreate_nepali"
	case "sr":
		return "cocreate_serbian"
	case "ta":
		return "cocreate_tamil"
	case "yi":
		return "cocreate_yiddish"
	case "da":
		return "cocreate_danish"
	case "nl":
		return "cocreate_dutch"
	case "en":
		return "cocreate_english"
	case "fi":
		return "cocreate_finnish"
	case "fr":
		return "cocreate_french"
	case "de":
		return "cocreate_german"
	case "hu":
		return "cocreate_hungarian"
	case "it":
		return "cocreate_italian"
	case "no", "nb", "nn":
		return "cocreate_norwegian"
	case "pt":
		return "cocreate_portuguese"
	case "ro":
		return "cocreate_romanian"
	case "ru":
		return "cocreate_russian"
	case "es":
		return "cocreate_spanish"
	case "sv":
		return "cocreate_swedish"
	case "tr":
		return "cocreate_turkish"
	}
	return "cocreate_simple"
}

// Get returns an idea as actor may see it: a held or hidden idea only to its
// author, the process's owners and moderators, and administrators. It says
// whether actor may merge it into another idea now.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	return s.get(ctx, actor, id)
}

func (s *Service) get(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	i, err := s.store.ByID(ctx, actor.UserID, id)
	if err != nil {
		return Idea{}, err
	}
	if err := s.readable(ctx, actor, i.ProcessID); err != nil {
		return Idea{}, err
	}
	// One query for what the reader may do in the process (none for the anonymous).
	a, err := s.procs.Access(ctx, actor, i.ProcessID)
	if err != nil {
		return Idea{}, err
	}
	if i.Moderation != ModerationPublished && i.AuthorID != actor.UserID && !a.Can(process.SeeHeld) {
		return Idea{}, ErrNotFound
	}
	merge := a.Can(process.MergeIdeas) && i.Status != StatusMerged && i.Status != StatusWithdrawn
	i.CanMerge = &merge
	return i, nil
}

// lockIdea takes the idea's lock (exclusive or shared) in the transaction of
// ctx and reads the idea's own row.
func (s *Service) lockIdea(ctx context.Context, id int64, exclusive bool) (ideaRow, error) {
	if err := s.store.LockIdea(ctx, id, !exclusive); err != nil {
		return ideaRow{}, err
	}
	return s.store.Row(ctx, id)
}

// readable returns nil when actor may read the process with id, and
// ErrNotFound (of the idea) when it is hidden from them.
func (s *Service) readable(ctx context.Context, actor auth.Principal, processID int64) error {
	if err := s.procs.ReadableID(ctx, actor, processID); errors.Is(err, process.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	return nil
}

// requireOpen returns nil when the idea-collection phase of the process with
// id is open, and the process is one actor may read.
func (s *Service) requireOpen(ctx context.Context, actor auth.Principal, processID int64) error {
	p, err := s.procs.GetByID(ctx, processID)
	if err != nil {
		return err
	}
	if err := s.procs.Readable(ctx, actor, p); errors.Is(err, process.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if !s.phaseOpen(p) {
		return ErrPhaseClosed
	}
	return nil
}
