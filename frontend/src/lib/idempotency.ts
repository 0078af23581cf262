import { useState } from 'react';

/** newKey returns a random UUID, also where crypto.randomUUID is missing (plain HTTP). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Submitter sends a write with an Idempotency-Key. */
export type Submitter = <T>(request: string, send: (key: string) => Promise<T>) => Promise<T>;

/**
 * keyKeeper gives each submission one Idempotency-Key. A retry of the same
 * request after a failure (network error, 5xx, 409 in progress...) sends the
 * same key, so the server does the write at most once; once a request has
 * succeeded, or when the request changes, the next one gets a fresh key.
 * request identifies the submission: method, path and body.
 */
export function keyKeeper(): Submitter {
  let pending: { request: string; key: string } | null = null;
  return async (request, send) => {
    if (!pending || pending.request !== request) pending = { request, key: newKey() };
    const mine = pending;
    const result = await send(mine.key); // a failure keeps the key for the retry
    if (pending === mine) pending = null;
    return result;
  };
}

/** useSubmitter keeps a keyKeeper for the life of a component. */
export function useSubmitter(): Submitter {
  return useState(keyKeeper)[0];
}
