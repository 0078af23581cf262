// Package app is the composition root: the one place that builds every
// service, says what each depends on, and subscribes the reactions to
// events. The server, the command line, the demo loader, the benchmarks and
// the tests all build the system through New.
package app

import (
	"crypto/rand"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/cachesync"
	"cocreate/internal/comment"
	"cocreate/internal/commitment"
	"cocreate/internal/config"
	"cocreate/internal/document"
	"cocreate/internal/document/convert"
	"cocreate/internal/event"
	"cocreate/internal/forum"
	"cocreate/internal/idea"
	"cocreate/internal/idempotency"
	"cocreate/internal/ledger"
	"cocreate/internal/meeting"
	"cocreate/internal/moderation"
	"cocreate/internal/notify"
	"cocreate/internal/offline"
	"cocreate/internal/opendata"
	"cocreate/internal/process"
	"cocreate/internal/ratelimit"
	"cocreate/internal/report"
	"cocreate/internal/repository"
	"cocreate/internal/survey"
	"cocreate/internal/update"
	"cocreate/internal/user"
)

// Deps is what the system needs from the process that runs it.
type Deps struct {
	DB     *gorm.DB
	Config config.Config
	Now    func() time.Time // the clock; time.Now when nil
	Log    *slog.Logger     // nil discards
	Keys   *auth.Keyring    // signs access tokens; nil where nobody signs in (the command line)
	// Unscreened lets contributions skip the moderation screen and its posting
	// limits: for loading data that is not posted by people (the demo,
	// benchmark fixtures), never for serving.
	Unscreened bool
	// Blobs holds uploaded files; nil is a folder under DATA_DIR (BLOB_DIR).
	Blobs blob.Store
	// LedgerKeys sign and check the ledger's checkpoints (LedgerKeys loads
	// them); nil where nothing signs, and then no checkpoint verifies.
	LedgerKeys *ledger.Keys
	// LimitSecret keys the rate-limit counters (RATE_LIMIT_SECRET, or the
	// file serve keeps in DATA_DIR); nil is a random secret for this process
	// only, enough for tests and one-off commands.
	LimitSecret []byte
}

// App is the built system: every service, sharing one database, one clock and
// one event bus.
type App struct {
	DB     *gorm.DB
	Config config.Config
	Now    func() time.Time
	Log    *slog.Logger
	Events *event.Bus
	Blobs  blob.Store
	// CacheSync announces what this instance's writes made stale to the other
	// instances' read caches, and hands theirs to this one's once serve
	// starts its listener.
	CacheSync *cachesync.Sync

	Processes   *process.Service
	Updates     *update.Service
	Accounts    *user.Service
	Limits      *ratelimit.Limiter
	Documents   *document.Service
	Imports     *document.FileImporter // versions from uploaded files (Word and OpenDocument through pandoc)
	Screen      *moderation.Screen
	Ideas       *idea.Service
	Comments    *comment.Service
	Moderation  *moderation.Service
	Ledger      *ledger.Service
	Forum       *forum.Service
	Meetings    *meeting.Service
	Commitments *commitment.Service
	Idempotency *idempotency.Store
	Repository  *repository.Service
	Offline     *offline.Service
	Reports     *report.Service
	Surveys     *survey.Service
	Notify      *notify.Service
}

// New builds every service. The order is the dependency order: each line
// uses only what the lines above it built.
func New(d Deps) *App {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	cfg := d.Config
	if d.Blobs == nil {
		d.Blobs = blob.NewLocal(cfg.BlobFolder())
	}
	a := &App{DB: d.DB, Config: cfg, Now: d.Now, Log: d.Log, Events: event.NewBus(d.Log), Blobs: d.Blobs,
		CacheSync: cachesync.New(d.Log)}

	a.Processes = process.NewService(d.DB, d.Now)
	a.Updates = update.NewService(d.DB, a.Processes, a.Events, d.Now)
	if d.LimitSecret == nil {
		d.LimitSecret = make([]byte, 32)
		_, _ = rand.Read(d.LimitSecret)
	}
	a.Limits = ratelimit.New(d.DB, d.Now, d.LimitSecret)
	a.Accounts = user.NewService(d.DB, user.Options{Keys: d.Keys, Now: d.Now, PublicURL: cfg.PublicURL, Events: a.Events, Limits: a.Limits,
		Hash: user.HashParams{MemoryKiB: cfg.Argon2MemoryKiB, Iterations: cfg.Argon2Iterations, Threads: cfg.Argon2Threads}})
	a.Documents = document.NewService(d.DB, a.Processes, a.Events, d.Now)
	a.Imports = document.NewFileImporter(a.Documents, convert.New(cfg.PandocPath, convert.Limits{Timeout: cfg.ImportTimeout}))
	modOpt := moderation.Options{Now: d.Now, Lease: cfg.ModerationLease, PublicURL: cfg.PublicURL,
		PostingInterval: cfg.PostingInterval, PostingIntervalNew: cfg.PostingIntervalNewAccount}
	a.Screen = moderation.NewScreen(d.DB, modOpt)
	screen := a.Screen.Check
	if d.Unscreened {
		screen = nil
	}
	participants := opendata.NewParticipants(d.DB)
	a.Ideas = idea.NewService(d.DB, a.Processes, a.Documents, idea.Options{Now: d.Now, PublicURL: cfg.PublicURL, Screen: screen, Participants: participants,
		Events: a.Events})
	a.Comments = comment.NewService(d.DB, a.Documents, a.Processes, a.Events,
		comment.Options{Now: d.Now, EditWindow: cfg.CommentEditWindow, PublicURL: cfg.PublicURL, Ideas: a.Ideas, Screen: screen, Participants: participants})
	a.Offline = offline.NewService(d.DB, a.Processes, a.Documents, a.Ideas, a.Comments, a.Blobs, d.Log)
	a.Moderation = moderation.NewService(d.DB, a.Processes, a.Screen, a.Comments, a.Ideas, a.Events, modOpt)
	a.Ledger = ledger.NewService(d.DB, d.LedgerKeys)
	a.Forum = forum.NewService(d.DB, a.Processes, a.Ideas, a.Ledger, a.Events, forum.Options{Now: d.Now, PublicURL: cfg.PublicURL, Log: d.Log})
	a.Meetings = meeting.NewService(d.DB, a.Processes, a.Forum, meeting.Options{Now: d.Now, PublicURL: cfg.PublicURL, Log: d.Log, Screen: screen})
	a.Commitments = commitment.NewService(d.DB, a.Processes, a.Forum, a.Ledger, a.Events, commitment.Options{Now: d.Now, PublicURL: cfg.PublicURL, Log: d.Log})
	a.Idempotency = idempotency.NewStore(d.DB)
	a.Repository = repository.NewService(d.DB, a.Processes, d.Blobs, repository.Options{Now: d.Now, Log: d.Log})
	a.Surveys = survey.NewService(d.DB, a.Processes, survey.Options{Now: d.Now, PublicURL: cfg.PublicURL, Screen: screen})
	a.Reports = report.NewService(d.DB, a.Processes, a.Ledger, a.Surveys, report.Options{Now: d.Now, PublicURL: cfg.PublicURL})

	a.Notify = notify.NewService(d.DB, notify.Options{Now: d.Now, PublicURL: cfg.PublicURL, Log: d.Log})

	// Reactions inside the acting transaction: they commit with it or not at all.
	event.Within(a.Events, a.Comments.Reanchor)
	event.Within(a.Events, a.Moderation.MailAuthor)
	event.Within(a.Events, a.Forum.MailAnswered)
	// Following and the notification events, written with their change.
	event.Within(a.Events, a.Notify.OnCommentPosted)
	event.Within(a.Events, a.Notify.OnIdeaProposed)
	event.Within(a.Events, a.Notify.OnVersionPublished)
	event.Within(a.Events, a.Notify.OnUpdatePublished)
	event.Within(a.Events, a.Notify.OnResponsePublished)
	event.Within(a.Events, a.Notify.OnContributionDecided)
	// Reactions once it has committed.
	event.After(a.Events, a.Comments.SweepAfterPublish)
	return a
}
