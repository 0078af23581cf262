// Writes of the forum, as mutations. None of these routes declares an
// Idempotency-Key: a draft's edits, signatures and dissents carry its revision
// instead (a repeat is refused as stale or already signed), and a contribution
// joins one cluster at most (a repeat is refused as already clustered).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, api, toAppError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { forumKeys, refreshForum, type ClusterDetail, type ClusterInput, type ContributionRef, type Forum, type ForumResponse, type ForumSettings, type ForumTerms, type ResponseEdit, type ResponseInput, type SigningRule } from './queries';
import type { components } from '../../api/schema';
import { responseSave, type Fields } from './responseFields';

async function saveForumSettings(slug: string, input: ForumSettings): Promise<Forum> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/forum/settings', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function saveForumTerms(slug: string, input: components['schemas']['ForumTermsInput']): Promise<ForumTerms> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/forum/terms', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function saveMembership(slug: string, id: number, input: components['schemas']['ForumMembershipInput']): Promise<ForumTerms> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/forum/memberships/{membershipID}', {
    params: { path: { slug, membershipID: id } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function declare(slug: string, input: components['schemas']['DeclarationInput']): Promise<ForumTerms> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/forum/declaration', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function recuseFromResponse(id: number, revision: number, note: string): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/responses/{responseID}/recuse', { params: { path: { responseID: id } }, body: { revision, note } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function withdrawFromResponse(id: number): Promise<ForumResponse> {
  const { data, error, response } = await api.DELETE('/api/v1/responses/{responseID}/signature', { params: { path: { responseID: id } } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function createCluster(slug: string, input: ClusterInput): Promise<ClusterDetail> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/forum/clusters', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function addClusterMembers(clusterId: number, members: ContributionRef[]): Promise<ClusterDetail> {
  const { data, error, response } = await api.POST('/api/v1/clusters/{clusterID}/members', { params: { path: { clusterID: clusterId } }, body: { members } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function dismissSuggestion(slug: string, members: ContributionRef[]): Promise<void> {
  const { error, response } = await api.POST('/api/v1/processes/{slug}/forum/suggestions/dismiss', { params: { path: { slug } }, body: { members } });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

async function createResponse(slug: string, input: ResponseInput): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/forum/responses', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function editResponse(id: number, input: ResponseEdit): Promise<ForumResponse> {
  const { data, error, response } = await api.PATCH('/api/v1/responses/{responseID}', { params: { path: { responseID: id } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function discardResponse(id: number): Promise<void> {
  const { error, response } = await api.DELETE('/api/v1/responses/{responseID}', { params: { path: { responseID: id } } });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

async function signResponse(id: number, revision: number): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/responses/{responseID}/sign', { params: { path: { responseID: id } }, body: { revision } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function dissentFromResponse(id: number, revision: number, note: string): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/responses/{responseID}/dissent', { params: { path: { responseID: id } }, body: { revision, note } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** isStale says whether a write was refused because the draft changed (or was published) since it was read. */
export function isStale(err: unknown, codes = ['forum.stale', 'forum.published']): boolean {
  return err instanceof AppError && codes.includes(err.code);
}

/** wholeNumber reads a whole number typed in a field (NaN when it is not one). */
function wholeNumber(s: string): number {
  return /^\d{1,4}$/.test(s.trim()) ? Number(s.trim()) : NaN;
}

/** SettingsDraft is the settings form as typed: the rule, its fraction or hours, and the target. */
export interface SettingsDraft {
  rule: SigningRule;
  days: string;
  num?: string;
  den?: string;
  hours?: string;
}

/**
 * useSaveForumSettings sets a process's decision rule (with a qualified
 * majority's fraction or a consensus's hours) and its response target (in
 * days, 1 to 365).
 */
export function useSaveForumSettings(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: ({ rule, days, num = '', den = '', hours = '' }: SettingsDraft) => {
      const n = wholeNumber(days);
      const fields = [];
      if (!(n >= 1 && n <= 365)) fields.push({ field: 'target_days', code: 'number', message: '' });
      const input: ForumSettings = { signing_rule: rule, target_days: n };
      if (rule === 'qualified') {
        const [a, b] = [wholeNumber(num), wholeNumber(den)];
        if (!(b >= 2 && b <= 100 && a <= b && 2 * a > b)) fields.push({ field: 'qualified_fraction', code: 'range', message: '' });
        Object.assign(input, { qualified_num: a, qualified_den: b });
      }
      if (rule === 'consensus') {
        const h = wholeNumber(hours);
        if (!(h >= 1 && h <= 720)) fields.push({ field: 'consensus_hours', code: 'range', message: '' });
        input.consensus_hours = h;
      }
      if (fields.length > 0) throw new FormCheck('forum.invalid', fields);
      return saveForumSettings(slug, input);
    },
    onSuccess: (next) => {
      client.setQueryData(forumKeys.forum(slug, account?.id), next);
      void refreshForum(client, slug);
    },
  });
}

/** useCreateCluster groups contributions into a new cluster, under a title; the workspace refreshes before it says so. */
export function useCreateCluster(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterInput) => {
      if (input.title.trim() === '') throw new FormCheck('forum.invalid', [required('title')]);
      return createCluster(slug, { ...input, title: input.title.trim() });
    },
    onSuccess: () => refreshForum(client, slug),
  });
}

/** useAddClusterMembers adds contributions to a cluster (null: none chosen yet). */
export function useAddClusterMembers(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ clusterId, members }: { clusterId: number | null; members: ContributionRef[] }) => {
      if (clusterId === null) throw new FormCheck('forum.invalid', [{ field: 'cluster', code: 'choose', message: '' }]);
      return addClusterMembers(clusterId, members);
    },
    onSuccess: () => refreshForum(client, slug),
  });
}

/** useDismissSuggestion says that these contributions are not one cluster. */
export function useDismissSuggestion(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (members: ContributionRef[]) => dismissSuggestion(slug, members),
    onSuccess: () => refreshForum(client, slug),
  });
}

/** What the response editor saves: a new draft, or the draft it edits on the revision it read. */
export type ResponseSave = { id: null; input: ResponseInput } | { id: number; input: ResponseEdit };

/** usePutResponse shows a response as the server now has it, and refreshes the forum around it. */
export function usePutResponse(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return (r: ForumResponse) => {
    client.setQueryData([...forumKeys.response(r.id), account?.id], r);
    void refreshForum(client, slug);
  };
}

/** What the response editor holds when it saves: its fields, and the draft it edits (id null: a new one). */
export interface EditorState {
  fields: Fields;
  supersedes: number | null;
  id: number | null;
  draft: ForumResponse | undefined;
}

/**
 * useSaveResponse drafts a response or edits a draft (null: nothing to save
 * yet); on.saved shows what the server stored. A draft changed meanwhile
 * (stale, or published) is reloaded by on.stale before the refusal shows.
 */
export function useSaveResponse(slug: string, on: { saved: (r: ForumResponse) => void; stale: () => Promise<unknown> }) {
  const put = usePutResponse(slug);
  return useMutation({
    mutationFn: async (s: EditorState) => {
      const save = responseSave(s.fields, s.supersedes, s.id, s.draft);
      if (save === null) return null;
      return save.id === null ? createResponse(slug, save.input) : editResponse(save.id, save.input);
    },
    onSuccess: (r) => {
      if (!r) return;
      put(r);
      on.saved(r);
    },
    onError: async (err) => {
      if (isStale(err)) await on.stale();
    },
  });
}

/** useDiscardResponse throws a draft away. */
export function useDiscardResponse(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => discardResponse(id),
    onSuccess: (_, id) => {
      client.removeQueries({ queryKey: forumKeys.response(id) });
      void refreshForum(client, slug);
    },
  });
}

/**
 * useSignResponse signs the revision of a draft the member read (it is
 * published when the rule is met). refused runs before the refusal shows, so
 * the button stays busy while a changed draft reloads.
 */
export function useSignResponse(refused: (err: unknown) => Promise<unknown> | void) {
  return useMutation({
    mutationFn: ({ id, revision, dirty }: { id: number; revision: number; dirty: boolean }) => {
      // The editor around the panel holds unsaved changes: signing would sign the saved text.
      if (dirty) throw new AppError('forum.unsaved', 0);
      return signResponse(id, revision);
    },
    onError: refused,
  });
}

/** useDissent attaches a dissenting note to a draft instead of signing it; a stale draft goes to onStale. */
export function useDissent(onStale: (err: unknown) => Promise<unknown>) {
  return useMutation({
    mutationFn: ({ id, revision, note }: { id: number; revision: number; note: string }) => {
      if (note.trim() === '') throw new FormCheck('forum.invalid', [required('note')]);
      return dissentFromResponse(id, revision, note.trim());
    },
    onError: async (err) => {
      if (isStale(err, ['forum.stale'])) await onStale(err);
    },
  });
}

/** refreshTerms shows the terms and members as the server now has them, and refreshes the forum around them. */
function useRefreshTerms(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return (next: ForumTerms) => {
    client.setQueryData(forumKeys.terms(slug, account?.id), next);
    void refreshForum(client, slug);
  };
}

/** TermsDraft is the terms-of-reference form as typed. */
export interface TermsDraft {
  remit: string;
  quorum: string;
  selection: string;
  memberTerms: string;
  perQuarter: string;
}

/** useSaveTerms writes the forum's terms of reference (owners). */
export function useSaveTerms(slug: string) {
  const refresh = useRefreshTerms(slug);
  return useMutation({
    mutationFn: (d: TermsDraft) => {
      const n = wholeNumber(d.perQuarter);
      if (!(n >= 0 && n <= 13)) throw new FormCheck('forum.invalid', [{ field: 'meetings_per_quarter', code: 'number', message: '' }]);
      return saveForumTerms(slug, { remit: d.remit, quorum: d.quorum, selection: d.selection, member_terms: d.memberTerms, meetings_per_quarter: n });
    },
    onSuccess: refresh,
  });
}

/** MembershipDraft is what the owners record of a membership, as typed (dates as YYYY-MM-DD, "" for none). */
export interface MembershipDraft {
  id: number;
  selection: '' | 'appointed' | 'elected' | 'open_call';
  termStart: string;
  termEnd: string;
}

/** useSaveMembership records how a member was selected and their term (owners). */
export function useSaveMembership(slug: string) {
  const refresh = useRefreshTerms(slug);
  return useMutation({
    mutationFn: (d: MembershipDraft) => {
      if (d.termStart && d.termEnd && d.termEnd < d.termStart) throw new FormCheck('forum.invalid', [{ field: 'term_end', code: 'order', message: '' }]);
      return saveMembership(slug, d.id, { selection: d.selection === '' ? null : d.selection, term_start: d.termStart || null, term_end: d.termEnd || null });
    },
    onSuccess: refresh,
  });
}

/** useDeclare files the member's declaration of interests: none, or a text. */
export function useDeclare(slug: string) {
  const refresh = useRefreshTerms(slug);
  return useMutation({
    mutationFn: ({ none, body }: { none: boolean; body: string }) => {
      if (!none && body.trim() === '') throw new FormCheck('forum.invalid', [required('body')]);
      return declare(slug, none ? { none: true, body: '' } : { none: false, body: body.trim() });
    },
    onSuccess: refresh,
  });
}

/** useRecuse recuses the member from a draft, with an optional reason; a stale draft goes to onStale. */
export function useRecuse(onStale: (err: unknown) => Promise<unknown>) {
  return useMutation({
    mutationFn: ({ id, revision, note }: { id: number; revision: number; note: string }) => recuseFromResponse(id, revision, note.trim()),
    onError: async (err) => {
      if (isStale(err, ['forum.stale', 'forum.already_signed', 'forum.published'])) await onStale(err);
    },
  });
}

/** useWithdraw takes back the member's signature, dissent or recusal on a draft (it may then be published). */
export function useWithdraw(refused: (err: unknown) => Promise<unknown> | void) {
  return useMutation({
    mutationFn: (id: number) => withdrawFromResponse(id),
    onError: refused,
  });
}
