import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../api/client';
import { clearSession, setSession } from '../api/session';
import { FakeXHR } from '../test/fakeXHR';
import { account } from '../test/fixtures';
import { postForm } from './upload';

describe('postForm', () => {
  beforeEach(() => {
    FakeXHR.reset();
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    setSession({ access_token: 'old', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    clearSession();
  });

  it('reports progress and returns the answer', async () => {
    const seen: number[] = [];
    FakeXHR.onSend = (x) => {
      x.progress(5, 10);
      x.progress(10, 10);
      x.answer(201, { number: 3 });
    };
    const form = new FormData();
    await expect(postForm('/api/v1/documents/7/imports', form, (p) => seen.push(p.loaded))).resolves.toEqual({ number: 3 });
    expect(seen).toEqual([5, 10]);
    expect(FakeXHR.sent[0].requestHeaders.Authorization).toBe('Bearer old');
  });

  it('refreshes the session once on a 401 and sends the file again', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ access_token: 'new', expires_at: new Date(Date.now() + 3600_000).toISOString(), account }), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    FakeXHR.onSend = (x) => (x.requestHeaders.Authorization === 'Bearer old' ? x.answer(401, { error: { code: 'auth.expired', message: 'x' } }) : x.answer(201, { number: 4 }));
    await expect(postForm('/api/v1/documents/7/imports', new FormData(), () => {})).resolves.toEqual({ number: 4 });
    expect(FakeXHR.sent.map((x) => x.requestHeaders.Authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('turns an error envelope into an AppError with its fields and Retry-After', async () => {
    FakeXHR.onSend = (x) => x.answer(429, { error: { code: 'rate_limited', message: 'x', fields: [] } }, { 'Retry-After': '7' });
    const err = await postForm('/api/v1/documents/7/imports', new FormData(), () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('rate_limited');
    expect((err as AppError).retryAfter).toBe(7);
  });

  it('says the network failed when the request does not complete', async () => {
    FakeXHR.onSend = (x) => x.onerror?.();
    const err = await postForm('/api/v1/documents/7/imports', new FormData(), () => {}).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('network');
  });
});
