// Test data for the reading view's unit tests.
import { json } from '../../test/helpers';
import type { Comment, Document, Version } from './queries';

export const account = {
  id: 42,
  email: 'ana@example.org',
  display_name: 'Ana Lima',
  email_verified: true,
  admin: false,
  created_at: '2027-01-01T00:00:00Z',
};

export const waterText = 'Clean 🌊 water for all districts';

export function version(over: Partial<Version> = {}): Version {
  return {
    document_id: 7,
    title: 'Draft plan 2027',
    language: 'en',
    number: 2,
    latest: true,
    source_format: 'markdown',
    note: 'Second draft.',
    opens_at: null,
    closes_at: null,
    created_at: '2027-03-01T00:00:00Z',
    published_at: '2027-03-02T00:00:00Z',
    commenting: true,
    orphaned_count: 0,
    blocks: [
      { key: 'k-intro', kind: 'heading', level: 1, section: '1', text: 'Introduction', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-water', kind: 'paragraph', level: 0, section: '', text: waterText, change: 'edited', similarity: 0.8, counts: { comments: 3, agree: 2, disagree: 1 } },
      { key: 'k-sub', kind: 'heading', level: 2, section: '1.1', text: 'Milestones', change: 'same', similarity: null, counts: { comments: 1, agree: 0, disagree: 0 } },
      { key: 'k-m1', kind: 'list_item', level: 0, section: '', text: 'A register by June', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-m2', kind: 'list_item', level: 0, section: '', text: 'A review every year', change: 'new', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-q', kind: 'quote', level: 0, section: '', text: 'Sunlight is the best disinfectant.', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-t1', kind: 'table_row', level: 0, section: '', text: 'Dataset\tRelease', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-t2', kind: 'table_row', level: 0, section: '', text: 'Council votes\tMarch 2027', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
    ],
    ...over,
  };
}

export const doc: Document = {
  id: 7,
  process_slug: 'plan-2027',
  title: 'Draft plan 2027',
  language: 'en',
  latest_number: 2,
  created_at: '2027-03-01T00:00:00Z',
  versions: [
    { number: 1, source_format: 'markdown', note: '', opens_at: null, closes_at: null, created_at: '2027-02-01T00:00:00Z', published_at: '2027-02-02T00:00:00Z' },
    { number: 2, source_format: 'markdown', note: '', opens_at: null, closes_at: null, created_at: '2027-03-01T00:00:00Z', published_at: '2027-03-02T00:00:00Z' },
  ],
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
