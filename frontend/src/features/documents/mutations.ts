// Writes on comments and votes, as mutations. Each request carries the
// Idempotency-Key of its submission (lib/idempotency.ts): a retry after a
// failure sends the same key, so the server writes at most once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { useSubmitter } from '../../lib/idempotency';
import type { Quote } from './offsets';
import { refreshAfterWrite, type Comment, type CommentPage, type MyVotes, type VoteState, type VoteValue } from './queries';
import type { ThreadContext } from './thread';

const idem = (key: string) => ({ 'Idempotency-Key': key });

export interface NewComment {
  paragraph_key: string;
  version: number;
  body: string;
  quote?: Quote;
}

async function postComment(documentId: number, input: NewComment, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/documents/{documentID}/comments', {
    params: { path: { documentID: documentId }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function postReply(commentId: number, body: string, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/comments/{commentID}/replies', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { body },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function editComment(commentId: number, body: string, revision: number, key: string): Promise<Comment> {
  const { data, error, response } = await api.PATCH('/api/v1/comments/{commentID}', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { body, revision },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function deleteComment(commentId: number, key: string): Promise<void> {
  const { error, response } = await api.DELETE('/api/v1/comments/{commentID}', {
    params: { path: { commentID: commentId }, header: idem(key) },
  });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

async function castVote(commentId: number, value: VoteValue, key: string): Promise<VoteState> {
  const { data, error, response } = await api.PUT('/api/v1/comments/{commentID}/vote', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { value },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function retractVote(commentId: number, key: string): Promise<VoteState> {
  const { data, error, response } = await api.DELETE('/api/v1/comments/{commentID}/vote', {
    params: { path: { commentID: commentId }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

// The hooks below take what the page does once the server agreed (onDone):
// it runs before the thread refreshes, and the write stays busy until then.

/** usePostComment comments on a paragraph (or a phrase of it) of a draft's latest version. */
export function usePostComment(documentId: number, onDone: (c: Comment) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (input: NewComment) => submit(`POST /documents/${documentId}/comments ${JSON.stringify(input)}`, (key) => postComment(documentId, input, key)),
    onSuccess: (c) => {
      onDone(c);
      return refreshAfterWrite(client, documentId);
    },
  });
}

/** useReply replies to a comment of a thread. */
export function useReply(commentId: number, ctx: ThreadContext, onDone: (c: Comment) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (body: string) => submit(`POST /comments/${commentId}/replies ${body}`, (key) => postReply(commentId, body, key)),
    onSuccess: (c) => {
      onDone(c);
      return ctx.refresh(client);
    },
  });
}

/**
 * useEditComment replaces one's own comment's text on the revision being
 * edited; onDone receives the comment as saved (with edit_pending when the
 * edit waits for a moderator).
 */
export function useEditComment(commentId: number, ctx: ThreadContext, onDone: (saved: Comment) => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: ({ body, revision }: { body: string; revision: number }) =>
      submit(`PATCH /comments/${commentId} ${revision} ${body}`, (key) => editComment(commentId, body, revision, key)),
    onSuccess: (saved) => {
      onDone(saved);
      return ctx.refresh(client);
    },
    // Someone (the author, elsewhere) changed it: show the current text behind the form.
    onError: () => void ctx.refresh(client),
  });
}

/** useDeleteComment deletes one's own comment, leaving a tombstone. */
export function useDeleteComment(commentId: number, ctx: ThreadContext, onDone: () => void) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: () => submit(`DELETE /comments/${commentId}`, (key) => deleteComment(commentId, key)),
    onSuccess: () => {
      onDone();
      return ctx.refresh(client);
    },
  });
}

/**
 * useVote agrees or disagrees with a comment, or takes one's vote back; the
 * new counts and the person's vote show at once, then the thread refreshes.
 */
export function useVote(commentId: number, ctx: ThreadContext) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: ({ value, retract }: { value: VoteValue; retract: boolean }) =>
      retract
        ? submit(`DELETE /comments/${commentId}/vote`, (key) => retractVote(commentId, key))
        : submit(`PUT /comments/${commentId}/vote ${value}`, (key) => castVote(commentId, value, key)),
    onSuccess: (state) => {
      client.setQueriesData<MyVotes>({ queryKey: ctx.keys.myVotes }, (old) => {
        const next = { ...old };
        if (state.mine) next[String(commentId)] = state.mine;
        else delete next[String(commentId)];
        return next;
      });
      client.setQueriesData<{ pages: CommentPage[]; pageParams: unknown[] }>({ queryKey: ctx.keys.threads }, (old) =>
        old && {
          ...old,
          pages: old.pages.map((p) => ({ ...p, items: p.items.map((c) => (c.id === commentId ? { ...c, agree: state.agree, disagree: state.disagree } : c)) })),
        },
      );
      return ctx.refresh(client);
    },
  });
}
