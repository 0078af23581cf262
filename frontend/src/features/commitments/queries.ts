// Reads of the implementation phase: the dashboard, a commitment, a progress
// update and its comments, questions and the process's settings.
import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { cacheMode, noteWrite } from '../../lib/freshness';

export type Dashboard = components['schemas']['Dashboard'];
export type CommitmentSummary = components['schemas']['CommitmentSummary'];
export type CommitmentStatus = components['schemas']['CommitmentStatus'];
export type StatusReason = components['schemas']['CommitmentStatusReason'];
export type Commitment = components['schemas']['Commitment'];
export type CommitmentInput = components['schemas']['CommitmentInput'];
export type Milestone = components['schemas']['Milestone'];
export type ProgressUpdate = components['schemas']['ProgressUpdate'];
export type ProgressUpdateInput = components['schemas']['ProgressUpdateInput'];
export type MilestoneState = components['schemas']['MilestoneState'];
export type Question = components['schemas']['Question'];
export type ImplementationSettings = components['schemas']['ImplementationSettings'];
export type ImplementationSettingsInput = components['schemas']['ImplementationSettingsInput'];
export type SelfAssessment = components['schemas']['SelfAssessment'];
export type Viewer = components['schemas']['CommitmentViewer'];
export type OGPValue = components['schemas']['OGPValue'];
export type Seat = components['schemas']['Seat'];
export type MyVotes = components['schemas']['MyVotes']['votes'];
export type Comment = components['schemas']['Comment'];

/** statuses lists the statuses in the order the summary and the filters show them. */
export const statuses: CommitmentStatus[] = ['not_started', 'on_track', 'at_risk', 'delayed', 'completed', 'withdrawn'];

/** ogpValues lists the OGP values in the order the form offers them. */
export const ogpValues: OGPValue[] = ['access_to_information', 'civic_participation', 'public_accountability', 'technology_innovation'];

/** milestoneStates lists the states an update gives a milestone. */
export const milestoneStates: MilestoneState[] = ['not_started', 'in_progress', 'at_risk', 'completed'];

export const commitmentKeys = {
  dashboard: (slug: string) => ['commitments', slug] as const,
  settings: (slug: string) => ['implementation-settings', slug] as const,
  all: (id: number) => ['commitment', id] as const,
  commitment: (id: number, accountId: number | undefined) => ['commitment', id, 'detail', accountId] as const,
  questions: (id: number) => ['commitment', id, 'questions'] as const,
  update: (id: number, accountId: number | undefined) => ['progress-update', id, 'detail', accountId] as const,
  updateDetail: (id: number) => ['progress-update', id, 'detail'] as const,
  updates: (id: number) => ['progress-update', id] as const,
  comments: (id: number) => ['progress-update', id, 'comments'] as const,
  // Not under the update's key: refreshing the update must not forget the votes this page cast.
  myVotes: (id: number) => ['progress-update-votes', id] as const,
};

// The dashboard is a public read the browser may keep a few seconds; after a
// write in the process, this tab reads past it (lib/freshness.ts).
const scope = (slug: string) => `commitments-${slug}`;

/** useDashboard loads a process's implementation dashboard. */
export function useDashboard(slug: string) {
  return useQuery({
    queryKey: commitmentKeys.dashboard(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/commitments', { params: { path: { slug } }, cache: cacheMode(scope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useImplementationSettings loads a process's N, holidays and self-assessment draft. */
export function useImplementationSettings(slug: string) {
  return useQuery({
    queryKey: commitmentKeys.settings(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/implementation-settings', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useCommitment loads a commitment's page (what the caller may do depends on who they are). */
export function useCommitment(id: number, accountId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: commitmentKeys.commitment(id, accountId),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/commitments/{commitmentID}', { params: { path: { commitmentID: id } }, cache: 'no-cache' });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useQuestions loads a commitment's questions with their answer clocks. */
export function useQuestions(id: number) {
  return useQuery({
    queryKey: commitmentKeys.questions(id),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/commitments/{commitmentID}/questions', { params: { path: { commitmentID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useProgressUpdate loads one update (a draft only for its writers). */
export function useProgressUpdate(id: number, accountId: number | undefined) {
  return useQuery({
    queryKey: commitmentKeys.update(id, accountId),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/progress-updates/{updateID}', { params: { path: { updateID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useUpdateComments pages through the comments on a published update, in thread order. */
export function useUpdateComments(id: number, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: commitmentKeys.comments(id),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/progress-updates/{updateID}/comments', {
        params: { path: { updateID: id }, query: { cursor: pageParam } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useUpdateCommentVotes loads the signed-in person's votes on an update's comments. */
export function useUpdateCommentVotes(id: number, accountId: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...commitmentKeys.myVotes(id), accountId],
    enabled: enabled && accountId !== undefined,
    queryFn: async (): Promise<MyVotes> => {
      const { data, error, response } = await api.GET('/api/v1/progress-updates/{updateID}/my-votes', { params: { path: { updateID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.votes;
    },
  });
}

/** refreshCommitment refetches what a write on a commitment changes: its page, its questions and the dashboard. */
export function refreshCommitment(client: QueryClient, slug: string, id: number) {
  noteWrite(scope(slug));
  return Promise.all([client.invalidateQueries({ queryKey: commitmentKeys.all(id) }), client.invalidateQueries({ queryKey: commitmentKeys.dashboard(slug) })]);
}

/** refreshUpdate refetches what a write on an update changes: the update, its commitment and the dashboard. */
export function refreshUpdate(client: QueryClient, slug: string, updateId: number, commitmentId: number) {
  return Promise.all([client.invalidateQueries({ queryKey: commitmentKeys.updates(updateId) }), refreshCommitment(client, slug, commitmentId)]);
}

/** useParagraphs loads the blocks of a draft's latest published version, to link a commitment to its paragraphs. */
export function useParagraphs(documentId: number | null) {
  return useQuery({
    queryKey: ['commitment-paragraphs', documentId],
    enabled: documentId != null,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/versions/{number}', {
        params: { path: { documentID: documentId ?? 0, number: 'latest' } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data.blocks.filter((b) => b.kind !== 'heading').map((b) => ({ key: b.key, text: b.text }));
    },
  });
}
