import { useInfiniteQuery, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { cacheMode, noteWrite } from '../../lib/freshness';

export type Document = components['schemas']['Document'];
export type VersionSummary = components['schemas']['VersionSummary'];
export type Version = components['schemas']['Version'];
export type Block = components['schemas']['Block'];
export type Comment = components['schemas']['Comment'];
export type CommentPage = components['schemas']['CommentPage'];
export type VersionDiff = components['schemas']['VersionDiff'];
export type ParagraphDiff = components['schemas']['ParagraphDiff'];
export type VoteState = components['schemas']['VoteState'];
export type VoteValue = components['schemas']['VoteCast']['value'];
export type MyVotes = components['schemas']['MyVotes']['votes'];

export const documentKeys = {
  document: (id: number) => ['document', id] as const,
  versions: (id: number) => ['version', id] as const,
  version: (id: number, number: string) => ['version', id, number] as const,
  thread: (id: number, key: string) => ['thread', id, key] as const,
  threads: (id: number) => ['thread', id] as const,
  orphaned: (id: number) => ['orphaned', id] as const,
  myVotes: (id: number) => ['my-votes', id] as const,
  diff: (id: number, from: number, to: number) => ['diff', id, from, to] as const,
};

/** useDocument loads a document with its versions. */
export function useDocument(id: number) {
  return useQuery({
    queryKey: documentKeys.document(id),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}', { params: { path: { documentID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useVersion loads a version with its blocks; number is a version number or "latest". */
export function useVersion(id: number, number: string) {
  return useQuery({
    queryKey: documentKeys.version(id, number),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/versions/{number}', {
        params: { path: { documentID: id, number } },
        cache: cacheMode(id),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useThread pages through one paragraph's comments, in thread order. */
export function useThread(id: number, key: string) {
  return useInfiniteQuery({
    queryKey: documentKeys.thread(id, key),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/paragraphs/{key}/comments', {
        params: { path: { documentID: id, key }, query: { cursor: pageParam } },
        cache: cacheMode(id),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useOrphaned pages through the comments on text that changed too much to follow. */
export function useOrphaned(id: number, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: documentKeys.orphaned(id),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/orphaned-comments', {
        params: { path: { documentID: id }, query: { cursor: pageParam } },
        cache: cacheMode(id),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useMyVotes loads the signed-in person's votes on a document's comments. */
export function useMyVotes(id: number, accountId: number | undefined) {
  return useQuery({
    queryKey: [...documentKeys.myVotes(id), accountId],
    enabled: accountId !== undefined,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/my-votes', { params: { path: { documentID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.votes;
    },
  });
}

/** useDiff loads what changed between two published versions. */
export function useDiff(id: number, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: documentKeys.diff(id, from, to),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/diff', {
        params: { path: { documentID: id }, query: { from, to } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** refreshAfterWrite refetches what a comment or vote changes: threads, counts, orphans. */
export function refreshAfterWrite(client: QueryClient, documentId: number) {
  noteWrite(documentId);
  return Promise.all([
    client.invalidateQueries({ queryKey: documentKeys.threads(documentId) }),
    client.invalidateQueries({ queryKey: documentKeys.versions(documentId) }),
    client.invalidateQueries({ queryKey: documentKeys.orphaned(documentId) }),
  ]);
}

/** useRefreshAfterWrite binds refreshAfterWrite to the app's query client. */
export function useRefreshAfterWrite(documentId: number) {
  const client = useQueryClient();
  return () => refreshAfterWrite(client, documentId);
}
