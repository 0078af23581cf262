// Starts the real server for the browser tests: the built binary on its own
// private PostgreSQL in a fresh temporary folder, migrated and seeded with the
// demo, serving the web app built into it. Stops it and removes the folder afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');
// COCREATE_BIN runs another build of the server (a path, or relative to the repository).
const bin = resolve(root, process.env.COCREATE_BIN || 'bin/cocreate');

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    dataDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

export default async function setup(project: TestProject) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`make build\` (make e2e does) first, or set COCREATE_BIN`);

  // A short path: the cluster's Unix socket lives inside it.
  const dataDir = mkdtempSync('/tmp/cc-e2e-');
  const port = await freePort();
  // The journeys post faster than people do: the per-account posting interval is off (the Go tests cover it).
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATA_DIR: dataDir, ADDR: `127.0.0.1:${port}`, LOG_LEVEL: 'warn',
    POSTING_INTERVAL: '0s', POSTING_INTERVAL_NEW_ACCOUNT: '0s', POSTING_PER_IP_PER_MINUTE: '0',
    // Every journey signs in from 127.0.0.1: the per-IP sign-in limit would count them all as one person.
    LOGIN_PER_IP_PER_MINUTE: '0',
    // Likewise every journey's new account comes from 127.0.0.1.
    SIGNUP_PER_IP_PER_HOUR: '0',
    // Ledger checkpoints are signed every hour by default; the forum journey reads one within seconds.
    LEDGER_CHECKPOINT_INTERVAL: '2s',
  };
  delete env.DATABASE_URL;
  // The binary serves the web app built into it (make build), as in production.
  delete env.SPA_DIR;

  for (const cmd of ['migrate', 'seed']) {
    const r = spawnSync(bin, [cmd], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`cocreate ${cmd} failed (${r.status}):\n${r.stderr}`);
  }

  let stderr = '';
  const server: ChildProcess = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((ok) => server.once('exit', (code) => ok(code)));

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`cocreate serve exited (${server.exitCode}):\n${stderr}`);
    try {
      const res = await fetch(`${baseURL}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.kill('SIGTERM');
      throw new Error(`cocreate serve was not ready within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseURL', baseURL);
  project.provide('dataDir', dataDir);

  return async () => {
    server.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 20_000)));
    if ((await Promise.race([exited, timeout])) === 'timeout') server.kill('SIGKILL');
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
