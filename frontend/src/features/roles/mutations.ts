// Writes of the roles screen, as mutations. Granting is a PUT (granting again
// changes a forum member's seat) and removing a DELETE, so a repeat does no
// harm and neither takes an Idempotency-Key.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { roleKeys, type ProcessRole, type RoleGrant, type RoleHolder, type Seat } from './queries';

/** GrantDraft is what the owner chose for a person on the roles screen. */
export interface GrantDraft {
  role: ProcessRole | '';
  seat: Seat | '';
  organisation: string;
}

/** organisationMax is the longest organisation the server takes. */
export const organisationMax = 200;

/** checkGrant refuses, before sending, what the server would refuse (no role; a forum member without a seat). */
export function checkGrant(d: GrantDraft): RoleGrant {
  if (d.role === '') throw new FormCheck('process.invalid', [required('role')]);
  if (d.role !== 'forum_member') return {};
  if (d.seat === '') throw new FormCheck('process.invalid', [required('seat')]);
  const organisation = d.organisation.trim();
  return organisation === '' ? { seat: d.seat } : { seat: d.seat, organisation };
}

async function grantRole(slug: string, userId: number, role: ProcessRole, body: RoleGrant): Promise<RoleHolder> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/roles/{userID}/{role}', {
    params: { path: { slug, userID: userId, role } },
    body,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function revokeRole(slug: string, userId: number, role: ProcessRole): Promise<void> {
  const { error, response } = await api.DELETE('/api/v1/processes/{slug}/roles/{userID}/{role}', {
    params: { path: { slug, userID: userId, role } },
  });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

/** refreshPeople refetches the holders and any search whose roles a change alters. */
function refreshPeople(client: ReturnType<typeof useQueryClient>, slug: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: roleKeys.holders(slug) }),
    client.invalidateQueries({ queryKey: ['people', slug] }),
  ]);
}

/** useGrantRole gives a person a role in the process, once the draft passes the server's checks. */
export function useGrantRole(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, draft }: { userId: number; draft: GrantDraft }) => {
      const body = checkGrant(draft);
      return grantRole(slug, userId, draft.role as ProcessRole, body);
    },
    onSuccess: () => refreshPeople(client, slug),
  });
}

/** useRevokeRole takes a role away from a person. */
export function useRevokeRole(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: number; role: ProcessRole }) => revokeRole(slug, userId, role),
    onSuccess: () => refreshPeople(client, slug),
    // Refused, it may be gone already: show the list as it is now.
    onError: () => void refreshPeople(client, slug),
  });
}
