import type { CloseOutReport, ReportCell } from './queries';

export const slug = 'larkhaven-2025';

const n = (value: number): ReportCell => ({ value, suppressed: false });
export const few: ReportCell = { value: null, suppressed: true };

/** closeOut is a report of a whole process with every section filled. */
export function closeOut(over: Partial<CloseOutReport> = {}): CloseOutReport {
  return {
    format: 1,
    process: { slug, title: 'Larkhaven action plan 2025–2027' },
    scope: { phase: null, from: null, until: null },
    generated_at: '2025-10-01T09:00:00Z',
    min_group_size: 5,
    we_asked: {
      purpose: 'Choose the commitments of the second plan.',
      open_items: ['Which services publish open data first?'],
      fixed_items: ['The budget envelope.'],
      use_of_input: 'The forum answers every contribution.',
      decision_maker: 'The city council',
      iap2_level: 'involve',
      decision_points: [],
      phases: [{ kind: 'public_comment', opens_at: '2025-05-01T00:00:00Z', closes_at: '2025-06-01T00:00:00Z' }],
      documents: [{ id: 3, title: 'Draft plan', versions: [{ number: 1, published_at: '2025-05-01T00:00:00Z', opens_at: null, closes_at: null }] }],
      themes: ['Open data'],
    },
    you_said: {
      participants: n(48),
      contributions: { comments: 120, replies: 30, ideas: 12, votes: 400, supports: 90, offline: 7 },
      by_channel: [
        { channel: 'online', comments: n(118), ideas: n(7) },
        { channel: 'paper', comments: few, ideas: n(5) },
      ],
      by_week: [{ week: '2025-05-05', contributions: n(80) }],
      by_theme: [{ theme: 'Open data', ideas: n(12) }],
      paragraphs: [{ document: 3, key: 'p-budgets', text: 'The city will publish all budgets.', comments: n(41) }],
      clusters: [{ id: 9, title: 'Monthly is too rare', contributions: few }],
      representative: [{ ref: 'comment:5', author: 'Ana Lima', channel: 'online', created_at: '2025-05-06T10:00:00Z', text: 'Publish it every week.' }],
    },
    we_did: {
      responses: 30,
      by_disposition: [
        { disposition: 'adopted', responses: 20, ledger: `/api/v1/processes/${slug}/ledger?kind=response&disposition=adopted` },
        { disposition: 'rejected', responses: 10, ledger: `/api/v1/processes/${slug}/ledger?kind=response&disposition=rejected` },
      ],
      coverage: { contributions: 132, answered: 99, percent: 75 },
      response_times: { target_days: 20, answered: 99, median_days: 6, p90_days: 18, answered_late: 4, unanswered_overdue: 2, overdue: 6 },
      draft_changes: [{ document: 3, title: 'Draft plan', first_version: 1, final_version: 2, unchanged: 10, edited: 4, added: 2, removed: 1 }],
      commitments: [{ id: 2, title: 'Open budget data', lead_institution: 'Treasury', withdrawn: false }],
    },
    moderation: {
      held: 14,
      published: 9,
      pending: 0,
      rejected: [
        { reason: 'spam', items: n(5) },
        { reason: 'abuse', items: few },
      ],
      held_causes: [],
      appeals: { made: few, upheld: few, overturned: n(0), pending: n(0) },
    },
    ...over,
  };
}
