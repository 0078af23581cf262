import { describe, expect, it } from 'vitest';
import { keyKeeper, newKey } from './idempotency';

describe('keyKeeper', () => {
  it('sends the same key when the same request is retried, a fresh one after success or a change', async () => {
    const submit = keyKeeper();
    const keys: string[] = [];
    const fail = (k: string) => {
      keys.push(k);
      return Promise.reject(new Error('network'));
    };
    const ok = (k: string) => {
      keys.push(k);
      return Promise.resolve(k);
    };
    await expect(submit('POST a', fail)).rejects.toThrow();
    await submit('POST a', ok);
    await submit('POST a', ok); // the same words posted again on purpose: a new submission
    await expect(submit('POST b', fail)).rejects.toThrow();
    await submit('POST c', ok);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(4);
  });

  it('makes version 4 UUIDs', () => {
    expect(newKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
