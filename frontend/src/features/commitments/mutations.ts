// Writes of the implementation phase, as mutations. Creating a commitment, an
// update, a question or a comment sends an Idempotency-Key (a retry after a
// failure is done once); edits, publication and signatures carry the revision
// read instead (a repeat is refused as stale or already done).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, api, toAppError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useSubmitter } from '../../lib/idempotency';
import { commitmentKeys, refreshCommitment, refreshUpdate, type Comment, type Commitment, type CommitmentInput, type ImplementationSettings, type ImplementationSettingsInput, type ProgressUpdate, type ProgressUpdateInput, type Question } from './queries';

const idem = (key: string) => ({ 'Idempotency-Key': key });

/** isStale says whether a write was refused because what it acts on changed (or was published) since it was read. */
export function isStale(err: unknown, codes = ['commitment.stale', 'commitment.published']): boolean {
  return err instanceof AppError && codes.includes(err.code);
}

/** useCreateCommitment adds a commitment to a process; the form's checks run on the server (422 with the fields). */
export function useCreateCommitment(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (input: CommitmentInput) =>
      submit(`POST /processes/${slug}/commitments ${JSON.stringify(input)}`, async (key): Promise<Commitment> => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/commitments', { params: { path: { slug }, header: idem(key) }, body: input });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: (c) => refreshCommitment(client, slug, c.id),
  });
}

/** useReplaceCommitment replaces a commitment's fields on the revision read. */
export function useReplaceCommitment(slug: string, id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CommitmentInput): Promise<Commitment> => {
      const { data, error, response } = await api.PUT('/api/v1/commitments/{commitmentID}', { params: { path: { commitmentID: id } }, body: input });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: () => refreshCommitment(client, slug, id),
  });
}

/** useWithdrawCommitment withdraws a commitment with a public reason (required). */
export function useWithdrawCommitment(slug: string, id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ revision, reason }: { revision: number; reason: string }): Promise<Commitment> => {
      if (reason.trim() === '') throw new FormCheck('commitment.invalid', [required('reason')]);
      const { data, error, response } = await api.POST('/api/v1/commitments/{commitmentID}/withdraw', {
        params: { path: { commitmentID: id } },
        body: { revision, reason },
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: () => refreshCommitment(client, slug, id),
  });
}

/** useSaveImplementationSettings sets N, the public holidays and the self-assessment draft. */
export function useSaveImplementationSettings(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: ImplementationSettingsInput): Promise<ImplementationSettings> => {
      const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/implementation-settings', { params: { path: { slug } }, body: input });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: (next) => {
      client.setQueryData(commitmentKeys.settings(slug), next);
      return client.invalidateQueries({ queryKey: commitmentKeys.dashboard(slug) });
    },
  });
}

/** useCreateUpdate drafts a progress update of a commitment. */
export function useCreateUpdate(slug: string, commitmentId: number) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (input: ProgressUpdateInput) =>
      submit(`POST /commitments/${commitmentId}/updates ${JSON.stringify(input)}`, async (key): Promise<ProgressUpdate> => {
        const { data, error, response } = await api.POST('/api/v1/commitments/{commitmentID}/updates', {
          params: { path: { commitmentID: commitmentId }, header: idem(key) },
          body: input,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: () => refreshCommitment(client, slug, commitmentId),
  });
}

/** useEditUpdate changes a draft on the revision read (its signatures are cleared). */
export function useEditUpdate(slug: string, u: { id: number; commitment_id: number }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: ProgressUpdateInput): Promise<ProgressUpdate> => {
      const { data, error, response } = await api.PATCH('/api/v1/progress-updates/{updateID}', { params: { path: { updateID: u.id } }, body: input });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: () => refreshUpdate(client, slug, u.id, u.commitment_id),
  });
}

/** useDiscardUpdate deletes a draft. */
export function useDiscardUpdate(slug: string, u: { id: number; commitment_id: number }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { error, response } = await api.DELETE('/api/v1/progress-updates/{updateID}', { params: { path: { updateID: u.id } } });
      if (error || !response.ok) throw toAppError(error, response.status, response.headers);
    },
    onSuccess: () => refreshCommitment(client, slug, u.commitment_id),
  });
}

type UpdateAction = 'publish' | 'sign' | 'dissent';

/**
 * useUpdateAction publishes a government update, or signs or dissents on a
 * joint one, on the revision read; onDone hears the update as it then is
 * (even when the buttons that sent it are gone by then: a published
 * update's page no longer holds them).
 */
export function useUpdateAction(slug: string, u: { id: number; commitment_id: number }, action: UpdateAction, onDone?: (next: ProgressUpdate) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ revision, note }: { revision: number; note?: string }): Promise<ProgressUpdate> => {
      if (action === 'dissent' && (note ?? '').trim() === '') throw new FormCheck('commitment.invalid', [required('note')]);
      const path = { params: { path: { updateID: u.id } } };
      const res =
        action === 'publish'
          ? await api.POST('/api/v1/progress-updates/{updateID}/publish', { ...path, body: { revision } })
          : action === 'sign'
            ? await api.POST('/api/v1/progress-updates/{updateID}/sign', { ...path, body: { revision } })
            : await api.POST('/api/v1/progress-updates/{updateID}/dissent', { ...path, body: { revision, note: note ?? '' } });
      if (res.error || !res.data) throw toAppError(res.error, res.response.status, res.response.headers);
      return res.data;
    },
    onSuccess: (next) => {
      onDone?.(next);
      client.setQueriesData({ queryKey: commitmentKeys.updateDetail(u.id) }, next);
      return refreshUpdate(client, slug, u.id, u.commitment_id);
    },
  });
}

/** useAskQuestion asks a question on a commitment. */
export function useAskQuestion(slug: string, commitmentId: number) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (body: string) => {
      if (body.trim() === '') throw new FormCheck('commitment.invalid', [required('body')]);
      return submit(`POST /commitments/${commitmentId}/questions ${body}`, async (key): Promise<Question> => {
        const { data, error, response } = await api.POST('/api/v1/commitments/{commitmentID}/questions', {
          params: { path: { commitmentID: commitmentId }, header: idem(key) },
          body: { body },
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      });
    },
    onSuccess: () => refreshCommitment(client, slug, commitmentId),
  });
}

type QuestionAction = { kind: 'answer'; body: string } | { kind: 'pause'; reason: string; resumesOn: string } | { kind: 'hide'; reason: string };

/** useQuestionAction answers a question, pauses its clock or hides it. */
export function useQuestionAction(slug: string, commitmentId: number, questionId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (a: QuestionAction): Promise<Question> => {
      const path = { params: { path: { questionID: questionId } } };
      let res;
      switch (a.kind) {
        case 'answer':
          if (a.body.trim() === '') throw new FormCheck('commitment.invalid', [required('body')]);
          res = await api.POST('/api/v1/questions/{questionID}/answer', { ...path, body: { body: a.body } });
          break;
        case 'pause':
          if (a.reason.trim() === '' || a.resumesOn === '') {
            throw new FormCheck('commitment.invalid', [...(a.reason.trim() === '' ? [required('reason')] : []), ...(a.resumesOn === '' ? [required('resumes_on')] : [])]);
          }
          res = await api.POST('/api/v1/questions/{questionID}/pause', { ...path, body: { reason: a.reason, resumes_on: a.resumesOn } });
          break;
        default:
          if (a.reason.trim() === '') throw new FormCheck('commitment.invalid', [required('reason')]);
          res = await api.POST('/api/v1/questions/{questionID}/hide', { ...path, body: { reason: a.reason } });
      }
      if (res.error || !res.data) throw toAppError(res.error, res.response.status, res.response.headers);
      return res.data;
    },
    onSuccess: () => refreshCommitment(client, slug, commitmentId),
  });
}

/** usePostUpdateComment comments on a published update (replies go through the comments' own routes). */
export function usePostUpdateComment(slug: string, u: { id: number; commitment_id: number }, onDone: (c: Comment) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (body: string) =>
      submit(`POST /progress-updates/${u.id}/comments ${body}`, async (key): Promise<Comment> => {
        const { data, error, response } = await api.POST('/api/v1/progress-updates/{updateID}/comments', {
          params: { path: { updateID: u.id }, header: idem(key) },
          body: { body },
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: (c) => {
      onDone(c);
      return refreshUpdate(client, slug, u.id, u.commitment_id);
    },
  });
}
