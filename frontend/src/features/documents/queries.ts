import { useInfiniteQuery, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

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

// Public reads carry `Cache-Control: max-age=5`, so right after this tab wrote
// something the browser (or a CDN) could answer a refetch, or a reload, with
// the page as it was before. For a short while after a write, reads of that
// document (or other scope: a document's id, or a name such as "idea-5")
// revalidate instead. The time of the write is kept in sessionStorage so that
// a reload of the tab knows it too.
const revalidateFor = 15_000;
const writtenAt = new Map<number | string, number>();
const storageKey = (scope: number | string) => `cocreate.wrote.${scope}`;

/** noteWrite records that this tab just changed something in a scope (a document's id, or a name). */
export function noteWrite(scope: number | string) {
  const now = Date.now();
  writtenAt.set(scope, now);
  try {
    sessionStorage.setItem(storageKey(scope), String(now));
  } catch {
    // storage unavailable: this page still knows
  }
}

/** cacheMode is how to read a scope: past the browser's cache for a short while after this tab wrote in it. */
export function cacheMode(scope: number | string): RequestCache {
  let at = writtenAt.get(scope);
  if (at === undefined) {
    try {
      at = Number(sessionStorage.getItem(storageKey(scope))) || undefined;
    } catch {
      at = undefined;
    }
  }
  return at !== undefined && Date.now() - at < revalidateFor ? 'no-cache' : 'default';
}

export const documentKeys = {
  list: (slug: string) => ['documents', slug] as const,
  document: (id: number) => ['document', id] as const,
  versions: (id: number) => ['version', id] as const,
  version: (id: number, number: string) => ['version', id, number] as const,
  thread: (id: number, key: string) => ['thread', id, key] as const,
  threads: (id: number) => ['thread', id] as const,
  orphaned: (id: number) => ['orphaned', id] as const,
  myVotes: (id: number) => ['my-votes', id] as const,
  diff: (id: number, from: number, to: number) => ['diff', id, from, to] as const,
};

/** useProcessDocuments lists the drafts of a process. */
export function useProcessDocuments(slug: string) {
  return useQuery({
    queryKey: documentKeys.list(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/documents', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

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
