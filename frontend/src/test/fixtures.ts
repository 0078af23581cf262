// Test data that the unit tests of several features share: the signed-in
// account, the network stand-in, a comment, a process, house rules and a
// published response of the forum.
import type { Process } from '../api/client';
import type { components } from '../api/schema';
import { json } from './helpers';

type Comment = components['schemas']['Comment'];
type HouseRule = components['schemas']['HouseRule'];
type ForumResponse = components['schemas']['Response'];
type Signature = components['schemas']['Signature'];

export const account = {
  id: 42,
  email: 'ana@example.org',
  display_name: 'Ana Lima',
  email_verified: true,
  admin: false,
  created_at: '2027-01-01T00:00:00Z',
};

export function comment(over: Partial<Comment> & { id: number }): Comment {
  return {
    document_id: 7,
    idea_id: null,
    parent_id: null,
    root_id: over.id,
    depth: 0,
    version: 2,
    paragraph_key: 'k-water',
    written_on: null,
    quote: null,
    anchor: { version: 2, key: 'k-water', status: 'exact', confidence: 1, start: null, end: null },
    author: { id: 5, name: 'Bea Costa' },
    body: 'A comment',
    body_html: '<p>A comment</p>',
    status: 'published',
    revision: 1,
    deleted: false,
    created_at: '2027-03-03T10:00:00Z',
    edited_at: null,
    agree: 0,
    disagree: 0,
    response_id: null,
    edit_pending: false,
    channel: 'online',
    contributor: null,
    received_on: null,
    ...over,
  };
}

/** process is a process with an idea-collection phase open. */
export const process: Process = {
  slug: 'larkhaven-ideas-2028',
  title: 'Larkhaven ideas for the 2028 plan',
  summary: 'Ideas',
  summary_html: '<p>Ideas</p>',
  languages: ['en'],
  stage: 'active',
  current_phase: 'idea_collection',
  phases: [{ kind: 'idea_collection', opens_at: '2028-01-01T00:00:00Z', closes_at: '2028-03-01T00:00:00Z', state: 'open' }],
  created_at: '2027-12-01T00:00:00Z',
  updated_at: '2027-12-01T00:00:00Z',
  published_at: '2027-12-01T00:00:00Z',
};

export const houseRules: HouseRule[] = [
  { code: 'spam', description: 'Advertising or repeated posting.' },
  { code: 'abuse', description: 'Insults, threats or harassment.' },
  { code: 'personal_data', description: "Someone's address, phone number or other private details." },
  { code: 'off_topic', description: 'Not about the subject of this consultation' },
  { code: 'illegal', description: 'Content that breaks the law.' },
  { code: 'duplicate', description: 'Already said in the same place.' },
  { code: 'other', description: 'Another reason, explained.' },
];

export const government = { member_ref: 'm-7f3a', name: 'Gwen Harper', seat: 'government' as const, organisation: 'Larkhaven City Council' };
export const civil = { member_ref: 'm-2c9d', name: 'Cai Morgan', seat: 'civil_society' as const, organisation: 'Open Larkhaven Coalition' };

export function signature(over: Partial<Signature> = {}): Signature {
  return { kind: 'sign', member_ref: government.member_ref, name: government.name, seat: 'government', organisation: government.organisation, note: null, signed_at: '2027-04-02T09:00:00Z', ...over };
}

export function response(over: Partial<ForumResponse> & { id: number }): ForumResponse {
  return {
    process: 'larkhaven-action-plan-2027',
    state: 'published',
    disposition: 'adopted',
    reasoning: 'We will publish **every** contract.',
    reasoning_html: '<p>We will publish <strong>every</strong> contract.</p>',
    led_to: 'Commitment 1, milestone 2',
    covers: [{ kind: 'cluster', id: 5, idea_id: null, document_id: null, paragraph_key: null, progress_update_id: null, label: 'Publish contracts as open data', excerpt: null, visible: true, count: 3 }],
    signatures: [
      signature({ name: null }),
      signature({ member_ref: civil.member_ref, name: null, seat: 'civil_society', organisation: civil.organisation, signed_at: '2027-04-03T09:00:00Z' }),
    ],
    signing_rule: over.signing_rule ?? 'joint',
    rule: { name: over.signing_rule ?? 'joint', qualified_num: null, qualified_den: null, consensus_hours: null },
    decide_by: null,
    verdict: null,
    missing_seats: [],
    revision: 1,
    supersedes: null,
    superseded_by: null,
    correction_reason: null,
    created_at: '2027-04-01T09:00:00Z',
    published_at: '2027-04-03T09:00:00Z',
    ledger: { seq: 3, hash: 'a3f9c2d417e8b6054c1d9e2f7a8b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d' },
    answered: 3,
    ...over,
  };
}

type Handler = (req: Request, match: RegExpMatchArray) => Response | Promise<Response>;

/**
 * router answers requests by "METHOD /path" patterns (regular expressions on
 * the path) and records every request it saw, with its body read.
 */
export function router(table: Record<string, Handler>) {
  const seen: { method: string; path: string; headers: Headers; body: unknown }[] = [];
  const handle = async (req: Request) => {
    const url = new URL(req.url);
    const text = req.method === 'GET' ? '' : await req.clone().text();
    seen.push({ method: req.method, path: url.pathname + url.search, headers: req.headers, body: text ? JSON.parse(text) : undefined });
    for (const [pattern, h] of Object.entries(table)) {
      const [method, path] = pattern.split(' ');
      const m = url.pathname.match(new RegExp(`^${path}$`));
      if (method === req.method && m) return h(req, m);
    }
    return json(404, { error: { code: 'route.not_found', message: `${req.method} ${url.pathname}` } });
  };
  return { handle, seen };
}
