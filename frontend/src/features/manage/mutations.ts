// The owner's writes on a process, as mutations: creating it (administrators),
// changing it, writing its engagement mandate and publishing it. A change is
// sent with the updated_at it was made on, so two owners editing at once lose
// nothing (the second is told, and keeps what they typed).
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, toAppError, type Process } from '../../api/client';
import type { components } from '../../api/schema';
import { processKeys, type Mandate } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { languagesOf, samePhases } from './phases';
import { checkDraft, type ProcessDraft } from './ProcessForm';

export type ProcessCreate = components['schemas']['ProcessCreate'];
export type ProcessChange = components['schemas']['ProcessUpdate'];
export type MandateInput = components['schemas']['MandateInput'];
export type PublishResult = components['schemas']['PublishResult'];

/** remember puts the process as just stored in the reader's cache, and has the lists read again. */
function remember(client: QueryClient, accountId: number | undefined, p: Process) {
  client.setQueryData([...processKeys.process(p.slug), accountId ?? null], p);
  void client.invalidateQueries({ queryKey: ['processes'] });
}

/** useCreateProcess creates a process (administrators), once its fields pass the checks the server makes first; it starts unpublished. */
export function useCreateProcess() {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: async (draft: ProcessDraft): Promise<Process> => {
      const f = checkDraft(draft, true);
      const body: ProcessCreate = { slug: f.slug, title: f.title, summary: f.summary, languages: f.languages, phases: f.phases };
      const { data, error, response } = await api.POST('/api/v1/processes', { body });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: (p) => remember(client, account?.id, p),
  });
}

/** A change of a process: the draft as edited, the draft as it was loaded, and the process's updated_at then. */
export interface ProcessEdit {
  draft: ProcessDraft;
  base: ProcessDraft;
  updatedAt: string;
}

/** useChangeProcess sends the fields of a process that changed, with the updated_at they were made on. */
export function useChangeProcess(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: async ({ draft, base, updatedAt }: ProcessEdit): Promise<Process> => {
      const f = checkDraft(draft, false);
      const body: ProcessChange = { updated_at: updatedAt };
      if (f.title !== base.title.trim()) body.title = f.title;
      if (f.summary !== base.summary) body.summary = f.summary;
      if (JSON.stringify(f.languages) !== JSON.stringify(languagesOf(base.languages))) body.languages = f.languages;
      if (!samePhases(draft.phases, base.phases)) body.phases = f.phases;
      const { data, error, response } = await api.PATCH('/api/v1/processes/{slug}', { params: { path: { slug } }, body });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: (p) => remember(client, account?.id, p),
  });
}

/** useSaveMandate replaces a process's engagement mandate, on the version read. */
export function useSaveMandate(process: Process) {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: async (body: MandateInput): Promise<Mandate> => {
      const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/mandate', { params: { path: { slug: process.slug } }, body });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: (mandate) => {
      client.setQueryData<Process>([...processKeys.process(process.slug), account?.id ?? null], (old) => (old ? { ...old, mandate } : old));
    },
  });
}

/** usePublish opens a process to the public; the answer warns of the mandate's empty parts. */
export function usePublish(slug: string) {
  const client = useQueryClient();
  const account = useAccount();
  return useMutation({
    mutationFn: async (): Promise<PublishResult> => {
      const { data, error, response } = await api.POST('/api/v1/processes/{slug}/publish', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: (res) => remember(client, account?.id, res.process),
  });
}
