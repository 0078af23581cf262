// The comment thread's model: comments nested by reply, and what every comment
// of a thread needs to know about the page it is on.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { Account } from '../../api/session';
import { documentKeys, refreshAfterWrite, type Comment, type MyVotes } from './queries';

/** MaxDepth is the deepest reply the server takes: comments are depth 0, replies 1 to 3. */
export const MaxDepth = 3;

export interface ThreadNode {
  comment: Comment;
  replies: ThreadNode[];
}

/**
 * buildTree nests comments given in thread order (each parent before its
 * replies). A reply whose parent is not among them stands at the top level.
 */
export function buildTree(items: Comment[]): ThreadNode[] {
  const byId = new Map<number, ThreadNode>();
  const roots: ThreadNode[] = [];
  for (const comment of items) {
    const node: ThreadNode = { comment, replies: [] };
    byId.set(comment.id, node);
    const parent = comment.parent_id != null ? byId.get(comment.parent_id) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

/**
 * What every comment of a thread needs to know about the page it is on: a
 * draft's paragraph or an idea's discussion.
 */
export interface ThreadContext {
  /** The number of the draft version being read (the latest); null when the thread is not on a draft. */
  versionNumber: number | null;
  account: Account | null;
  votes: MyVotes | undefined;
  /** Whether replies and votes can be written now. */
  open: boolean;
  /** Where the thread's pages and the person's votes are cached, so that a vote shows at once. */
  keys: { threads: QueryKey; myVotes: QueryKey };
  /** refresh refetches what a comment or vote changes. */
  refresh: (client: QueryClient) => Promise<unknown>;
  /** The slug of the process the thread belongs to (for its house rules), once known. */
  slug?: string;
}

/** DraftThreadContext is the context of a thread on a paragraph of a draft. */
export interface DraftThreadContext extends ThreadContext {
  documentId: number;
  versionNumber: number;
}

/** draftThreadContext builds the context of the threads on a draft's latest version. */
export function draftThreadContext(documentId: number, versionNumber: number, account: Account | null, votes: MyVotes | undefined, open: boolean, slug?: string): DraftThreadContext {
  return {
    slug,
    documentId,
    versionNumber,
    account,
    votes,
    open,
    keys: { threads: documentKeys.threads(documentId), myVotes: documentKeys.myVotes(documentId) },
    refresh: (client) => refreshAfterWrite(client, documentId),
  };
}
