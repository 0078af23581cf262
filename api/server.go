// Package api is the HTTP boundary: the route table, middleware, handlers and
// their request and response types. It turns requests into service calls and
// errors into statuses; the rules live in internal/.
package api

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
	"gorm.io/gorm"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/commitment"
	"cocreate/internal/config"
	"cocreate/internal/document"
	"cocreate/internal/forum"
	"cocreate/internal/idea"
	"cocreate/internal/idempotency"
	"cocreate/internal/ledger"
	"cocreate/internal/meeting"
	"cocreate/internal/moderation"
	"cocreate/internal/notify"
	"cocreate/internal/offline"
	"cocreate/internal/process"
	"cocreate/internal/ratelimit"
	"cocreate/internal/report"
	"cocreate/internal/repository"
	"cocreate/internal/survey"
	"cocreate/internal/update"
	"cocreate/internal/user"
)

type handlers struct {
	now         func() time.Time
	cfg         config.Config
	log         *slog.Logger
	db          *gorm.DB
	validate    *validator.Validate
	metrics     *metrics
	processes   *process.Service
	accounts    *user.Service
	limits      *ratelimit.Limiter
	documents   *document.Service
	imports     *document.FileImporter
	comments    *comment.Service
	ideas       *idea.Service
	moderation  *moderation.Service
	forum       *forum.Service
	meetings    *meeting.Service
	commitments *commitment.Service
	ledger      *ledger.Service
	offline     *offline.Service
	updates     *update.Service
	idem        *idempotency.Store
	repository  *repository.Service
	reports     *report.Service
	surveys     *survey.Service
	notify      *notify.Service
	cache       *readCache
	processIDs  sync.Map // the id of each process slug the dashboard was read for
	spa         fs.FS    // the built web app
	// uploadRoutes are the routes that take a file (see upload).
	uploadRoutes map[string]bool
}

// New builds the router with every route of the API and the SPA fallback,
// on the services of a (built by app.New, with the token keys).
func New(a *app.App) (*gin.Engine, error) {
	if !a.Accounts.SignsTokens() {
		return nil, fmt.Errorf("api: no token keyring")
	}
	sqlDB, err := a.DB.DB()
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	h := &handlers{
		now:          a.Now,
		cfg:          a.Config,
		log:          a.Log,
		db:           a.DB,
		validate:     newValidator(),
		metrics:      newMetrics(sqlDB, a.CacheSync),
		processes:    a.Processes,
		accounts:     a.Accounts,
		limits:       a.Limits,
		documents:    a.Documents,
		imports:      a.Imports,
		comments:     a.Comments,
		ideas:        a.Ideas,
		moderation:   a.Moderation,
		forum:        a.Forum,
		meetings:     a.Meetings,
		commitments:  a.Commitments,
		ledger:       a.Ledger,
		offline:      a.Offline,
		updates:      a.Updates,
		idem:         a.Idempotency,
		repository:   a.Repository,
		reports:      a.Reports,
		surveys:      a.Surveys,
		notify:       a.Notify,
		cache:        newReadCache(a.Config.PublicCacheTTL),
		uploadRoutes: map[string]bool{},
	}
	h.cache.subscribe(a.Events, a.CacheSync)
	h.metrics.watchCache(h.cache)
	h.spa, _ = SPAFiles(a.Config.SPADir)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	// The client IP is the socket peer unless the peer is a configured proxy.
	if err := r.SetTrustedProxies(a.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: trusted proxies: %w", err)
	}
	r.Use(requestID, h.accessLog, h.metrics.middleware, h.recovery, securityHeaders, h.limitBody, h.admission(a.Config))

	r.GET("/healthz", h.healthz)           // public
	r.GET("/readyz", h.readyz)             // public
	r.GET("/metrics", h.metrics.handler()) // public; bind ADDR to a private interface in production

	v1 := r.Group("/api/v1", h.cleanRequest, h.authenticate)
	v1.GET("/processes", h.listProcesses)                      // public
	v1.GET("/processes/:slug", h.getProcess)                   // public
	v1.GET("/feed.atom", h.siteFeed)                           // public: Atom, every published process
	v1.GET("/calendar.ics", h.siteCalendar)                    // public: iCalendar, every published process
	v1.GET("/processes/:slug/feed.atom", h.processFeed)        // public: Atom; a published process only, whoever asks
	v1.GET("/processes/:slug/calendar.ics", h.processCalendar) // public: iCalendar; a published process only, whoever asks
	v1.POST("/processes", h.requirePerm(auth.PermProcessCreate), h.createProcess)
	v1.PATCH("/processes/:slug", h.requirePerm(auth.PermProcessEdit), h.updateProcess)

	v1.POST("/processes/:slug/publish", h.requirePerm(auth.PermProcessEdit), h.publishProcess)             // owners (service); again changes nothing
	v1.PUT("/processes/:slug/mandate", h.requirePerm(auth.PermProcessEdit), h.putMandate)                  // owners (service)
	v1.GET("/processes/:slug/updates", h.listUpdates)                                                      // public once the process is
	v1.POST("/processes/:slug/updates", h.requirePerm(auth.PermProcessEdit), h.idempotent, h.createUpdate) // owners (service)
	v1.PATCH("/processes/:slug/updates/:updateID", h.requirePerm(auth.PermProcessEdit), h.editUpdate)      // owners (service), on the version read
	v1.DELETE("/processes/:slug/updates/:updateID", h.requirePerm(auth.PermProcessEdit), h.deleteUpdate)   // owners (service)

	v1.GET("/processes/:slug/roles", h.requirePerm(auth.PermRolesManage), h.listRoles)
	v1.PUT("/processes/:slug/roles/:userID/:role", h.requirePerm(auth.PermRolesManage), h.grantRole)
	v1.DELETE("/processes/:slug/roles/:userID/:role", h.requirePerm(auth.PermRolesManage), h.revokeRole)

	v1.GET("/processes/:slug/people", h.requirePerm(auth.PermRolesManage), h.findPeople) // owners (service); rate-limited per account

	v1.GET("/processes/:slug/documents", h.listDocuments) // public
	v1.POST("/processes/:slug/documents", h.requirePerm(auth.PermDocumentEdit), h.idempotent, h.createDocument)
	v1.GET("/documents/:documentID", h.getDocument)                                    // public; drafts listed for the process's owners
	v1.GET("/documents/:documentID/versions/:number", h.getVersion)                    // public; drafts for the process's owners
	v1.GET("/documents/:documentID/diff", h.diffVersions)                              // public
	v1.GET("/documents/:documentID/annotations", h.exportAnnotations)                  // public: open data
	v1.GET("/documents/:documentID/paragraphs/:key/comments", h.listParagraphComments) // public
	v1.GET("/documents/:documentID/orphaned-comments", h.listOrphanedComments)         // public
	v1.POST("/documents/:documentID/versions", h.requirePerm(auth.PermDocumentEdit), h.idempotent, h.importVersion)
	v1.POST("/documents/:documentID/versions/:number/publish", h.requirePerm(auth.PermDocumentEdit), h.publishVersion) // repeating it is refused (409)

	v1.POST(h.upload("/documents/:documentID/imports"), h.requirePerm(auth.PermDocumentEdit), h.importVersionFile)    // owners (service, before the upload is read)
	v1.GET("/documents/:documentID/versions/:number/preview", h.requirePerm(auth.PermDocumentEdit), h.previewVersion) // owners (service)

	v1.POST("/documents/:documentID/comments", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.createComment)
	v1.GET("/documents/:documentID/my-votes", h.requireAuth, h.listMyVotes) // any signed-in account
	v1.POST("/comments/:commentID/replies", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.replyToComment)
	v1.PATCH("/comments/:commentID", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.editComment)
	v1.DELETE("/comments/:commentID", h.requirePerm(auth.PermContribute), h.idempotent, h.deleteComment)
	v1.PUT("/comments/:commentID/vote", h.requirePerm(auth.PermContribute), h.idempotent, h.voteOnComment)
	v1.DELETE("/comments/:commentID/vote", h.requirePerm(auth.PermContribute), h.idempotent, h.retractVote)
	v1.GET("/me/comments", h.requireAuth, h.listMyComments) // any signed-in account, suspended too

	v1.GET("/processes/:slug/idea-settings", h.getIdeaSettings)                                      // public
	v1.PUT("/processes/:slug/idea-settings", h.requirePerm(auth.PermProcessEdit), h.putIdeaSettings) // owners (service)
	v1.GET("/processes/:slug/ideas", h.listIdeas)                                                    // public; mine/supported need a signed-in account
	v1.POST("/processes/:slug/ideas", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.createIdea)
	v1.GET("/processes/:slug/ideas/similar", h.similarIdeas)               // public
	v1.GET("/processes/:slug/ideas/export", h.exportIdeas)                 // public: open data
	v1.GET("/processes/:slug/my-supports", h.requireAuth, h.getMySupports) // any signed-in account
	v1.GET("/ideas/:ideaID", h.getIdea)                                    // public; held or hidden ones for their author and the process's moderators
	v1.PATCH("/ideas/:ideaID", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.editIdea)
	v1.POST("/ideas/:ideaID/withdraw", h.requirePerm(auth.PermContribute), h.idempotent, h.withdrawIdea)
	v1.PUT("/ideas/:ideaID/support", h.requirePerm(auth.PermContribute), h.idempotent, h.supportIdea)
	v1.DELETE("/ideas/:ideaID/support", h.requirePerm(auth.PermContribute), h.idempotent, h.retractSupport)
	v1.POST("/ideas/:ideaID/merge", h.requirePerm(auth.PermContribute), h.mergeIdea) // moderators, forum members, owners (service)

	v1.GET("/processes/:slug/offline", h.requirePerm(auth.PermProcessEdit), h.listOffline)                                           // owners (service)
	v1.POST(h.upload("/processes/:slug/offline/ideas"), h.requirePerm(auth.PermProcessEdit), h.idempotent, h.enterOfflineIdea)       // owners (service)
	v1.POST(h.upload("/processes/:slug/offline/comments"), h.requirePerm(auth.PermProcessEdit), h.idempotent, h.enterOfflineComment) // owners (service)
	v1.GET("/contribution-attachments/:attachmentID", h.getContributionAttachment)                                                   // owners of its process (service); 404 to everyone else

	v1.GET("/ideas/:ideaID/comments", h.listIdeaComments) // public
	v1.POST("/ideas/:ideaID/comments", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.createIdeaComment)
	v1.GET("/ideas/:ideaID/my-votes", h.requireAuth, h.listMyIdeaVotes) // any signed-in account

	v1.GET("/processes/:slug/house-rules", h.getHouseRules)                                                     // public
	v1.GET("/processes/:slug/moderation/stats", h.getModerationStats)                                           // public: no moderator or author identities
	v1.GET("/processes/:slug/moderation/settings", h.requirePerm(auth.PermModerate), h.getModerationSettings)   // moderators, owners (service)
	v1.PUT("/processes/:slug/moderation/settings", h.requirePerm(auth.PermModerate), h.putModerationSettings)   // owners (service)
	v1.GET("/processes/:slug/moderation/queue", h.requirePerm(auth.PermModerate), h.listModerationQueue)        // moderators, owners (service)
	v1.POST("/processes/:slug/moderation/claim", h.requirePerm(auth.PermModerate), h.claimModerationItem)       // moderators, owners (service)
	v1.POST("/processes/:slug/moderation/bulk", h.requirePerm(auth.PermModerate), h.decideModerationBulk)       // moderators, owners (service)
	v1.GET("/moderation/items/:itemID", h.requirePerm(auth.PermModerate), h.getModerationItem)                  // moderators, owners (service)
	v1.POST("/moderation/items/:itemID/decisions", h.requirePerm(auth.PermModerate), h.decideModerationItem)    // moderators, owners (service)
	v1.POST("/moderation/items/:itemID/appeal", h.requirePerm(auth.PermContribute), h.appealModerationDecision) // the author (service)
	v1.GET("/me/moderation", h.requireAuth, h.listMyModeration)                                                 // any signed-in account
	v1.POST("/comments/:commentID/flags", h.requirePerm(auth.PermContribute), h.flagComment)
	v1.POST("/ideas/:ideaID/flags", h.requirePerm(auth.PermContribute), h.flagIdea)

	v1.GET("/processes/:slug/forum", h.getForum)                                                                       // public; viewer says what the caller may do
	v1.PUT("/processes/:slug/forum/settings", h.requirePerm(auth.PermProcessEdit), h.putForumSettings)                 // owners (service)
	v1.GET("/processes/:slug/forum/unanswered", h.listUnanswered)                                                      // public
	v1.GET("/processes/:slug/forum/clusters", h.listClusters)                                                          // public
	v1.POST("/processes/:slug/forum/clusters", h.requirePerm(auth.PermRespond), h.createCluster)                       // forum members (service)
	v1.GET("/processes/:slug/forum/suggestions", h.requirePerm(auth.PermRespond), h.listClusterSuggestions)            // forum members, owners (service)
	v1.POST("/processes/:slug/forum/suggestions/dismiss", h.requirePerm(auth.PermRespond), h.dismissClusterSuggestion) // forum members (service)
	v1.GET("/clusters/:clusterID", h.getCluster)                                                                       // public
	v1.POST("/clusters/:clusterID/members", h.requirePerm(auth.PermRespond), h.addClusterMembers)                      // forum members (service)
	v1.GET("/processes/:slug/forum/responses", h.requirePerm(auth.PermRespond), h.listDraftResponses)                  // forum members, owners (service)
	v1.POST("/processes/:slug/forum/responses", h.requirePerm(auth.PermRespond), h.idempotent, h.createResponse)       // forum members (service)
	v1.GET("/responses/:responseID", h.getResponse)                                                                    // public once published; drafts for the forum and owners
	v1.PATCH("/responses/:responseID", h.requirePerm(auth.PermRespond), h.editResponse)                                // forum members, on the revision read (service)
	v1.DELETE("/responses/:responseID", h.requirePerm(auth.PermRespond), h.discardResponse)                            // forum members, drafts only (service)
	v1.POST("/responses/:responseID/sign", h.requirePerm(auth.PermRespond), h.signResponse)                            // forum members; publishes when the rule is met
	v1.POST("/responses/:responseID/dissent", h.requirePerm(auth.PermRespond), h.dissentFromResponse)                  // forum members (service)
	v1.GET("/processes/:slug/ledger", h.listLedger)                                                                    // public
	v1.GET("/processes/:slug/ledger/verify", h.verifyLedger)                                                           // public
	v1.GET("/processes/:slug/ledger/export", h.exportLedger)                                                           // public: JSON Lines with every checkpoint
	v1.GET("/processes/:slug/ledger/consistency", h.ledgerConsistency)                                                 // public: does the ledger extend a kept seq and hash?
	v1.GET("/ledger/keys", h.ledgerKeys)                                                                               // public: the checkpoint keys to pin

	// The forum as an institution: rules, terms, declarations, meetings.
	v1.GET("/processes/:slug/forum/terms", h.getForumTerms)                                                                       // public: terms of reference, members current and past, declarations
	v1.PUT("/processes/:slug/forum/terms", h.requirePerm(auth.PermProcessEdit), h.putForumTerms)                                  // owners (service)
	v1.PUT("/processes/:slug/forum/memberships/:membershipID", h.requirePerm(auth.PermProcessEdit), h.putForumMembership)         // owners (service)
	v1.PUT("/processes/:slug/forum/declaration", h.requirePerm(auth.PermRespond), h.putDeclaration)                               // a member, their own (service)
	v1.POST("/responses/:responseID/recuse", h.requirePerm(auth.PermRespond), h.recuseFromResponse)                               // forum members; publishes when the rule then holds
	v1.DELETE("/responses/:responseID/signature", h.requirePerm(auth.PermRespond), h.withdrawFromResponse)                        // a member, their own; publishes when the rule then holds
	v1.GET("/processes/:slug/meetings", h.listMeetings)                                                                           // public; drafts for owners
	v1.GET("/processes/:slug/meetings/frequency", h.getMeetingFrequency)                                                          // public: forum meetings per quarter against the target
	v1.POST("/processes/:slug/meetings", h.requirePerm(auth.PermProcessEdit), h.idempotent, h.createMeeting)                      // owners (service)
	v1.GET("/meetings/:meetingID", h.getMeeting)                                                                                  // public once published; drafts for owners
	v1.PATCH("/meetings/:meetingID", h.requirePerm(auth.PermProcessEdit), h.editMeeting)                                          // owners, on the revision read (service)
	v1.POST("/meetings/:meetingID/publish", h.requirePerm(auth.PermProcessEdit), h.publishMeeting)                                // owners (service)
	v1.GET("/meetings/:meetingID/registrations", h.requirePerm(auth.PermProcessEdit), h.listRegistrations)                        // owners (service)
	v1.PUT("/meetings/:meetingID/registration", h.requirePerm(auth.PermContribute), h.registerForMeeting)                         // any active account: a place or the waiting list
	v1.DELETE("/meetings/:meetingID/registration", h.requirePerm(auth.PermContribute), h.unregisterFromMeeting)                   // the registered account
	v1.GET("/meetings/:meetingID/inputs", h.listMeetingInputs)                                                                    // public; one's own held input too
	v1.POST("/meetings/:meetingID/inputs", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.addMeetingInput) // screened like comments
	v1.POST("/meetings/:meetingID/minutes", h.requirePerm(auth.PermProcessEdit), h.publishMinutes)                                // owners (service): the first version or a correction

	v1.GET("/processes/:slug/coverage", h.getCoverage) // public: open data

	v1.GET("/processes/:slug/repository", h.listRepository)                                                               // public; an unpublished process's for its owners
	v1.GET("/processes/:slug/repository/export", h.exportRepository)                                                      // public: open data
	v1.POST(h.upload("/processes/:slug/repository/files"), h.requirePerm(auth.PermDocumentEdit), h.addRepositoryFile)     // owners (service); multipart, UPLOAD_MAX_BYTES
	v1.POST("/processes/:slug/repository/links", h.requirePerm(auth.PermDocumentEdit), h.idempotent, h.addRepositoryLink) // owners (service)
	v1.GET("/repository/:itemID/file", h.downloadRepositoryFile)                                                          // public; an unpublished process's for its owners
	v1.DELETE("/repository/:itemID", h.requirePerm(auth.PermDocumentEdit), h.deleteRepositoryItem)                        // owners (service); the file too

	// Feedback on the process: a survey per phase, open for 30 days after it closes.
	v1.GET("/processes/:slug/surveys", h.listSurveys)                                                              // public
	v1.GET("/processes/:slug/surveys/invited", h.requireAuth, h.listInvitedSurveys)                                // any signed-in account: their own
	v1.GET("/processes/:slug/surveys/:phase", h.getSurvey)                                                         // public
	v1.PUT("/processes/:slug/surveys/:phase/questions", h.requirePerm(auth.PermProcessEdit), h.putSurveyQuestions) // owners (service), until the first answer
	v1.POST("/processes/:slug/surveys/:phase/answers", h.requirePerm(auth.PermContribute), h.answerSurvey)         // the phase's participants, once (service)
	v1.GET("/processes/:slug/surveys/:phase/results", h.getSurveyResults)                                          // public: no figure under 5 answers

	// Commitments and their monitoring (implementation phase).
	v1.GET("/processes/:slug/commitments", h.getDashboard)                                                                  // public: the dashboard (read cache)
	v1.POST("/processes/:slug/commitments", h.requirePerm(auth.PermProcessEdit), h.idempotent, h.createCommitment)          // owners (service)
	v1.GET("/processes/:slug/commitments/export", h.exportCommitments)                                                      // public: open data
	v1.GET("/processes/:slug/implementation-settings", h.getImplementationSettings)                                         // public
	v1.PUT("/processes/:slug/implementation-settings", h.requirePerm(auth.PermProcessEdit), h.putImplementationSettings)    // owners (service)
	v1.GET("/commitments/:commitmentID", h.getCommitment)                                                                   // public; drafts of updates for its writers
	v1.PUT("/commitments/:commitmentID", h.requirePerm(auth.PermProcessEdit), h.replaceCommitment)                          // owners (service), on the revision read
	v1.POST("/commitments/:commitmentID/withdraw", h.requirePerm(auth.PermProcessEdit), h.withdrawCommitment)               // owners (service)
	v1.POST("/commitments/:commitmentID/updates", h.requirePerm(auth.PermContribute), h.idempotent, h.createProgressUpdate) // its working group, owners, forum members (service)
	v1.GET("/commitments/:commitmentID/questions", h.listQuestions)                                                         // public
	v1.POST("/commitments/:commitmentID/questions", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.askQuestion)
	v1.POST("/questions/:questionID/answer", h.requirePerm(auth.PermContribute), h.answerQuestion)               // the lead institution or the forum (service)
	v1.POST("/questions/:questionID/pause", h.requirePerm(auth.PermContribute), h.pauseQuestion)                 // the lead institution or the forum, once (service)
	v1.POST("/questions/:questionID/hide", h.requirePerm(auth.PermModerate), h.hideQuestion)                     // moderators, owners (service)
	v1.GET("/progress-updates/:updateID", h.getProgressUpdate)                                                   // public once published; drafts for its writers
	v1.PATCH("/progress-updates/:updateID", h.requirePerm(auth.PermContribute), h.editProgressUpdate)            // its writers, on the revision read (service)
	v1.DELETE("/progress-updates/:updateID", h.requirePerm(auth.PermContribute), h.discardProgressUpdate)        // its writers, drafts only (service)
	v1.POST("/progress-updates/:updateID/publish", h.requirePerm(auth.PermContribute), h.publishProgressUpdate)  // government updates: owners, government writers (service)
	v1.POST("/progress-updates/:updateID/sign", h.requirePerm(auth.PermRespond), h.signProgressUpdate)           // joint updates: forum members; publishes when the rule is met
	v1.POST("/progress-updates/:updateID/dissent", h.requirePerm(auth.PermRespond), h.dissentFromProgressUpdate) // joint updates: forum members (service)
	v1.GET("/progress-updates/:updateID/comments", h.listProgressComments)                                       // public, once published
	v1.POST("/progress-updates/:updateID/comments", h.requirePerm(auth.PermContribute), h.postingCeiling, h.idempotent, h.createProgressComment)
	v1.GET("/progress-updates/:updateID/my-votes", h.requireAuth, h.listMyProgressVotes) // any signed-in account

	// Close-out reports: previewed and published by owners, read by everyone.
	v1.GET("/processes/:slug/reports", h.listReports)                                                       // public once the process is
	v1.GET("/processes/:slug/reports/preview", h.requirePerm(auth.PermProcessEdit), h.previewReport)        // owners (service)
	v1.POST("/processes/:slug/reports", h.requirePerm(auth.PermProcessEdit), h.idempotent, h.publishReport) // owners (service); e-mails each contributor once
	v1.GET("/processes/:slug/report-jobs/:jobID", h.requirePerm(auth.PermProcessEdit), h.getReportJob)      // owners (service): a report made in the background (Prefer: respond-async)
	v1.GET("/processes/:slug/reports/:number", h.getReport)                                                 // public once the process is
	v1.GET("/processes/:slug/reports/:number/export", h.exportReport)
	v1.GET("/processes/:slug/analytics", h.requireAuth, h.getAnalytics) // public: open data, JSON as hashed or CSV

	v1.POST("/auth/signup", h.signUp)                               // public
	v1.POST("/auth/verify-email", h.verifyEmail)                    // public: the e-mailed token is the credential
	v1.POST("/auth/login", h.login)                                 // public
	v1.POST("/auth/refresh", h.refresh)                             // public: the refresh cookie is the credential
	v1.POST("/auth/logout", h.logout)                               // public: the refresh cookie is the credential
	v1.POST("/auth/password-reset", h.requestPasswordReset)         // public
	v1.POST("/auth/password-reset/confirm", h.confirmPasswordReset) // public: the e-mailed token is the credential
	v1.GET("/me", h.requireAuth, h.getMe)                           // any signed-in account, suspended too
	v1.PATCH("/me", h.requirePerm(auth.PermAccountSelf), h.updateMe)
	v1.PUT("/me/password", h.requirePerm(auth.PermAccountSelf), h.changePassword)
	v1.POST("/me/verification-email", h.requirePerm(auth.PermAccountSelf), h.resendVerification)
	v1.DELETE("/me", h.requirePerm(auth.PermAccountSelf), h.deleteMe)

	// Following and notifications: each account its own (service).
	v1.GET("/me/follows", h.requireAuth, h.listFollows)                                                 // any signed-in account
	v1.POST("/me/follows", h.requirePerm(auth.PermAccountSelf), h.follow)                               // any active account; a subject anyone may read
	v1.DELETE("/me/follows", h.requirePerm(auth.PermAccountSelf), h.unfollow)                           // any active account, automatic follows too
	v1.GET("/me/notifications", h.requireAuth, h.listNotifications)                                     // any signed-in account, suspended too
	v1.GET("/me/notifications/unread", h.requireAuth, h.unreadNotifications)                            // any signed-in account, suspended too
	v1.POST("/me/notifications/read-all", h.requireAuth, h.readAllNotifications)                        // any signed-in account, suspended too
	v1.POST("/me/notifications/:notificationID/read", h.requireAuth, h.readNotification)                // its recipient; 404 to anyone else
	v1.GET("/me/notification-settings", h.requireAuth, h.getNotificationSettings)                       // any signed-in account
	v1.PUT("/me/notification-settings", h.requirePerm(auth.PermAccountSelf), h.putNotificationSettings) // any active account
	v1.POST("/unsubscribe", h.unsubscribe)                                                              // public: the e-mailed token is the credential, for one account and kind

	r.NoRoute(h.notFoundOrSPA)
	return r, nil
}

// Server wraps the router in an http.Server with the configured timeouts.
func Server(cfg config.Config, handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
