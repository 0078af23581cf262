// Writes on a process's updates, as mutations. A new update carries the
// Idempotency-Key of its submission (lib/idempotency.ts), so a retry after a
// failure posts it at most once; an edit carries the edited_at it was made on.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useSubmitter } from '../../lib/idempotency';
import { processKeys, type ProcessUpdatePost } from '../../lib/process';

/** UpdateDraft is an update as its author types it. */
export interface UpdateDraft {
  title: string;
  body: string;
}

/** checkUpdate refuses what the server would refuse for being empty. */
function checkUpdate(d: UpdateDraft) {
  const missing = [...(d.title.trim() === '' ? [required('title')] : []), ...(d.body.trim() === '' ? [required('body')] : [])];
  if (missing.length > 0) throw new FormCheck('update.invalid', missing);
}

/** useCreateUpdate posts a new update on a process. */
export function useCreateUpdate(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (d: UpdateDraft): Promise<ProcessUpdatePost> => {
      checkUpdate(d);
      const body = { title: d.title.trim(), body: d.body };
      return submit(`POST /processes/${slug}/updates ${JSON.stringify(body)}`, async (key) => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/updates', {
          params: { path: { slug }, header: { 'Idempotency-Key': key } },
          body,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: processKeys.updates(slug) }),
  });
}

/** useEditUpdate changes an update's title and text, on the version read. */
export function useEditUpdate(slug: string, update: ProcessUpdatePost) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (d: UpdateDraft): Promise<ProcessUpdatePost> => {
      checkUpdate(d);
      const { data, error, response } = await api.PATCH('/api/v1/processes/{slug}/updates/{updateID}', {
        params: { path: { slug, updateID: update.id } },
        body: { title: d.title.trim(), body: d.body, edited_at: update.edited_at },
      });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: processKeys.updates(slug) }),
  });
}

/** useDeleteUpdate deletes an update. */
export function useDeleteUpdate(slug: string, id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { error, response } = await api.DELETE('/api/v1/processes/{slug}/updates/{updateID}', {
        params: { path: { slug, updateID: id } },
      });
      if (error || !response.ok) throw toAppError(error, response.status, response.headers);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: processKeys.updates(slug) }),
  });
}
