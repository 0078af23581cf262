// Test data for the moderation feature's unit tests.
import type { ModerationItem, ModerationItemDetail, ModerationQueue, MyModerationItem } from './queries';

export const slug = 'larkhaven-youth-2028';

export { houseRules } from '../../test/fixtures';

export function item(over: Partial<ModerationItem> & { id: number }): ModerationItem {
  return {
    process_id: 3,
    target: { type: 'comment', id: 100 + over.id, document_id: 7, paragraph_key: 'k-water', idea_id: null },
    cause: 'mode',
    state: 'open',
    version: 1,
    campaign: false,
    screen: [],
    flag_weight: 0,
    flags: 0,
    title: null,
    body: `Comment number ${over.id}`,
    body_html: `<p>Comment number ${over.id}</p>`,
    status: 'pending',
    author: { id: 5, name: 'Bea Costa' },
    claimed_by_me: false,
    lease_until: null,
    created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
    last_decision: null,
    edit: null,
    ...over,
  };
}

export function detail(it: ModerationItem, over: Partial<ModerationItemDetail> = {}): ModerationItemDetail {
  return {
    item: it,
    context: 'Clean water for all districts',
    flag_list: [],
    decisions: [],
    original_body: null,
    history: { approved: 2, rejected: 1, recent: [] },
    appeal_note: null,
    ...over,
  };
}

export function queue(items: ModerationItem[]): ModerationQueue {
  const count = (c: ModerationItem['cause']) => items.filter((i) => i.cause === c).length;
  return {
    items,
    counts: { mode: count('mode'), new_account: count('new_account'), screen: count('screen'), flags: count('flags'), edit: count('edit'), appeal: count('appeal'), escalated: count('escalated'), total: items.length },
    next_cursor: null,
  };
}

export function mine(over: Partial<MyModerationItem> & { id: number }): MyModerationItem {
  return {
    process_slug: 'larkhaven-youth-2028',
    target: { type: 'idea', id: 21, document_id: null, paragraph_key: null, idea_id: 21 },
    state: 'decided',
    status: 'rejected',
    excerpt: 'More benches in the park',
    outcome: 'reject',
    reason: 'off_topic',
    reason_description: 'Not about the subject of this consultation',
    explanation: 'Benches are a matter for the parks plan',
    decided_at: '2028-01-12T10:00:00Z',
    appealable_until: '2099-01-26T10:00:00Z',
    appealed: false,
    ...over,
  };
}
