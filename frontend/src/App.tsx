import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AppError } from './api/client';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
import { HomePage } from './features/processes/HomePage';
import { ProcessPage } from './features/processes/ProcessPage';
import { UpdatesPage } from './features/processes/UpdatesPage';
import { ManageHubPage } from './features/manage/ManageHubPage';
import { MandatePage } from './features/manage/MandatePage';
import { NewProcessPage, ProcessSettingsPage } from './features/manage/ProcessPages';
import { PublishPage } from './features/manage/PublishPage';
import { DiffPage } from './features/documents/DiffPage';
import { DocumentPage } from './features/documents/DocumentPage';
import { DraftsAdminPage } from './features/drafts/DraftsAdminPage';
import { ImportVersionPage } from './features/drafts/ImportVersionPage';
import { PreviewPage } from './features/drafts/PreviewPage';
import { AccountPage } from './features/account/AccountPage';
import { SessionMenu } from './features/account/SessionMenu';
import { ClusterPage } from './features/forum/ClusterPage';
import { CoveragePage } from './features/forum/CoveragePage';
import { ForumPage } from './features/forum/ForumPage';
import { LedgerPage } from './features/forum/LedgerPage';
import { ResponsePage } from './features/forum/ResponsePage';
import { ForumWorkspacePage } from './features/forum/WorkspacePage';
import { ForumTermsPage } from './features/forum/ForumTermsPage';
import { MeetingsPage } from './features/meetings/MeetingsPage';
import { MeetingPage } from './features/meetings/MeetingPage';
import { EditMeetingPage, NewMeetingPage } from './features/meetings/MeetingFormPage';
import { IdeaPage } from './features/ideas/IdeaPage';
import { IdeaSettingsPage } from './features/ideas/IdeaSettingsPage';
import { IdeasPage } from './features/ideas/IdeasPage';
import { ProposeIdeaPage } from './features/ideas/ProposeIdeaPage';
import { OfflinePage } from './features/offline/OfflinePage';
import { RolesPage } from './features/roles/RolesPage';
import { ModerationConsolePage } from './features/moderation/ModerationConsolePage';
import { ModerationSettingsPage } from './features/moderation/ModerationSettingsPage';
import { ModerationStatsPage } from './features/moderation/ModerationStatsPage';
import { MyModerationPage } from './features/moderation/MyModerationPage';
import { MyCommentsPage } from './features/mycomments/MyCommentsPage';
import { NotificationsLink } from './features/notifications/NotificationsLink';
import { NotificationsPage } from './features/notifications/NotificationsPage';
import { UnsubscribePage } from './features/notifications/UnsubscribePage';
import { CommitmentFormPage } from './features/commitments/CommitmentFormPage';
import { CommitmentPage } from './features/commitments/CommitmentPage';
import { DashboardPage } from './features/commitments/DashboardPage';
import { ImplementationSettingsPage } from './features/commitments/ImplementationSettingsPage';
import { UpdateEditorPage } from './features/commitments/UpdateEditorPage';
import { UpdatePage } from './features/commitments/UpdatePage';
import { RepositoryPage } from './features/repository/RepositoryPage';
import { AnalyticsPage } from './features/report/AnalyticsPage';
import { ReportPage } from './features/report/ReportPage';
import { ReportPublishPage } from './features/report/ReportPublishPage';
import { QuestionsEditorPage } from './features/survey/QuestionsEditorPage';
import { SurveyPage } from './features/survey/SurveyPage';
import { SurveysAdminPage } from './features/survey/SurveysAdminPage';
import { ForgotPasswordPage, LoginPage, ResetPasswordPage, SignUpPage, VerifyEmailPage } from './features/account/pages';

/** newQueryClient retries only failures that a retry can fix. */
export function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (count, err) => !(err instanceof AppError && err.status < 500) && count < 2,
      },
      // A write fails at once when the browser is offline (its form says so,
      // and a retry sends the same Idempotency-Key), rather than waiting.
      mutations: { networkMode: 'always' },
    },
  });
}

/** AppRoutes is the SPA's route table. */
export function AppRoutes() {
  return (
    <Layout
      sessionMenu={
        <>
          <NotificationsLink />
          <SessionMenu />
        </>
      }
    >
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/processes/:slug" element={<ProcessPage />} />
        <Route path="/processes/new" element={<NewProcessPage />} />
        <Route path="/processes/:slug/manage" element={<ManageHubPage />} />
        <Route path="/processes/:slug/settings" element={<ProcessSettingsPage />} />
        <Route path="/processes/:slug/mandate" element={<MandatePage />} />
        <Route path="/processes/:slug/publish" element={<PublishPage />} />
        <Route path="/processes/:slug/updates" element={<UpdatesPage />} />
        <Route path="/processes/:slug/ideas" element={<IdeasPage />} />
        <Route path="/processes/:slug/ideas/new" element={<ProposeIdeaPage />} />
        <Route path="/processes/:slug/ideas/settings" element={<IdeaSettingsPage />} />
        <Route path="/processes/:slug/ideas/:ideaID" element={<IdeaPage />} />
        <Route path="/processes/:slug/roles" element={<RolesPage />} />
        <Route path="/processes/:slug/offline" element={<OfflinePage />} />
        <Route path="/processes/:slug/moderation" element={<ModerationConsolePage />} />
        <Route path="/processes/:slug/moderation/settings" element={<ModerationSettingsPage />} />
        <Route path="/processes/:slug/moderation/stats" element={<ModerationStatsPage />} />
        <Route path="/processes/:slug/forum" element={<ForumPage />} />
        <Route path="/processes/:slug/forum/workspace" element={<ForumWorkspacePage />} />
        <Route path="/processes/:slug/forum/terms" element={<ForumTermsPage />} />
        <Route path="/processes/:slug/meetings" element={<MeetingsPage />} />
        <Route path="/processes/:slug/meetings/new" element={<NewMeetingPage />} />
        <Route path="/meetings/:id" element={<MeetingPage />} />
        <Route path="/meetings/:id/edit" element={<EditMeetingPage />} />
        <Route path="/processes/:slug/ledger" element={<LedgerPage />} />
        <Route path="/processes/:slug/coverage" element={<CoveragePage />} />
        <Route path="/processes/:slug/repository" element={<RepositoryPage />} />
        <Route path="/processes/:slug/reports" element={<ReportPage />} />
        <Route path="/processes/:slug/reports/new" element={<ReportPublishPage />} />
        <Route path="/processes/:slug/reports/:number" element={<ReportPage />} />
        <Route path="/processes/:slug/analytics" element={<AnalyticsPage />} />
        <Route path="/processes/:slug/surveys" element={<SurveysAdminPage />} />
        <Route path="/processes/:slug/surveys/:phase" element={<SurveyPage />} />
        <Route path="/processes/:slug/surveys/:phase/questions" element={<QuestionsEditorPage />} />
        <Route path="/responses/:id" element={<ResponsePage />} />
        <Route path="/processes/:slug/commitments" element={<DashboardPage />} />
        <Route path="/processes/:slug/commitments/new" element={<CommitmentFormPage />} />
        <Route path="/processes/:slug/commitments/settings" element={<ImplementationSettingsPage />} />
        <Route path="/processes/:slug/commitments/:commitmentID" element={<CommitmentPage />} />
        <Route path="/processes/:slug/commitments/:commitmentID/edit" element={<CommitmentFormPage />} />
        <Route path="/processes/:slug/commitments/:commitmentID/updates/new" element={<UpdateEditorPage />} />
        <Route path="/progress-updates/:id" element={<UpdatePage />} />
        <Route path="/clusters/:id" element={<ClusterPage />} />
        <Route path="/documents/:id" element={<DocumentPage />} />
        <Route path="/documents/:id/v/:number" element={<DocumentPage />} />
        <Route path="/documents/:id/diff" element={<DiffPage />} />
        <Route path="/processes/:slug/drafts" element={<DraftsAdminPage />} />
        <Route path="/documents/:id/import" element={<ImportVersionPage />} />
        <Route path="/documents/:id/v/:number/preview" element={<PreviewPage />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignUpPage />} />
        <Route path="/verify-email" element={<VerifyEmailPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/account/comments" element={<MyCommentsPage />} />
        <Route path="/account/moderation" element={<MyModerationPage />} />
        <Route path="/account/notifications" element={<NotificationsPage />} />
        <Route path="/unsubscribe" element={<UnsubscribePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

export function App({ client = newQueryClient() }: { client?: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
