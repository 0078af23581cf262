import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import type { Account } from '../../api/session';

export type Meeting = components['schemas']['Meeting'];
export type MeetingDetail = components['schemas']['MeetingDetail'];
export type MeetingKind = components['schemas']['MeetingKind'];
export type MeetingInput = components['schemas']['MeetingInput'];
export type MeetingMinutes = components['schemas']['MeetingMinutes'];
export type MinutesInput = components['schemas']['MinutesInput'];
export type AgendaInput = components['schemas']['AgendaInput'];
export type Registrant = components['schemas']['RegistrantList']['items'][number];
export type ForumTerms = components['schemas']['ForumTerms'];

/** kinds lists the kinds of meeting in the order the form offers them. */
export const kinds: MeetingKind[] = ['forum', 'open', 'working_group', 'minister'];

export type When = 'upcoming' | 'past';

export const meetingKeys = {
  all: ['meetings'] as const,
  list: (slug: string, when: When, accountId: number | undefined) => ['meetings', 'list', slug, when, accountId] as const,
  meeting: (id: number, accountId: number | undefined) => ['meetings', 'one', id, accountId] as const,
  inputs: (id: number, accountId: number | undefined) => ['meetings', 'inputs', id, accountId] as const,
  registrations: (id: number) => ['meetings', 'registrations', id] as const,
  members: (slug: string) => ['meetings', 'members', slug] as const,
};

/** useMeetings pages through a process's meetings: upcoming ones soonest first, past ones latest first. */
export function useMeetings(slug: string, when: When, account: Account | null, limit = 20) {
  return useInfiniteQuery({
    queryKey: [...meetingKeys.list(slug, when, account?.id), limit],
    enabled: slug !== '',
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/meetings', {
        params: { path: { slug }, query: { when, limit, cursor: pageParam } },
        cache: 'no-store',
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useMeeting loads one meeting with its minutes and what the caller is to it. */
export function useMeeting(id: number, account: Account | null) {
  return useQuery({
    queryKey: meetingKeys.meeting(id, account?.id),
    enabled: id > 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/meetings/{meetingID}', { params: { path: { meetingID: id } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useMeetingInputs lists the written input to a meeting's agenda: the published input, and the caller's own. */
export function useMeetingInputs(id: number, account: Account | null) {
  return useQuery({
    queryKey: meetingKeys.inputs(id, account?.id),
    enabled: id > 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/meetings/{meetingID}/inputs', { params: { path: { meetingID: id } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useRegistrations lists who registered for a meeting (its owners only). */
export function useRegistrations(id: number, enabled: boolean) {
  return useQuery({
    queryKey: meetingKeys.registrations(id),
    enabled: enabled && id > 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/meetings/{meetingID}/registrations', { params: { path: { meetingID: id } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useForumMembers loads the forum's members, current and past, to mark who attended a meeting. */
export function useForumMembers(slug: string, enabled: boolean) {
  return useQuery({
    queryKey: meetingKeys.members(slug),
    enabled: enabled && slug !== '',
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/terms', { params: { path: { slug } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return [...data.members, ...data.past_members];
    },
  });
}

/** refreshMeetings refetches every list and page of meetings after a write. */
export function refreshMeetings(client: QueryClient) {
  return client.invalidateQueries({ queryKey: meetingKeys.all });
}
