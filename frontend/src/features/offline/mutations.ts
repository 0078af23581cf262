// Entering a contribution received offline, as a mutation. The entry and its
// scan go in one multipart request that carries the Idempotency-Key of its
// submission (lib/idempotency.ts); the body's boundary comes from that key,
// so a retry sends the very same bytes and the server stores the entry once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError, type FieldError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useSubmitter } from '../../lib/idempotency';
import { offlineKeys, type OfflineChannel, type OfflineCommentInput, type OfflineEntry, type OfflineIdeaInput } from './queries';

/** OfflineDraft is what the owner fills in on the screen. */
export interface OfflineDraft {
  kind: 'comment' | 'idea';
  channel: OfflineChannel | '';
  contributor: string;
  receivedOn: string; // yyyy-mm-dd, as a date input gives it
  documentId: string;
  paragraphKey: string;
  title: string;
  themeId: string;
  body: string;
  file: File | null;
}

export const contributorMax = 80;
export const titleMax = 150;
export const bodyMax = 10000;

/** scanTypes are the types a scan may have (the server checks its bytes too). */
export const scanTypes = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/tiff'];

/** today is the local calendar date, yyyy-mm-dd. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/**
 * checkOffline refuses, before sending, what the server would refuse for the
 * same reasons, with the same field names, and returns the entry's fields.
 */
export function checkOffline(d: OfflineDraft, version: number | undefined, now = new Date()): OfflineCommentInput | OfflineIdeaInput {
  const fields: FieldError[] = [];
  if (d.channel === '') fields.push(required('channel'));
  if (d.receivedOn === '') fields.push(required('received_on'));
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(d.receivedOn)) fields.push({ field: 'received_on', code: 'datetime', message: '' });
  else if (d.receivedOn > today(now)) fields.push({ field: 'received_on', code: 'future', message: '' });
  if (d.body.trim() === '') fields.push(required('body'));
  if (d.file && d.file.type !== '' && !scanTypes.includes(d.file.type)) fields.push({ field: 'file', code: 'type', message: '' });
  if (d.kind === 'comment') {
    if (d.documentId === '') fields.push(required('document_id'));
    else if (d.paragraphKey === '' || version === undefined) fields.push(required('paragraph_key'));
  } else {
    if (d.title.trim() === '') fields.push(required('title'));
    if (d.themeId === '') fields.push(required('theme_id'));
  }
  if (fields.length > 0) throw new FormCheck('offline.invalid', fields);
  const contributor = d.contributor.trim();
  const common = {
    channel: d.channel as OfflineChannel,
    received_on: d.receivedOn,
    body: d.body,
    ...(contributor === '' ? {} : { contributor }),
  };
  if (d.kind === 'comment') return { ...common, document_id: Number(d.documentId), paragraph_key: d.paragraphKey, version: version as number };
  return { ...common, title: d.title.trim(), theme_id: Number(d.themeId) };
}

/** partName makes a file name safe to put in a multipart header. */
function partName(name: string): string {
  return name.replace(/["\\\r\n]/g, '_') || 'scan';
}

/**
 * multipartBody builds the request's bytes: the entry as JSON in the
 * "contribution" part and the scan, if any, in the "file" part.
 */
export async function multipartBody(boundary: string, contribution: unknown, file: File | null): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [
    enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="contribution"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(contribution)}\r\n`),
  ];
  if (file) {
    parts.push(
      enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${partName(file.name)}"\r\nContent-Type: ${file.type || 'application/octet-stream'}\r\n\r\n`),
      new Uint8Array(await file.arrayBuffer()),
      enc.encode('\r\n'),
    );
  }
  parts.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function enter(slug: string, kind: 'comment' | 'idea', input: OfflineCommentInput | OfflineIdeaInput, file: File | null, key: string): Promise<OfflineEntry> {
  const boundary = `cocreate-${key}`;
  const bytes = await multipartBody(boundary, input, file);
  const init = {
    params: { path: { slug }, header: { 'Idempotency-Key': key } },
    // The typed body names the parts; the bytes are built above.
    bodySerializer: () => bytes,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  };
  const { data, error, response } =
    kind === 'comment'
      ? await api.POST('/api/v1/processes/{slug}/offline/comments', { ...init, body: { contribution: input as OfflineCommentInput } })
      : await api.POST('/api/v1/processes/{slug}/offline/ideas', { ...init, body: { contribution: input as OfflineIdeaInput } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** useEnterOffline enters a contribution received offline, with its scan; the owners' list then refreshes. */
export function useEnterOffline(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: ({ draft, version }: { draft: OfflineDraft; version: number | undefined }) => {
      const input = checkOffline(draft, version);
      const f = draft.file;
      const request = `POST ${slug} ${draft.kind} ${JSON.stringify(input)} ${f ? `${f.name}:${f.size}:${f.lastModified}` : ''}`;
      return submit(request, (key) => enter(slug, draft.kind, input, f, key));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: offlineKeys.entries(slug) }),
  });
}
