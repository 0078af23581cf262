// Test data for the forum's unit tests.
import type { Process } from '../../api/client';
import { civil, government, response } from '../../test/fixtures';
import type { Cluster, ClusterSuggestion, Contribution, Cover, Coverage, Forum, ForumResponse, LedgerEntry, LedgerVerification, ResponseEntryFields } from './queries';

export const slug = 'larkhaven-action-plan-2027';

export const process: Process = {
  slug,
  title: 'Larkhaven Open Government Action Plan 2027–2029',
  summary: 'Plan',
  summary_html: '<p>Plan</p>',
  languages: ['en'],
  stage: 'active',
  current_phase: 'public_comment',
  phases: [{ kind: 'public_comment', opens_at: '2027-03-01T00:00:00Z', closes_at: '2027-05-01T00:00:00Z', state: 'open' }],
  created_at: '2027-01-01T00:00:00Z',
  updated_at: '2027-01-01T00:00:00Z',
  published_at: '2027-01-01T00:00:00Z',
};


export { civil, government, response, signature } from '../../test/fixtures';

export function forum(over: Partial<Forum> = {}): Forum {
  return {
    process: slug,
    signing_rule: over.signing_rule ?? 'joint',
    rule: { name: over.signing_rule ?? 'joint', qualified_num: null, qualified_den: null, consensus_hours: null },
    target_days: 30,
    members: [government, civil],
    seats: { government: 1, civil_society: 1, other: 0 },
    viewer: { member: true, member_ref: government.member_ref, seat: 'government', manage: false },
    ...over,
  };
}

export function contribution(over: Partial<Contribution> & { id: number }): Contribution {
  return {
    kind: 'comment',
    excerpt: `Please publish every contract over 10,000 euros as open data (${over.id}).`,
    author: 'Noor Haddad',
    created_at: '2027-03-10T10:00:00Z',
    age_days: 12,
    document_id: 7,
    paragraph_key: 'k-contracts',
    idea_id: null,
    theme_id: null,
    cluster_id: null,
    response_id: null,
    ...over,
  };
}

export function cluster(over: Partial<Cluster> & { id: number }): Cluster {
  return {
    process: 'larkhaven-action-plan-2027',
    title: 'Publish contracts as open data',
    origin: 'manual',
    size: 3,
    representative: contribution({ id: 1 }),
    created_at: '2027-03-20T10:00:00Z',
    response_id: null,
    ...over,
  };
}

export function suggestion(over: Partial<ClusterSuggestion> = {}): ClusterSuggestion {
  return {
    members: [contribution({ id: 1 }), contribution({ id: 2 }), contribution({ id: 3 })],
    size: 3,
    similarity: 0.87,
    cluster_id: null,
    cluster_title: null,
    ...over,
  };
}

export function draft(over: Partial<ForumResponse> & { id: number }): ForumResponse {
  return response({ state: 'draft', signatures: [], missing_seats: ['government', 'civil_society'], published_at: null, ledger: null, ...over });
}

export function cover(over: Partial<Cover> & Pick<Cover, 'kind'>): Cover {
  return { id: null, idea_id: null, document_id: null, paragraph_key: null, progress_update_id: null, label: '', excerpt: null, visible: true, count: 1, ...over };
}

/** entry is a response's ledger entry: its fields as hashed, with its reasoning rendered and its covers resolved (rendered, unless given). */
export function entry(seq: number, over: Partial<ResponseEntryFields> = {}, rendered?: LedgerEntry['rendered']): LedgerEntry {
  return {
    seq,
    prev_hash: `${String(seq - 1).padStart(2, '0')}${'0'.repeat(62)}`,
    hash: `${String(seq).padStart(2, '0')}${'f'.repeat(62)}`,
    fields: {
      v: 1,
      process: slug,
      recorded_at: `2027-04-${String(seq).padStart(2, '0')}T09:00:00Z`,
      response: 100 + seq,
      disposition: 'adopted',
      reasoning: `Reasoning of entry **${seq}**.`,
      led_to: '',
      covers: ['comment:12', 'idea:4'],
      clusters: [{ id: 5, title: 'Publish contracts as open data', members: ['comment:1', 'comment:2', 'comment:3'] }],
      signers: [
        { member: government.member_ref, seat: 'government', organisation: government.organisation },
        { member: civil.member_ref, seat: 'civil_society', organisation: civil.organisation },
      ],
      dissents: [],
      supersedes: null,
      correction_reason: null,
      ...over,
    },
    rendered:
      rendered !== undefined
        ? rendered
        : {
            reasoning_html: `<p>Reasoning of entry <strong>${seq}</strong>.</p>`,
            covers: [
              cover({ kind: 'comment', id: 12, document_id: 7, paragraph_key: 'k-contracts', label: 'Every contract, please.', excerpt: 'Every contract, please.' }),
              cover({ kind: 'idea', id: 4, label: 'Open contracting portal', excerpt: 'Open contracting portal' }),
            ],
          },
  };
}

export function verification(over: Partial<LedgerVerification> = {}): LedgerVerification {
  return {
    process: slug,
    ok: true,
    entries: 3,
    head_seq: 3,
    head_hash: entry(3).hash,
    first_broken_seq: null,
    problem: null,
    checkpoint: {
      process: slug,
      seq: 3,
      hash: entry(3).hash,
      signed_at: '2027-04-03T10:00:00Z',
      key_id: 'ed25519:4f2a',
      public_key: 'AAAA',
      signature: 'BBBB',
    },
    checkpoint_valid: true,
    checkpoints: 1,
    checkpoints_failed: 0,
    checkpoint_problems: [],
    checked_at: '2027-04-04T10:00:00Z',
    ...over,
  };
}

export function coverage(over: Partial<Coverage> = {}): Coverage {
  return {
    process: slug,
    target_days: 30,
    total: 40,
    answered: 30,
    unanswered: 10,
    past_target: 2,
    by_kind: [
      { kind: 'comment', total: 32, answered: 25 },
      { kind: 'idea', total: 8, answered: 5 },
    ],
    unanswered_age: { median_days: 9.5, oldest_days: 41, under_7_days: 3, from_7_to_20_days: 5, over_20_days: 2 },
    ...over,
  };
}
