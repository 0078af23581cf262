// Writes of moderation. None of these routes declares an Idempotency-Key: a
// decision carries the item's version instead (a repeat is refused as stale),
// and a flag or an appeal counts once per person.
import { api, toAppError } from '../../api/client';
import type { FlagInput, FlagResult, ModerationBulk, ModerationBulkResult, ModerationDecisionInput, ModerationItem, ModerationSettings, MyModerationItem, QueueFilters } from './queries';

/** claimNext claims the oldest unclaimed item matching the filters; null when there is nothing to claim. */
export async function claimNext(slug: string, f: QueueFilters): Promise<ModerationItem | null> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/moderation/claim', {
    params: { path: { slug } },
    body: { cause: f.cause, target: f.target },
  });
  if (response.status === 204) return null;
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** decide records a decision on an item, on the version the moderator saw. */
export async function decide(id: number, input: ModerationDecisionInput): Promise<ModerationItem> {
  const { data, error, response } = await api.POST('/api/v1/moderation/items/{itemID}/decisions', {
    params: { path: { itemID: id } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** decideBulk approves or rejects several items with one reason. */
export async function decideBulk(slug: string, input: ModerationBulk): Promise<ModerationBulkResult> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/moderation/bulk', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** appeal asks, once, for a rejection of one's contribution to be reviewed again. */
export async function appeal(id: number, note: string): Promise<MyModerationItem> {
  const { data, error, response } = await api.POST('/api/v1/moderation/items/{itemID}/appeal', {
    params: { path: { itemID: id } },
    body: { note },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** flag reports a comment or an idea as breaking a house rule. */
export async function flag(target: { type: 'comment' | 'idea'; id: number }, input: FlagInput): Promise<FlagResult> {
  const res =
    target.type === 'comment'
      ? await api.POST('/api/v1/comments/{commentID}/flags', { params: { path: { commentID: target.id } }, body: input })
      : await api.POST('/api/v1/ideas/{ideaID}/flags', { params: { path: { ideaID: target.id } }, body: input });
  if (res.error || !res.data) throw toAppError(res.error, res.response.status, res.response.headers);
  return res.data;
}

/** saveModerationSettings replaces a process's moderation settings. */
export async function saveModerationSettings(slug: string, input: ModerationSettings): Promise<ModerationSettings> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/moderation/settings', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}
