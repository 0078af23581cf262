import { keepPreviousData, useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components, operations } from '../../api/schema';
import { cacheMode, noteWrite } from '../../lib/freshness';

export type Idea = components['schemas']['Idea'];
export type IdeaPage = components['schemas']['IdeaPage'];
export type IdeaStatus = components['schemas']['IdeaStatus'];
export type IdeaChannel = components['schemas']['IdeaChannel'];
export type IdeaTheme = components['schemas']['IdeaTheme'];
export type IdeaSettings = components['schemas']['IdeaSettings'];
export type IdeaSettingsInput = components['schemas']['IdeaSettingsInput'];
export type IdeaCreate = components['schemas']['IdeaCreate'];
export type IdeaEdit = components['schemas']['IdeaEdit'];
export type MySupports = components['schemas']['MySupports'];
export type SupportState = components['schemas']['SupportState'];
export type MyVotes = components['schemas']['MyVotes']['votes'];
export type IdeaSort = NonNullable<NonNullable<operations['listIdeas']['parameters']['query']>['sort']>;

/** ideaStatuses lists the statuses in the order the status filter offers them. */
export const ideaStatuses: IdeaStatus[] = ['submitted', 'under_review', 'accepted', 'amended', 'merged', 'rejected', 'out_of_scope', 'withdrawn'];

/** ideaIsOpen says whether an idea's status lets it take supports and comments (while the phase is open). */
export function ideaIsOpen(idea: Idea): boolean {
  return idea.status === 'submitted' || idea.status === 'under_review' || idea.status === 'accepted' || idea.status === 'amended';
}

/** ideaSorts lists the orders of the ideas list; the first is the default. */
export const ideaSorts: IdeaSort[] = ['random', 'supported', 'newest', 'discussed'];

/** cjkChar matches a character of Chinese, Japanese or Korean (the ranges the server pairs for search). */
const cjkChar = /[\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{3134f}]/u;

/** similarReady says whether typed text is long enough to look for similar ideas: three characters, or a two-character word of Chinese, Japanese or Korean. */
export function similarReady(text: string): boolean {
  const n = Array.from(text).length;
  return n >= 3 || (n === 2 && cjkChar.test(text));
}

/** sortsFor lists the orders offered with search q: best match first, and default, while searching. */
export function sortsFor(q: string | undefined): IdeaSort[] {
  return q ? ['relevant', ...ideaSorts] : ideaSorts;
}

/** IdeaFilters are the ideas list's filters, search and order, as kept in the address. */
export interface IdeaFilters {
  theme?: number;
  status?: IdeaStatus;
  mine?: boolean;
  supported?: boolean;
  q?: string;
  sort: IdeaSort;
}

export const ideaKeys = {
  lists: (slug: string) => ['ideas', slug] as const,
  list: (slug: string, f: IdeaFilters, seed: number, accountId: number | undefined) => ['ideas', slug, f, seed, accountId] as const,
  all: (id: number) => ['idea', id] as const,
  idea: (id: number) => ['idea', id, 'detail'] as const,
  comments: (id: number) => ['idea', id, 'comments'] as const,
  // Not under ['idea', id]: refreshing the idea must not forget the votes this page cast.
  myVotes: (id: number) => ['idea-comment-votes', id] as const,
  mySupports: (slug: string) => ['my-supports', slug] as const,
  similar: (slug: string, text: string) => ['ideas-similar', slug, text] as const,
};

// Scopes for cacheMode/noteWrite: reads in them skip the browser's cache for a
// while after this tab wrote (public reads may be cached for a few seconds).
const ideaScope = (id: number) => `idea-${id}`;
const listScope = (slug: string) => `ideas-${slug}`;

/** useIdeas pages through a process's ideas, filtered and sorted; seed orders sort=random. */
export function useIdeas(slug: string, f: IdeaFilters, seed: number, accountId: number | undefined) {
  return useInfiniteQuery({
    queryKey: ideaKeys.list(slug, f, seed, accountId),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ideas', {
        params: {
          path: { slug },
          query: {
            theme: f.theme,
            status: f.status,
            mine: f.mine || undefined,
            supported: f.supported || undefined,
            q: f.q || undefined,
            sort: f.sort,
            seed: f.sort === 'random' ? seed : undefined,
            limit: 20,
            cursor: pageParam,
          },
        },
        cache: cacheMode(listScope(slug)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useIdea loads one idea (whether the caller supports it depends on who asks). */
export function useIdea(id: number, accountId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: [...ideaKeys.idea(id), accountId],
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/ideas/{ideaID}', { params: { path: { ideaID: id } }, cache: cacheMode(ideaScope(id)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useIdeaComments pages through an idea's discussion, in thread order. */
export function useIdeaComments(id: number) {
  return useInfiniteQuery({
    queryKey: ideaKeys.comments(id),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/ideas/{ideaID}/comments', {
        params: { path: { ideaID: id }, query: { cursor: pageParam } },
        cache: cacheMode(ideaScope(id)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useIdeaCommentVotes loads the signed-in person's votes on an idea's comments. */
export function useIdeaCommentVotes(id: number, accountId: number | undefined) {
  return useQuery({
    queryKey: [...ideaKeys.myVotes(id), accountId],
    enabled: accountId !== undefined,
    queryFn: async (): Promise<MyVotes> => {
      const { data, error, response } = await api.GET('/api/v1/ideas/{ideaID}/my-votes', { params: { path: { ideaID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.votes;
    },
  });
}

/** useMySupports loads the signed-in person's supports in a process and how many are left. */
export function useMySupports(slug: string, accountId: number | undefined) {
  return useQuery({
    queryKey: [...ideaKeys.mySupports(slug), accountId],
    enabled: accountId !== undefined,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/my-supports', { params: { path: { slug } }, cache: cacheMode(listScope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useSimilarIdeas finds up to five published ideas that resemble text (nothing for an empty text). */
export function useSimilarIdeas(slug: string, text: string) {
  return useQuery({
    queryKey: ideaKeys.similar(slug, text),
    enabled: text !== '',
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ideas/similar', { params: { path: { slug }, query: { text } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items.slice(0, 5);
    },
  });
}

/** refreshIdea refetches what a write on an idea changes: the idea, its discussion, the lists it is in. */
export function refreshIdea(client: QueryClient, id: number, slug: string) {
  noteWrite(ideaScope(id));
  noteWrite(listScope(slug));
  return Promise.all([client.invalidateQueries({ queryKey: ideaKeys.all(id) }), client.invalidateQueries({ queryKey: ideaKeys.lists(slug) })]);
}

/** refreshSupports refetches what a support changes: the idea, the lists and the person's supports. */
export function refreshSupports(client: QueryClient, id: number, slug: string) {
  return Promise.all([refreshIdea(client, id, slug), client.invalidateQueries({ queryKey: ideaKeys.mySupports(slug) })]);
}

/** refreshLists refetches a process's idea lists, after an idea was added. */
export function refreshLists(client: QueryClient, slug: string) {
  noteWrite(listScope(slug));
  return client.invalidateQueries({ queryKey: ideaKeys.lists(slug) });
}

const seedKey = 'cocreate.ideaSeed';
let memorySeed: number | undefined;

/**
 * visitorSeed is this visitor's seed for the random order of ideas: drawn once
 * and kept, so the order stays the same from visit to visit (and "Load more"
 * continues it) while differing between visitors.
 */
export function visitorSeed(): number {
  try {
    const stored = localStorage.getItem(seedKey);
    if (stored && /^[1-9]\d{0,8}$/.test(stored)) return Number(stored);
    const seed = newSeed();
    localStorage.setItem(seedKey, String(seed));
    return seed;
  } catch {
    memorySeed ??= newSeed();
    return memorySeed;
  }
}

function newSeed(): number {
  return 1 + Math.floor(Math.random() * 999_999_999);
}

/**
 * useMergeCandidates lists the ideas one may merge an idea into: those whose
 * text matches q (newest first), or, while q is empty, those that resemble
 * the idea itself. The idea itself is left out.
 */
export function useMergeCandidates(idea: Idea, slug: string, q: string) {
  return useQuery({
    queryKey: ['merge-candidates', idea.id, q],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Idea[]> => {
      if (q === '') {
        const text = `${idea.title}\n${idea.body}`.slice(0, 2000);
        const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ideas/similar', { params: { path: { slug }, query: { text } } });
        if (error || !data) throw toAppError(error, response.status);
        return data.items.filter((i) => i.id !== idea.id);
      }
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ideas', {
        params: { path: { slug }, query: { q, sort: 'newest', limit: 10 } },
        cache: cacheMode(listScope(slug)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data.items.filter((i) => i.id !== idea.id);
    },
  });
}
