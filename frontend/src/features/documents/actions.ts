// Writes on comments and votes. Each takes the Idempotency-Key of its
// submission (see idempotency.ts) and throws an AppError on failure.
import { api, toAppError } from '../../api/client';
import type { Quote } from './offsets';
import type { Comment, VoteState, VoteValue } from './queries';

const idem = (key: string) => ({ 'Idempotency-Key': key });

export interface NewComment {
  paragraph_key: string;
  version: number;
  body: string;
  quote?: Quote;
}

/** postComment comments on a paragraph (or a phrase of it) of the latest version. */
export async function postComment(documentId: number, input: NewComment, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/documents/{documentID}/comments', {
    params: { path: { documentID: documentId }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** postReply replies to a comment. */
export async function postReply(commentId: number, body: string, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/comments/{commentID}/replies', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { body },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** editComment replaces one's own comment's text; revision is the one being edited. */
export async function editComment(commentId: number, body: string, revision: number, key: string): Promise<Comment> {
  const { data, error, response } = await api.PATCH('/api/v1/comments/{commentID}', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { body, revision },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** deleteComment deletes one's own comment, leaving a tombstone. */
export async function deleteComment(commentId: number, key: string): Promise<void> {
  const { error, response } = await api.DELETE('/api/v1/comments/{commentID}', {
    params: { path: { commentID: commentId }, header: idem(key) },
  });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

/** castVote agrees or disagrees with a comment. */
export async function castVote(commentId: number, value: VoteValue, key: string): Promise<VoteState> {
  const { data, error, response } = await api.PUT('/api/v1/comments/{commentID}/vote', {
    params: { path: { commentID: commentId }, header: idem(key) },
    body: { value },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** retractVote takes one's vote on a comment back. */
export async function retractVote(commentId: number, key: string): Promise<VoteState> {
  const { data, error, response } = await api.DELETE('/api/v1/comments/{commentID}/vote', {
    params: { path: { commentID: commentId }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}
