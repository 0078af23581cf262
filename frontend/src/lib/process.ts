// Reads of a process that several features show: the process itself (with
// its engagement mandate and what the reader may do there), its drafts, its
// updates, its idea settings (themes) and whether the reader may manage it.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../api/client';
import type { components } from '../api/schema';
import type { Account } from '../api/session';
import { useAccount } from './useAccount';

export type Mandate = components['schemas']['Mandate'];
export type MandatePart = components['schemas']['MandatePart'];
export type IAP2Level = components['schemas']['IAP2Level'];
export type ProcessUpdatePost = components['schemas']['ProcessUpdatePost'];

/** The IAP2 levels, from the least influence to the most. */
export const iap2Levels: IAP2Level[] = ['inform', 'consult', 'involve', 'collaborate', 'empower'];

export const processKeys = {
  process: (slug: string) => ['process', slug] as const,
  documents: (slug: string) => ['documents', slug] as const,
  updates: (slug: string) => ['process-updates', slug] as const,
  ideaSettings: (slug: string) => ['idea-settings', slug] as const,
  canManage: (slug: string, accountId: number | undefined) => ['can-manage', slug, accountId] as const,
};

/**
 * useProcess loads one process with its phases and mandate (once enabled,
 * when given). The answer depends on who reads (an unpublished process, what
 * the reader may do), so it is kept per account.
 */
export function useProcess(slug: string, enabled = true) {
  const account = useAccount();
  return useQuery({
    queryKey: [...processKeys.process(slug), account?.id ?? null],
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}', {
        params: { path: { slug } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useProcessDocuments lists the drafts of a process. */
export function useProcessDocuments(slug: string) {
  return useQuery({
    queryKey: processKeys.documents(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/documents', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useProcessUpdates pages through a process's updates, newest first. */
export function useProcessUpdates(slug: string, pageSize = 10) {
  return useInfiniteQuery({
    queryKey: [...processKeys.updates(slug), pageSize],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/updates', {
        params: { path: { slug }, query: { limit: pageSize, cursor: pageParam } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useIdeaSettings loads a process's themes, support rules and idea-collection phase. */
export function useIdeaSettings(slug: string, enabled = true) {
  return useQuery({
    queryKey: processKeys.ideaSettings(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/idea-settings', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/**
 * useCanManageProcess says whether the signed-in person may change a
 * process's settings: administrators may, and so may those allowed to read the
 * process's roles (its owners).
 */
export function useCanManageProcess(slug: string, account: Account | null) {
  const roles = useQuery({
    queryKey: processKeys.canManage(slug, account?.id),
    enabled: account != null && !account.admin,
    retry: false,
    queryFn: async () => {
      const { error, response } = await api.GET('/api/v1/processes/{slug}/roles', { params: { path: { slug } } });
      if (response.status === 403 || response.status === 401) return false;
      if (error) throw toAppError(error, response.status);
      return true;
    },
  });
  return { allowed: account != null && (account.admin || roles.data === true), checking: roles.isLoading };
}
