// Following and notifications: the signed-in person's follows, their
// notifications and unread count, their e-mail choices, and the e-mailed
// unsubscribe link. Every key carries the account, so another person
// signing in on this tab never sees the previous one's.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type Notification = components['schemas']['Notification'];
export type NotificationKind = components['schemas']['NotificationKind'];
export type Frequency = components['schemas']['NotificationFrequency'];
export type Follow = components['schemas']['Follow'];
export type FollowKind = components['schemas']['FollowTargetKind'];

/** The kinds, in the order the settings list them. */
export const kinds: NotificationKind[] = ['comment_reply', 'response_published', 'version_published', 'update_published', 'phase_opened'];
export const frequencies: Frequency[] = ['immediately', 'daily', 'weekly', 'never'];

/** A subject to follow: by id, or a process by its slug. */
export type Subject = { kind: FollowKind; id?: number; slug?: string };

export const notifyKeys = {
  all: (account: number | undefined) => ['me', account, 'notify'] as const,
  unread: (account: number | undefined) => ['me', account, 'notify', 'unread'] as const,
  list: (account: number | undefined) => ['me', account, 'notify', 'list'] as const,
  follows: (account: number | undefined) => ['me', account, 'notify', 'follows'] as const,
  settings: (account: number | undefined) => ['me', account, 'notify', 'settings'] as const,
};

/** useUnreadCount is how many notifications are unread, checked every minute. */
export function useUnreadCount(account: number | undefined) {
  return useQuery({
    queryKey: notifyKeys.unread(account),
    enabled: account !== undefined,
    refetchInterval: 60_000,
    staleTime: 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/me/notifications/unread', { cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.unread;
    },
  });
}

/** useNotifications pages through the notifications, newest first. */
export function useNotifications(account: number | undefined) {
  return useInfiniteQuery({
    queryKey: notifyKeys.list(account),
    enabled: account !== undefined,
    staleTime: 0,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/me/notifications', { params: { query: { cursor: pageParam } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useMarkRead marks one notification read. */
export function useMarkRead(account: number | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) => {
      const { error, response } = await api.POST('/api/v1/me/notifications/{notificationID}/read', { params: { path: { notificationID: id } } });
      if (error) throw toAppError(error, response.status);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: notifyKeys.all(account) }),
  });
}

/** useMarkAllRead marks every notification read. */
export function useMarkAllRead(account: number | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.POST('/api/v1/me/notifications/read-all', {});
      if (error || !data) throw toAppError(error, response.status);
      return data.marked;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: notifyKeys.all(account) }),
  });
}

/** useFollows lists what the person follows. */
export function useFollows(account: number | undefined) {
  return useQuery({
    queryKey: notifyKeys.follows(account),
    enabled: account !== undefined,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/me/follows', { cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** isFollowed says whether a subject is in the list of follows. */
export function isFollowed(follows: Follow[] | undefined, s: Subject): boolean {
  return (follows ?? []).some((f) => f.target_kind === s.kind && (s.id !== undefined ? f.target_id === s.id : f.process_slug === s.slug));
}

/** useSetFollow follows (true) or stops following (false) a subject. */
export function useSetFollow(account: number | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ subject, follow }: { subject: Subject; follow: boolean }) => {
      if (follow) {
        const { error, response } = await api.POST('/api/v1/me/follows', {
          body: { target_kind: subject.kind, target_id: subject.id, target_slug: subject.slug },
        });
        if (error) throw toAppError(error, response.status);
        return;
      }
      const { error, response } = await api.DELETE('/api/v1/me/follows', {
        params: { query: { target_kind: subject.kind, target_id: subject.id, target_slug: subject.slug } },
      });
      if (error) throw toAppError(error, response.status);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: notifyKeys.follows(account) }),
  });
}

/** useNotificationSettings reads the e-mail choice of every kind. */
export function useNotificationSettings(account: number | undefined) {
  return useQuery({
    queryKey: notifyKeys.settings(account),
    enabled: account !== undefined,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/me/notification-settings', { cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.settings;
    },
  });
}

/** useSaveNotificationSettings stores the choices. */
export function useSaveNotificationSettings(account: number | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (settings: Partial<Record<NotificationKind, Frequency>>) => {
      const { data, error, response } = await api.PUT('/api/v1/me/notification-settings', { body: { settings } });
      if (error || !data) throw toAppError(error, response.status);
      return data.settings;
    },
    onSuccess: (settings) => qc.setQueryData(notifyKeys.settings(account), settings),
  });
}

/** useUnsubscribe stops one kind of e-mail with the token of an e-mailed link; no sign-in. */
export function useUnsubscribe() {
  return useMutation({
    mutationFn: async (token: string) => {
      const { error, response } = await api.POST('/api/v1/unsubscribe', { body: { token } });
      if (error) throw toAppError(error, response.status);
    },
  });
}
