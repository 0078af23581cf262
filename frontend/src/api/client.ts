import createClient from 'openapi-fetch';
import type { components, paths } from './schema'; // generated from api/openapi.yaml
import { getAccessToken, refreshSession } from './session';

// Same origin as the page; fetch is looked up per call so tests can stand in for
// the network.
export const api = createClient<paths>({
  baseUrl: typeof location !== 'undefined' ? location.origin : '',
  fetch: (request) => globalThis.fetch(request),
});

// Sends the access token, and on a 401 from a route that is not a session route
// refreshes the session once and retries.
api.use({
  onRequest({ request }) {
    const token = getAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || new URL(request.url).pathname.startsWith('/api/v1/auth/') || !getAccessToken()) {
      return response;
    }
    if (!(await refreshSession())) return response;
    try {
      const retry = new Request(request, { headers: new Headers(request.headers) });
      retry.headers.set('Authorization', `Bearer ${getAccessToken()}`);
      return await globalThis.fetch(retry);
    } catch {
      return response; // a body already sent cannot be sent again; the caller sees the 401
    }
  },
});

export type Process = components['schemas']['Process'];
export type Phase = components['schemas']['Phase'];
export type PhaseKind = components['schemas']['PhaseKind'];
export type ProcessPage = components['schemas']['ProcessPage'];
type ErrorBody = components['schemas']['Error'];

export type FieldError = components['schemas']['FieldError'];

/**
 * AppError carries the API's stable error code, which the UI translates, and
 * for a 429 or 503 the seconds the server asked to wait (its Retry-After).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly fields: FieldError[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/**
 * toAppError turns an error envelope (or anything else) into an AppError;
 * given the response's headers, it keeps a Retry-After in whole seconds.
 */
export function toAppError(body: unknown, status: number, headers?: Headers): AppError {
  const err = (body as ErrorBody | undefined)?.error;
  const wait = headers?.get('Retry-After');
  const retryAfter = wait && /^\d{1,6}$/.test(wait.trim()) ? Number(wait.trim()) : null;
  return new AppError(typeof err?.code === 'string' ? err.code : 'unknown', status, err?.fields ?? [], retryAfter);
}
