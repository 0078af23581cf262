// The signed-in session. The access token lives in this module's memory only
// (never in storage a script could read later); the refresh token is an
// HttpOnly cookie the browser sends to /api/v1/auth and no script can see.
import type { components } from './schema';

export type Account = components['schemas']['Account'];
type Session = components['schemas']['Session'];

let accessToken: string | null = null;
let account: Account | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

/** getAccessToken returns the current access token, if signed in. */
export function getAccessToken(): string | null {
  return accessToken;
}

/** currentAccount returns the signed-in account, or null. */
export function currentAccount(): Account | null {
  return account;
}

/** subscribe calls fn whenever the session changes; it returns the unsubscribe. */
export function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  listeners.forEach((fn) => fn());
}

/** setSession stores a login or refresh answer and schedules the next refresh. */
export function setSession(s: Session) {
  accessToken = s.access_token;
  account = s.account;
  clearTimeout(refreshTimer);
  // Refresh a minute before the token expires, silently.
  const wait = Math.max(5_000, new Date(s.expires_at).getTime() - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refreshSession(), wait);
  notify();
}

/** setAccount replaces the account after a change to it. */
export function setAccount(a: Account) {
  account = a;
  notify();
}

/** clearSession forgets the session in this tab. */
export function clearSession() {
  accessToken = null;
  account = null;
  clearTimeout(refreshTimer);
  notify();
}

/**
 * mayHaveSession reports whether this browser may hold a refresh cookie: the
 * server sets a readable companion cookie (no secret in it) beside the
 * HttpOnly one, and clears both on sign-out.
 */
export function mayHaveSession(): boolean {
  return typeof document !== 'undefined' && /(?:^|;\s*)cocreate_signed_in=1/.test(document.cookie);
}

/**
 * refreshSession trades the refresh cookie for a new access token. Concurrent
 * callers share one request: the server accepts each refresh token once.
 */
export function refreshSession(): Promise<boolean> {
  if (!inFlight) {
    inFlight = (async () => {
      try {
        const res = await globalThis.fetch(new Request(`${origin()}/api/v1/auth/refresh`, { method: 'POST', credentials: 'same-origin' }));
        if (!res.ok) {
          clearSession();
          return false;
        }
        setSession((await res.json()) as Session);
        return true;
      } catch {
        return false;
      } finally {
        inFlight = null;
      }
    })();
  }
  return inFlight;
}

function origin() {
  return typeof location !== 'undefined' ? location.origin : '';
}
