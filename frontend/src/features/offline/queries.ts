// Reads of the screen for contributions received offline: what the owners
// entered so far, and the paragraphs of a draft to comment on.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type OfflineEntry = components['schemas']['OfflineEntry'];
export type OfflineChannel = components['schemas']['OfflineChannel'];
export type OfflineIdeaInput = components['schemas']['OfflineIdeaInput'];
export type OfflineCommentInput = components['schemas']['OfflineCommentInput'];
export type ContributionAttachment = components['schemas']['ContributionAttachment'];

/** channels are the offline channels, in the order offered. */
export const channels: OfflineChannel[] = ['paper', 'phone', 'email', 'workshop'];

export const offlineKeys = {
  entries: (slug: string) => ['offline', slug] as const,
  latest: (documentId: number) => ['offline-draft', documentId] as const,
};

/** useOfflineEntries pages through what owners entered in a process, newest first. */
export function useOfflineEntries(slug: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: offlineKeys.entries(slug),
    enabled,
    retry: false,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/offline', {
        params: { path: { slug }, query: { limit: 20, cursor: pageParam } },
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useLatestVersion loads the latest published version of a draft, with its paragraphs (none for 0). */
export function useLatestVersion(documentId: number) {
  return useQuery({
    queryKey: offlineKeys.latest(documentId),
    enabled: documentId > 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/versions/{number}', {
        params: { path: { documentID: documentId, number: 'latest' } },
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
  });
}

/**
 * downloadScan fetches a private scan with the session's token (a plain link
 * would not carry it) and hands it to the browser as a download.
 */
export async function downloadScan(a: ContributionAttachment): Promise<void> {
  const { data, error, response } = await api.GET('/api/v1/contribution-attachments/{attachmentID}', {
    params: { path: { attachmentID: a.id } },
    parseAs: 'blob',
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  const url = URL.createObjectURL(data as Blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = a.filename;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
