import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import type { Account } from '../../api/session';
import { excerpt } from '../../lib/format';

export type ReasonCode = components['schemas']['ReasonCode'];
export type HouseRule = components['schemas']['HouseRule'];
export type ModerationMode = components['schemas']['ModerationMode'];
export type ModerationSettings = components['schemas']['ModerationSettings'];
export type ScreenRules = components['schemas']['ScreenRules'];
export type ModerationCause = components['schemas']['ModerationCause'];
export type ModerationOutcome = components['schemas']['ModerationOutcome'];
export type ModerationItem = components['schemas']['ModerationItem'];
export type ModerationItemDetail = components['schemas']['ModerationItemDetail'];
export type ModerationDecision = components['schemas']['ModerationDecision'];
export type ModerationQueue = components['schemas']['ModerationQueue'];
export type ModerationDecisionInput = components['schemas']['ModerationDecisionInput'];
export type ModerationBulk = components['schemas']['ModerationBulk'];
export type ModerationBulkResult = components['schemas']['ModerationBulkResult'];
export type MyModerationItem = components['schemas']['MyModerationItem'];
export type FlagInput = components['schemas']['FlagInput'];
export type FlagResult = components['schemas']['FlagResult'];
export type ModerationStats = components['schemas']['ModerationStats'];

/** reasonCodes are the house rules, in the order every picker offers them. */
export const reasonCodes: ReasonCode[] = ['spam', 'abuse', 'personal_data', 'off_topic', 'illegal', 'duplicate', 'other'];

/** causes are the reasons an item is in the queue, in the order the filter offers them. */
export const causes: ModerationCause[] = ['mode', 'new_account', 'screen', 'flags', 'edit', 'appeal', 'escalated'];

/** modes are the moderation modes, in the order the settings offer them. */
export const modes: ModerationMode[] = ['post', 'pre', 'risk'];

/** QueueFilters narrow the queue (and what "Claim next" may claim). */
export interface QueueFilters {
  cause?: ModerationCause;
  target?: 'comment' | 'idea' | 'agenda_input' | 'survey_text';
  olderThanHours?: number;
}

export const moderationKeys = {
  houseRules: (slug: string) => ['house-rules', slug] as const,
  settings: (slug: string, accountId: number | undefined) => ['moderation-settings', slug, accountId] as const,
  queues: (slug: string) => ['moderation-queue', slug] as const,
  queue: (slug: string, f: QueueFilters) => ['moderation-queue', slug, f] as const,
  items: ['moderation-item'] as const,
  item: (id: number) => ['moderation-item', id] as const,
  mine: (accountId: number | undefined) => ['my-moderation', accountId] as const,
  stats: (slug: string) => ['moderation-stats', slug] as const,
};

/** useHouseRules loads a process's house rules, the reasons of flags and decisions (once enabled). */
export function useHouseRules(slug: string | undefined, enabled = true) {
  return useQuery({
    queryKey: moderationKeys.houseRules(slug ?? ''),
    enabled: enabled && !!slug,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/house-rules', { params: { path: { slug: slug ?? '' } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.rules;
    },
  });
}

/**
 * rulesInOrder gives the house rules in the pickers' order; a code the server
 * did not describe (or all of them, while the rules load) has no description.
 */
export function rulesInOrder(rules: HouseRule[] | undefined): HouseRule[] {
  return reasonCodes.map((code) => rules?.find((r) => r.code === code) ?? { code, description: '' });
}

/**
 * useModerationSettings loads a process's moderation settings. Only its owners,
 * moderators and administrators may read them: for anyone else the answer is
 * null (not an error), which is how the process page knows whether to link to
 * the console.
 */
export function useModerationSettings(slug: string, account: Account | null) {
  return useQuery({
    queryKey: moderationKeys.settings(slug, account?.id),
    enabled: account != null,
    retry: false,
    queryFn: async (): Promise<ModerationSettings | null> => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/moderation/settings', { params: { path: { slug } } });
      if (response.status === 403 || response.status === 401) return null;
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useModerationQueue pages through the items awaiting a decision, oldest first. */
export function useModerationQueue(slug: string, f: QueueFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: moderationKeys.queue(slug, f),
    enabled,
    retry: false,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/moderation/queue', {
        params: {
          path: { slug },
          query: { cause: f.cause, target: f.target, older_than_hours: f.olderThanHours, limit: 50, cursor: pageParam },
        },
        cache: 'no-store',
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useModerationItem loads one item in context, for the item view. */
export function useModerationItem(id: number | null) {
  return useQuery({
    queryKey: moderationKeys.item(id ?? 0),
    enabled: id != null,
    staleTime: 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/moderation/items/{itemID}', { params: { path: { itemID: id ?? 0 } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useMyModeration lists the signed-in person's contributions that moderation held or decided. */
export function useMyModeration(accountId: number | undefined) {
  return useQuery({
    queryKey: moderationKeys.mine(accountId),
    enabled: accountId !== undefined,
    staleTime: 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/me/moderation', { cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useModerationStats loads a process's public moderation figures. */
export function useModerationStats(slug: string) {
  return useQuery({
    queryKey: moderationKeys.stats(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/moderation/stats', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data as ModerationStats;
    },
  });
}

/** refreshQueue refetches a process's queue and any open item after a decision or claim. */
export function refreshQueue(client: QueryClient, slug: string) {
  return Promise.all([client.invalidateQueries({ queryKey: moderationKeys.queues(slug) }), client.invalidateQueries({ queryKey: moderationKeys.items })]);
}

/** itemLabel is how lists name an item: an idea's title, else the start of the text. */
export function itemLabel(item: Pick<ModerationItem, 'title' | 'body'>): string {
  return item.title ? excerpt(item.title) : excerpt(item.body, 100);
}
