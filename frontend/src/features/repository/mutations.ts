// Writes on a process's repository: upload a file (with its progress), add a
// link (with an Idempotency-Key, lib/idempotency.ts), delete a document.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { noteWrite } from '../../lib/freshness';
import { useSubmitter } from '../../lib/idempotency';
import { repositoryKeys, repositoryScope, type RepositoryItem } from './queries';
import { postForm, type Progress } from '../../lib/upload';

type LinkInput = components['schemas']['RepositoryLinkInput'];

/** DocumentFacts are what the owner says of a document, whether file or link. */
export interface DocumentFacts {
  kind: string;
  title: string;
  date: string;
  language: string;
}

function useRefresh(slug: string) {
  const client = useQueryClient();
  return () => {
    noteWrite(repositoryScope(slug));
    return client.invalidateQueries({ queryKey: repositoryKeys.all(slug) });
  };
}

/**
 * useUploadDocument sends a file with its facts, and says how much has gone
 * (progress, null when nothing is being sent); cancel stops the sending.
 */
export function useUploadDocument(slug: string) {
  const refresh = useRefresh(slug);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [controller, setController] = useState<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ facts, file }: { facts: DocumentFacts; file: File }) => {
      const form = new FormData();
      form.set('kind', facts.kind);
      form.set('title', facts.title);
      form.set('date', facts.date);
      form.set('language', facts.language);
      form.set('file', file, file.name);
      const ctl = new AbortController();
      setController(ctl);
      setProgress({ loaded: 0, total: file.size });
      try {
        return await postForm<RepositoryItem>(`/api/v1/processes/${encodeURIComponent(slug)}/repository/files`, form, setProgress, ctl.signal);
      } finally {
        setProgress(null);
        setController(null);
      }
    },
    onSuccess: () => refresh(),
  });
  return { ...mutation, progress, cancel: () => controller?.abort() };
}

/** useAddLink adds a link to a document published elsewhere. */
export function useAddLink(slug: string) {
  const refresh = useRefresh(slug);
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (input: LinkInput) =>
      submit(`POST ${slug} links ${JSON.stringify(input)}`, async (key) => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/repository/links', {
          params: { path: { slug }, header: { 'Idempotency-Key': key } },
          body: input,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: () => refresh(),
  });
}

/** useDeleteDocument removes a document (and its file) from the repository. */
export function useDeleteDocument(slug: string) {
  const refresh = useRefresh(slug);
  return useMutation({
    mutationFn: async (id: number) => {
      const { error, response } = await api.DELETE('/api/v1/repository/{itemID}', { params: { path: { itemID: id } } });
      // Already gone (another owner, another tab) is what was wanted.
      if (error && response.status !== 404) throw toAppError(error, response.status, response.headers);
    },
    onSuccess: () => refresh(),
  });
}
