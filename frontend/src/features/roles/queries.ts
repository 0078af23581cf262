// Reads of the roles screen: a process's role holders, and the accounts an
// owner finds to give a role.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type RoleHolder = components['schemas']['RoleHolder'];
export type ProcessRole = components['schemas']['ProcessRole'];
export type PersonFound = components['schemas']['PersonFound'];
export type RoleGrant = components['schemas']['RoleGrant'];
export type Seat = NonNullable<RoleGrant['seat']>;

/** roleOrder is the order the screen lists roles in. */
export const roleOrder: ProcessRole[] = ['owner', 'moderator', 'forum_member'];

/** seats are a forum member's possible seats, in the order offered. */
export const seats: Seat[] = ['government', 'civil_society', 'other'];

export const roleKeys = {
  holders: (slug: string) => ['roles', slug] as const,
  people: (slug: string, q: string) => ['people', slug, q] as const,
};

/** useRoleHolders lists who holds which role in a process, with who granted it and when. */
export function useRoleHolders(slug: string, enabled = true) {
  return useQuery({
    queryKey: roleKeys.holders(slug),
    enabled,
    retry: false,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/roles', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data.items;
    },
  });
}

/**
 * usePeopleSearch finds accounts by exact e-mail address or part of a name,
 * a page at a time (nothing while q is empty).
 */
export function usePeopleSearch(slug: string, q: string) {
  return useInfiniteQuery({
    queryKey: roleKeys.people(slug, q),
    enabled: q !== '',
    retry: false,
    staleTime: 0,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/people', {
        params: { path: { slug }, query: { q, limit: 20, cursor: pageParam } },
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
