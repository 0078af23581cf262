import createClient from 'openapi-fetch';
import type { components, paths } from './schema'; // generated from api/openapi.yaml

// Same origin as the page; fetch is looked up per call so tests can stand in for
// the network.
export const api = createClient<paths>({
  baseUrl: typeof location !== 'undefined' ? location.origin : '',
  fetch: (request) => globalThis.fetch(request),
});

export type Process = components['schemas']['Process'];
export type Phase = components['schemas']['Phase'];
export type PhaseKind = components['schemas']['PhaseKind'];
export type ProcessPage = components['schemas']['ProcessPage'];
type ErrorBody = components['schemas']['Error'];

/** AppError carries the API's stable error code, which the UI translates. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** toAppError turns an error envelope (or anything else) into an AppError. */
export function toAppError(body: unknown, status: number): AppError {
  const code = (body as ErrorBody | undefined)?.error?.code;
  return new AppError(typeof code === 'string' ? code : 'unknown', status);
}
