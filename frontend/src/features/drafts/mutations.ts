// Writes of the owner's drafts workspace, as mutations: a new document, a new
// version (a file, with its upload's progress, or pasted text) and publishing.
// The JSON writes carry an Idempotency-Key (lib/idempotency.ts); an upload
// needs none, for an import replaces the document's earlier draft anyway.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { noteWrite } from '../../lib/freshness';
import { useSubmitter } from '../../lib/idempotency';
import { processKeys } from '../../lib/process';
import { draftKeys, type DocumentWithVersions, type PasteFormat, type Version } from './queries';
import { postForm, type Progress } from '../../lib/upload';

const idem = (key: string) => ({ 'Idempotency-Key': key });

export interface NewDocument {
  title: string;
  language: string;
}

/** useCreateDocument adds a document to a process. */
export function useCreateDocument(slug: string) {
  const submit = useSubmitter();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewDocument) =>
      submit(`POST documents ${slug} ${JSON.stringify(input)}`, async (key): Promise<DocumentWithVersions> => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/documents', {
          params: { path: { slug }, header: idem(key) },
          body: input,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: draftKeys.list(slug) }), client.invalidateQueries({ queryKey: processKeys.documents(slug) })]),
  });
}

/** A new version's source: a file, or pasted text in a format. */
export type ImportSource = { kind: 'file'; file: File } | { kind: 'paste'; format: PasteFormat; text: string };

export interface ImportInput {
  source: ImportSource;
  note: string;
}

/**
 * useImportVersion imports a new unpublished version of a document; onProgress
 * hears how much of a file has been sent (then the server converts and aligns it).
 */
export function useImportVersion(docId: number, onProgress: (p: Progress) => void) {
  const submit = useSubmitter();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ source, note }: ImportInput): Promise<Version> => {
      if (source.kind === 'file') {
        const form = new FormData();
        form.append('file', source.file, source.file.name);
        if (note) form.append('note', note);
        return postForm<Version>(`/api/v1/documents/${docId}/imports`, form, onProgress);
      }
      const body = { format: source.format, source: source.text, ...(note ? { note } : {}) };
      return submit(`POST versions ${docId} ${JSON.stringify(body)}`, async (key) => {
        const { data, error, response } = await api.POST('/api/v1/documents/{documentID}/versions', {
          params: { path: { documentID: docId }, header: idem(key) },
          body,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: draftKeys.document(docId) }),
  });
}

/** A version's own comment window; null ends are not bounded, and no ends leave the process's phase in charge. */
export interface CommentWindow {
  opens_at: string | null;
  closes_at: string | null;
}

/** usePublishVersion publishes an unpublished version with its comment window. */
export function usePublishVersion(docId: number, number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (window: CommentWindow): Promise<Version> => {
      const { data, error, response } = await api.POST('/api/v1/documents/{documentID}/versions/{number}/publish', {
        params: { path: { documentID: docId, number: String(number) } },
        body: window,
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    // The preview is left as it is: refetched now it would say "already
    // published" and unmount the form whose mutate callback goes on to the
    // document (TanStack Query drops the callbacks of an unmounted caller).
    onSuccess: () => {
      noteWrite(docId); // the reader's next read of this document goes past the browser's cache
      return Promise.all([
        client.invalidateQueries({ queryKey: draftKeys.document(docId) }),
        client.invalidateQueries({ queryKey: ['version', docId] }),
      ]);
    },
  });
}
