// Reads of a process's repository: its documents, page by page, of one kind or all.
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { cacheMode } from '../../lib/freshness';

export type RepositoryItem = components['schemas']['RepositoryItem'];
export type RepositoryKind = components['schemas']['RepositoryKind'];
export type RepositoryPage = components['schemas']['RepositoryPage'];

/** repositoryKinds lists the kinds of document in the order the filter and the form offer them. */
export const repositoryKinds: RepositoryKind[] = ['terms_of_reference', 'minutes', 'self_assessment', 'review_report', 'evidence', 'other'];

/** isRepositoryKind says whether a value (from the address, a form) is a kind. */
export function isRepositoryKind(v: string): v is RepositoryKind {
  return (repositoryKinds as string[]).includes(v);
}

export const repositoryKeys = {
  all: (slug: string) => ['repository', slug] as const,
  list: (slug: string, kind: RepositoryKind | undefined, limit: number) => ['repository', slug, kind ?? 'all', limit] as const,
};

/** repositoryScope is the freshness scope of a process's repository (lib/freshness.ts). */
export const repositoryScope = (slug: string) => `repository-${slug}`;

/** useRepository pages through a process's documents, newest first, of one kind when given. */
export function useRepository(slug: string, kind: RepositoryKind | undefined, limit = 20) {
  return useInfiniteQuery({
    queryKey: repositoryKeys.list(slug, kind, limit),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/repository', {
        params: { path: { slug }, query: { kind, limit, cursor: pageParam } },
        cache: cacheMode(repositoryScope(slug)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
