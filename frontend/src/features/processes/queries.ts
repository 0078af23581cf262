import { useInfiniteQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';

/**
 * useProcesses pages through the processes, newest first; the list depends on
 * who reads it (owners and administrators also see unpublished ones).
 */
export function useProcesses(accountId: number | undefined) {
  return useInfiniteQuery({
    queryKey: ['processes', accountId ?? null],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes', {
        params: { query: { limit: 20, cursor: pageParam } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

