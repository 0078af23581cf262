import { useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type LedgerKey = components['schemas']['LedgerKey'];
export type LedgerConsistency = components['schemas']['LedgerConsistency'];
export type CheckpointProblem = components['schemas']['CheckpointProblem'];

/** KeptHead is a seq and hash someone kept: an earlier download's last entry, or a checkpoint. */
export interface KeptHead {
  seq: number;
  hash: string;
}

/** useLedgerKeys loads the public keys whose checkpoints count, current and retired, for readers to pin. */
export function useLedgerKeys() {
  return useQuery({
    queryKey: ['ledger-keys'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/ledger/keys');
      if (error || !data) throw toAppError(error, response.status);
      return data.keys;
    },
  });
}

/** useLedgerConsistency asks whether today's ledger extends a kept head; it runs once a head is given. */
export function useLedgerConsistency(slug: string, kept: KeptHead | null) {
  return useQuery({
    queryKey: ['ledger-consistency', slug, kept?.seq ?? null, kept?.hash ?? null],
    enabled: kept !== null,
    staleTime: 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ledger/consistency', {
        params: { path: { slug }, query: { seq: kept!.seq, hash: kept!.hash } },
        cache: 'no-store',
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/**
 * parseKept reads what a person pasted: a checkpoint line of a download
 * ({"checkpoint":{"seq","hash",...}}), an entry line, or a bare {"seq","hash"}.
 * It returns null for anything else.
 */
export function parseKept(text: string): KeptHead | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t) as { seq?: unknown; hash?: unknown; checkpoint?: { seq?: unknown; hash?: unknown } };
    const c = v.checkpoint ?? v;
    if (typeof c.seq === 'number' && Number.isInteger(c.seq) && c.seq >= 1 && typeof c.hash === 'string') return { seq: c.seq, hash: c.hash };
  } catch {
    // not JSON: the person types a hash
  }
  return null;
}

/** validHash tells a ledger hash: 64 hexadecimal digits. */
export function validHash(h: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(h);
}
