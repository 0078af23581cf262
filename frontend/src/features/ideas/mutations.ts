// Writes on ideas, as mutations. Each request but the settings' carries the
// Idempotency-Key of its submission (lib/idempotency.ts): a retry after a
// failure sends the same key, so the server writes at most once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { FormCheck } from '../../lib/forms';
import { useSubmitter } from '../../lib/idempotency';
import { processKeys } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { checkDraft, type IdeaDraft } from './IdeaForm';
import { ideaKeys, refreshIdea, refreshLists, refreshSupports, type Idea, type IdeaCreate, type IdeaEdit, type IdeaSettings, type IdeaSettingsInput, type MySupports, type SupportState } from './queries';

type Comment = components['schemas']['Comment'];

const idem = (key: string) => ({ 'Idempotency-Key': key });

async function createIdea(slug: string, input: IdeaCreate, key: string): Promise<Idea> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/ideas', {
    params: { path: { slug }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function editIdea(id: number, input: IdeaEdit, key: string): Promise<Idea> {
  const { data, error, response } = await api.PATCH('/api/v1/ideas/{ideaID}', {
    params: { path: { ideaID: id }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function withdrawIdea(id: number, key: string): Promise<Idea> {
  const { data, error, response } = await api.POST('/api/v1/ideas/{ideaID}/withdraw', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function supportIdea(id: number, key: string): Promise<SupportState> {
  const { data, error, response } = await api.PUT('/api/v1/ideas/{ideaID}/support', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function retractSupport(id: number, key: string): Promise<SupportState> {
  const { data, error, response } = await api.DELETE('/api/v1/ideas/{ideaID}/support', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function postIdeaComment(id: number, body: string, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/ideas/{ideaID}/comments', {
    params: { path: { ideaID: id }, header: idem(key) },
    body: { body },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function mergeIdea(id: number, into: number): Promise<Idea> {
  const { data, error, response } = await api.POST('/api/v1/ideas/{ideaID}/merge', {
    params: { path: { ideaID: id } },
    body: { into },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function saveIdeaSettings(slug: string, input: IdeaSettingsInput): Promise<IdeaSettings> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/idea-settings', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** useCreateIdea proposes an idea in a process, once its fields pass the same checks as the server's. */
export function useCreateIdea(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  const account = useAccount();
  return useMutation({
    mutationFn: (draft: IdeaDraft) => {
      checkDraft(draft);
      const input = { title: draft.title.trim(), body: draft.body, theme_id: Number(draft.themeId) };
      return submit(`POST /processes/${slug}/ideas ${JSON.stringify(input)}`, (key) => createIdea(slug, input, key));
    },
    onSuccess: (idea) => {
      client.setQueryData([...ideaKeys.idea(idea.id), account?.id], idea);
      void refreshLists(client, slug);
    },
  });
}

/** useEditIdea replaces one's own idea's title, theme and body, on the revision being edited. */
export function useEditIdea(id: number, slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: ({ draft, revision }: { draft: IdeaDraft; revision: number }) => {
      checkDraft(draft);
      const input = { title: draft.title.trim(), body: draft.body, theme_id: Number(draft.themeId), revision };
      return submit(`PATCH /ideas/${id} ${JSON.stringify(input)}`, (key) => editIdea(id, input, key));
    },
    onSuccess: (saved) => {
      client.setQueriesData<Idea>({ queryKey: ideaKeys.idea(id) }, (old) => (old ? { ...old, ...saved, supported: old.supported } : old));
      void refreshSupports(client, id, slug);
    },
    // A refused write may mean the idea changed meanwhile: show it as it is now.
    onError: (err) => {
      if (!(err instanceof FormCheck)) void refreshSupports(client, id, slug);
    },
  });
}

/** useWithdrawIdea withdraws one's own idea; its supports go back to their givers. */
export function useWithdrawIdea(id: number, slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: () => submit(`POST /ideas/${id}/withdraw`, (key) => withdrawIdea(id, key)),
    onSuccess: (withdrawn) => {
      client.setQueriesData<Idea>({ queryKey: ideaKeys.idea(id) }, (old) => (old ? { ...old, ...withdrawn, supported: old.supported } : old));
      void refreshSupports(client, id, slug);
    },
  });
}

/**
 * useSupport gives the caller's support to an idea, or takes it back (retract);
 * the counts show at once. onDone runs before the idea and lists refresh.
 */
export function useSupport(id: number, slug: string, onDone: (s: SupportState) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (retract: boolean) =>
      retract ? submit(`DELETE /ideas/${id}/support`, (key) => retractSupport(id, key)) : submit(`PUT /ideas/${id}/support`, (key) => supportIdea(id, key)),
    onSuccess: (state) => {
      client.setQueriesData<Idea>({ queryKey: ideaKeys.idea(id) }, (old) => old && { ...old, supports: state.supports, supported: state.supported });
      client.setQueriesData<MySupports>({ queryKey: ideaKeys.mySupports(slug) }, (old) =>
        old && { ...old, remaining: state.remaining, ideas: state.supported ? [...old.ideas.filter((x) => x !== id), id] : old.ideas.filter((x) => x !== id) },
      );
      onDone(state);
      return refreshSupports(client, id, slug);
    },
    // A refusal may mean this page's count of supports left was out of date.
    onError: () => void client.invalidateQueries({ queryKey: ideaKeys.mySupports(slug) }),
  });
}

/** usePostIdeaComment comments on an idea (replies go through the comments' own routes); onDone runs before the discussion refreshes. */
export function usePostIdeaComment(id: number, slug: string, onDone: (c: Comment) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (body: string) => submit(`POST /ideas/${id}/comments ${body}`, (key) => postIdeaComment(id, body, key)),
    onSuccess: (c) => {
      onDone(c);
      return refreshIdea(client, id, slug);
    },
  });
}

/** useSaveIdeaSettings replaces a process's themes and support rules. */
export function useSaveIdeaSettings(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: IdeaSettingsInput) => {
      if (input.support_limit < 0) throw new FormCheck('idea.invalid', [{ field: 'support_limit', code: 'invalid', message: '' }]);
      return saveIdeaSettings(slug, input);
    },
    onSuccess: (next) => {
      client.setQueryData(processKeys.ideaSettings(slug), next);
      void refreshLists(client, slug);
    },
  });
}

/**
 * useMergeIdea merges an idea into another of its process (a merge is done
 * once: a repeat is refused, so it takes no Idempotency-Key); both ideas and
 * the lists refresh.
 */
export function useMergeIdea(id: number, slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (into: number) => mergeIdea(id, into),
    onSuccess: (merged, into) => {
      client.setQueriesData<Idea>({ queryKey: ideaKeys.idea(id) }, (old) => (old ? { ...old, ...merged, supported: old.supported } : old));
      return Promise.all([refreshSupports(client, id, slug), refreshIdea(client, into, slug)]);
    },
  });
}
