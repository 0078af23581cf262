// Reads of the owner's drafts workspace: a process's documents with all their
// versions (drafts included, for those who manage it) and a draft's preview.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type DocumentWithVersions = components['schemas']['Document'];
export type VersionSummary = components['schemas']['VersionSummary'];
export type Version = components['schemas']['Version'];
export type VersionPreview = components['schemas']['VersionPreview'];
export type PasteFormat = components['schemas']['VersionImport']['format'];

export const draftKeys = {
  // The same keys as the reader's, so a write here refreshes what readers see.
  document: (id: number) => ['document', id] as const,
  preview: (id: number, number: number) => ['preview', id, number] as const,
  list: (slug: string) => ['drafts', slug] as const,
};

/**
 * useProcessDrafts lists a process's documents for its owners, past the
 * browser's cache (the public list may be cached for a few seconds, and an
 * owner must see the document they just created).
 */
export function useProcessDrafts(slug: string, enabled = true) {
  return useQuery({
    queryKey: draftKeys.list(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/documents', { params: { path: { slug } }, cache: 'no-cache' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

async function loadDocument(id: number): Promise<DocumentWithVersions> {
  const { data, error, response } = await api.GET('/api/v1/documents/{documentID}', { params: { path: { documentID: id } } });
  if (error || !data) throw toAppError(error, response.status);
  return data;
}

/** useDocumentVersions loads a document with every version its reader may see (drafts too, for owners). */
export function useDocumentVersions(id: number, enabled = true) {
  return useQuery({ queryKey: draftKeys.document(id), enabled: enabled && id > 0, queryFn: () => loadDocument(id) });
}

/** useDocumentsVersions loads several documents with their versions, one request each. */
export function useDocumentsVersions(ids: number[]) {
  return useQueries({ queries: ids.map((id) => ({ queryKey: draftKeys.document(id), queryFn: () => loadDocument(id) })) });
}

/** usePreview loads what publishing an unpublished version would show and change. */
export function usePreview(id: number, number: number) {
  return useQuery({
    queryKey: draftKeys.preview(id, number),
    enabled: id > 0 && number > 0,
    // A preview is computed from the current comments: always fresh.
    staleTime: 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/versions/{number}/preview', {
        params: { path: { documentID: id, number: String(number) } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}
