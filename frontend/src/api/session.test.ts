import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSession, currentAccount, getAccessToken, refreshSession } from './session';

const account = { id: 7, email: 'ana@example.org', display_name: 'Ana', email_verified: true, admin: false, created_at: '2027-01-01T00:00:00Z' };

describe('refreshSession', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    clearSession();
  });

  it('shares one refresh between concurrent callers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const fetchMock = vi.fn(async () => {
      await gate;
      return new Response(JSON.stringify({ access_token: 'tok-1', expires_at: new Date(Date.now() + 900_000).toISOString(), account }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    });
    vi.stubGlobal('fetch', fetchMock);
    const a = refreshSession();
    const b = refreshSession();
    release();
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(getAccessToken()).toBe('tok-1');
    expect(currentAccount()?.display_name).toBe('Ana');
  });

  it('forgets the session when the refresh is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"error":{"code":"auth.session_expired","message":"x"}}', { status: 401 })));
    expect(await refreshSession()).toBe(false);
    expect(getAccessToken()).toBeNull();
    expect(currentAccount()).toBeNull();
  });
});
