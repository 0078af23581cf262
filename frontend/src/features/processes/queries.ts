import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';

/** useProcesses pages through the processes, newest first. */
export function useProcesses() {
  return useInfiniteQuery({
    queryKey: ['processes'],
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

/** useProcess loads one process with its phases (once enabled, when given). */
export function useProcess(slug: string, enabled = true) {
  return useQuery({
    queryKey: ['process', slug],
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}', {
        params: { path: { slug } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}
