import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * waitForLink waits for the server's outbox worker to write an e-mail to
 * `${dataDir}/mail` that contains a link to path, and returns the link's path
 * and query (the link's host is PUBLIC_URL, not the test server).
 */
export async function waitForLink(dataDir: string, path: string, to: string): Promise<string> {
  const dir = join(dataDir, 'mail');
  const pattern = new RegExp(`https?://[^/\\s]+(${path}\\?token=[A-Za-z0-9_-]+)`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse();
    } catch {
      // not written yet
    }
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const m = text.match(pattern);
      if (m && text.includes(`To: ${to}`)) return m[1];
    }
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} with a ${path} link in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * waitForMail waits for an e-mail to `to` that contains every one of texts,
 * and returns its whole text (headers and body).
 */
export async function waitForMail(dataDir: string, to: string, ...texts: string[]): Promise<string> {
  const dir = join(dataDir, 'mail');
  const deadline = Date.now() + 15_000;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    } catch {
      // not written yet
    }
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (text.includes(`To: ${to}`) && texts.every((t) => text.includes(t))) return text;
    }
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} with ${texts.join(', ')} in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
