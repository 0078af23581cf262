// Writes of moderation, as mutations. None of these routes declares an
// Idempotency-Key: a decision carries the item's version instead (a repeat is
// refused as stale), and a flag or an appeal counts once per person.
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { AppError, api, toAppError, type FieldError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import {
  moderationKeys,
  refreshQueue,
  type FlagInput,
  type FlagResult,
  type ModerationBulk,
  type ModerationBulkResult,
  type ModerationDecisionInput,
  type ModerationItem,
  type ModerationQueue,
  type ModerationSettings,
  type MyModerationItem,
  type QueueFilters,
  type ReasonCode,
} from './queries';
import { toSettings, type SettingsDraft } from './settingsDraft';

async function claimNext(slug: string, f: QueueFilters): Promise<ModerationItem | null> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/moderation/claim', {
    params: { path: { slug } },
    body: { cause: f.cause, target: f.target },
  });
  if (response.status === 204) return null;
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function decide(id: number, input: ModerationDecisionInput): Promise<ModerationItem> {
  const { data, error, response } = await api.POST('/api/v1/moderation/items/{itemID}/decisions', {
    params: { path: { itemID: id } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function decideBulk(slug: string, input: ModerationBulk): Promise<ModerationBulkResult> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/moderation/bulk', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function appeal(id: number, note: string): Promise<MyModerationItem> {
  const { data, error, response } = await api.POST('/api/v1/moderation/items/{itemID}/appeal', {
    params: { path: { itemID: id } },
    body: { note },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function flag(target: { type: 'comment' | 'idea'; id: number }, input: FlagInput): Promise<FlagResult> {
  const res =
    target.type === 'comment'
      ? await api.POST('/api/v1/comments/{commentID}/flags', { params: { path: { commentID: target.id } }, body: input })
      : await api.POST('/api/v1/ideas/{ideaID}/flags', { params: { path: { ideaID: target.id } }, body: input });
  if (res.error || !res.data) throw toAppError(res.error, res.response.status, res.response.headers);
  return res.data;
}

async function saveModerationSettings(slug: string, input: ModerationSettings): Promise<ModerationSettings> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/moderation/settings', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** isStale says whether a decision was refused because the item changed since the moderator saw it. */
export const isStale = (err: unknown) => err instanceof AppError && err.code === 'moderation.stale';

/** useClaimNext claims the oldest unclaimed item matching the filters; null when there is nothing to claim. */
export function useClaimNext(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (f: QueueFilters) => claimNext(slug, f),
    onSuccess: async (item) => {
      if (!item) return;
      await client.invalidateQueries({ queryKey: moderationKeys.item(item.id) });
      void client.invalidateQueries({ queryKey: moderationKeys.queues(slug) });
    },
  });
}

/**
 * useDecide records a decision on an item, on the version the moderator saw.
 * The item leaves the queue at once; the refetch then tells what it holds now.
 */
export function useDecide(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: number; input: ModerationDecisionInput }) => decide(id, input),
    onSuccess: (_, { id }) => {
      client.setQueriesData<InfiniteData<ModerationQueue>>({ queryKey: moderationKeys.queues(slug) }, (old) =>
        old && { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== id) })) },
      );
      void refreshQueue(client, slug);
    },
    // Someone else decided or changed it: show what it is now.
    onError: (err) => {
      if (isStale(err)) void refreshQueue(client, slug);
    },
  });
}

/** What the bulk form sends: an approval, or a rejection with its reason and explanation. */
export interface BulkDecision {
  items: ModerationItem[];
  outcome: 'approve' | 'reject';
  reason: string;
  explanation: string;
}

/** useDecideBulk approves or rejects several items with one reason. */
export function useDecideBulk(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ items, outcome, reason, explanation }: BulkDecision) => {
      if (outcome === 'reject') {
        const fields: FieldError[] = [];
        if (reason === '') fields.push({ field: 'reason', code: 'choose', message: '' });
        if (explanation.trim() === '') fields.push(required('explanation'));
        if (fields.length > 0) throw new FormCheck('moderation.invalid', fields);
      }
      return decideBulk(slug, {
        items: items.map((i) => ({ id: i.id, version: i.version })),
        outcome,
        // The route takes a reason with every bulk decision; an approval has none of its own.
        reason: outcome === 'reject' ? (reason as ReasonCode) : 'other',
        explanation: explanation.trim() || undefined,
      });
    },
    onSuccess: () => void refreshQueue(client, slug),
  });
}

/** useAppeal asks, once, for a rejection of one's contribution to be reviewed again; the note is required. */
export function useAppeal() {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: ({ id, note }: { id: number; note: string }) => {
      if (note.trim() === '') throw new FormCheck('moderation.invalid', [required('note')]);
      return appeal(id, note.trim());
    },
    onSuccess: (updated, { id }) => {
      client.setQueryData<MyModerationItem[]>(moderationKeys.mine(account?.id), (old) => old?.map((i) => (i.id === id ? { ...i, ...updated } : i)));
    },
  });
}

/**
 * useFlag reports a comment or an idea as breaking a house rule: "sent", or
 * "already" when the person had reported it before (which is no failure).
 */
export function useFlag(target: { type: 'comment' | 'idea'; id: number }) {
  return useMutation({
    mutationFn: async ({ reason, note }: { reason: string; note: string }): Promise<'sent' | 'already'> => {
      if (reason === '') throw new FormCheck('moderation.invalid', [{ field: 'reason', code: 'choose', message: '' }]);
      try {
        await flag(target, { reason: reason as ReasonCode, ...(note.trim() ? { note: note.trim() } : {}) });
      } catch (err) {
        if (err instanceof AppError && err.code === 'moderation.already_flagged') return 'already';
        throw err;
      }
      return 'sent';
    },
  });
}

/** useSaveModerationSettings replaces a process's moderation settings; the house rules everyone reads change with them. */
export function useSaveModerationSettings(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: (draft: SettingsDraft) => saveModerationSettings(slug, toSettings(draft)),
    onSuccess: (stored) => {
      client.setQueryData(moderationKeys.settings(slug, account?.id), stored);
      void client.invalidateQueries({ queryKey: moderationKeys.houseRules(slug) });
    },
  });
}
