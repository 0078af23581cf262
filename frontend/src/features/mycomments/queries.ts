import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type Comment = components['schemas']['Comment'];

/** What a comment is written on: a draft, an idea or a progress update. */
export type Target = { kind: 'document' | 'idea' | 'update'; id: number };

export const myCommentsKeys = {
  mine: (accountId: number | undefined) => ['me', accountId, 'comments'] as const,
  title: (t: Target) => ['my-comments', 'title', t.kind, t.id] as const,
};

/**
 * useMyComments pages through the signed-in person's comments, newest first,
 * whatever their moderation state. The account is in the key so that another
 * person signing in on this tab never sees the previous one's list.
 */
export function useMyComments(accountId: number | undefined) {
  return useInfiniteQuery({
    queryKey: myCommentsKeys.mine(accountId),
    enabled: accountId !== undefined,
    staleTime: 0,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/me/comments', { params: { query: { cursor: pageParam } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** targetOf says what a comment is written on. */
export function targetOf(c: Comment): Target | null {
  if (c.idea_id != null) return { kind: 'idea', id: c.idea_id };
  if (c.progress_update_id != null) return { kind: 'update', id: c.progress_update_id };
  if (c.document_id != null) return { kind: 'document', id: c.document_id };
  return null;
}

async function titleOf(t: Target): Promise<string> {
  if (t.kind === 'document') {
    const { data, error, response } = await api.GET('/api/v1/documents/{documentID}', { params: { path: { documentID: t.id } } });
    if (error || !data) throw toAppError(error, response.status);
    return data.title;
  }
  if (t.kind === 'idea') {
    const { data, error, response } = await api.GET('/api/v1/ideas/{ideaID}', { params: { path: { ideaID: t.id } } });
    if (error || !data) throw toAppError(error, response.status);
    return data.title;
  }
  const { data, error, response } = await api.GET('/api/v1/progress-updates/{updateID}', { params: { path: { updateID: t.id } } });
  if (error || !data) throw toAppError(error, response.status);
  return data.commitment_title;
}

/**
 * useTargetTitles names the drafts, ideas and commitments the comments are
 * on, one request per distinct target however many comments share it. A
 * title that cannot be had is left out (the page then says "a draft").
 */
export function useTargetTitles(targets: Target[]): Map<string, string> {
  const seen = new Map<string, Target>();
  for (const t of targets) seen.set(`${t.kind}:${t.id}`, t);
  const list = [...seen.values()];
  return useQueries({
    queries: list.map((t) => ({ queryKey: myCommentsKeys.title(t), queryFn: () => titleOf(t), staleTime: 5 * 60_000, retry: false })),
    combine: (results) => {
      const out = new Map<string, string>();
      results.forEach((r, i) => {
        if (r.data !== undefined) out.set(`${list[i].kind}:${list[i].id}`, r.data);
      });
      return out;
    },
  });
}
