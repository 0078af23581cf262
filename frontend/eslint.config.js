// ESLint for the SPA: TypeScript, the rules of hooks, accessibility, and the
// import boundaries between features.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * boundary forbids a feature's files to import another feature, except the
 * modules listed (paths relative to src/features, without extension).
 * Shared code lives in api/, components/, lib/ and i18n/.
 */
function boundary(allowed = []) {
  const except = allowed.map((m) => `(?!${m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$)`).join('');
  return [
    'error',
    {
      patterns: [
        {
          // From src/features/<one>/, "../<other>/" is another feature.
          regex: `^\\.\\./${except}(?!\\.\\./)[^/]+/`,
          message: 'A feature imports api/, components/, lib/ and i18n/, not another feature: move the shared piece, or name the link in eslint.config.js.',
        },
      ],
    },
  ];
}

export default defineConfig(
  { ignores: ['dist/', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['e2e/**/*.ts', 'scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': boundary() },
  },
  {
    // Shared code serves the features and knows none of them (the app's
    // route table, App.tsx, is where features meet).
    files: ['src/components/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}', 'src/api/**/*.ts', 'src/test/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)features/', message: 'Shared code (api/, components/, lib/, test/) does not import a feature.' }] }],
    },
  },
  // The few real links between features, each named with its reason.
  {
    // The process page is where a person finds everything a process offers:
    // it embeds one section of each feature, and the button to follow it.
    files: ['src/features/processes/ProcessPage.tsx'],
    rules: {
      'no-restricted-imports': boundary(['commitments/CommitmentsSection', 'documents/DraftsSection', 'forum/ForumSection', 'ideas/IdeasSection', 'meetings/MeetingsSection', 'moderation/ModerationSection', 'report/ReportsSection', 'repository/RepositorySection', 'roles/PeopleSection', 'survey/SurveySection', 'notifications/FollowButton']),
    },
  },
  {
    // A comment shows the response that answered it: the forum owns that badge.
    files: ['src/features/documents/CommentHeader.tsx'],
    rules: { 'no-restricted-imports': boundary(['forum/ResponseParts']) },
  },
  {
    // A comment can be reported to the moderators: moderation owns that form.
    files: ['src/features/documents/CommentNode.tsx'],
    rules: { 'no-restricted-imports': boundary(['moderation/ReportForm']) },
  },
  {
    // An idea shows the response that set its status and can be reported.
    files: ['src/features/ideas/IdeaPage.tsx'],
    rules: { 'no-restricted-imports': boundary(['forum/ResponseParts', 'moderation/ReportForm', 'notifications/FollowButton']) },
  },
  {
    // A draft can be followed: notifications own that button.
    files: ['src/features/documents/DocumentPage.tsx'],
    rules: { 'no-restricted-imports': boundary(['notifications/FollowButton']) },
  },
  {
    // The account page lists what one follows and the e-mail choices:
    // notifications own both.
    files: ['src/features/account/AccountPage.tsx'],
    rules: { 'no-restricted-imports': boundary(['notifications/FollowsList', 'notifications/NotificationSettings']) },
  },
  {
    // An idea's discussion is the draft reader's comment thread, on the same
    // /comments routes (replies, votes, edits, reports).
    files: ['src/features/ideas/IdeaDiscussion.tsx'],
    rules: { 'no-restricted-imports': boundary(['documents/CommentThread', 'documents/CommentForm']) },
  },
  {
    // An owner's preview shows a draft exactly as its readers will see it,
    // and what changed, with the reader's own text and diff components.
    files: ['src/features/drafts/PreviewPage.tsx'],
    rules: { 'no-restricted-imports': boundary(['documents/DocumentText', 'documents/DiffPage']) },
  },
  {
    // The comments on a progress update are the draft reader's comment
    // thread too, on the same /comments routes.
    files: ['src/features/commitments/UpdateDiscussion.tsx'],
    rules: { 'no-restricted-imports': boundary(['documents/CommentThread', 'documents/CommentForm']) },
  },
);
