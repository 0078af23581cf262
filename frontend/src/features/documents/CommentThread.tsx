import type { ReactNode } from 'react';
import { LoadMore, type Pages } from '../../components/LoadMore';
import { QueryState, type ReadState } from '../../components/status';
import { CommentList } from './CommentNode';
import type { Comment, CommentPage } from './queries';
import { buildTree, type ThreadContext } from './thread';

// What another feature's page needs to show a thread of comments.
export type { ThreadContext } from './thread';

/** PagedComments is a paginated comment query (a thread, a discussion, the orphaned comments). */
type PagedComments = ReadState & Pages & { data?: { pages: CommentPage[] } };

/**
 * ThreadPages shows the pages of comments loaded so far: progress, a failure,
 * the empty text, the comments in thread order and a "Load more" button.
 */
export function ThreadPages({ pages, ctx, emptyText, loadMoreLabel, extra }: {
  pages: PagedComments;
  ctx: ThreadContext;
  emptyText: string;
  loadMoreLabel: string;
  extra?: (c: Comment) => ReactNode;
}) {
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <QueryState query={pages} empty={items.length === 0 && emptyText} emptyClassName="thread-empty" />
      {items.length > 0 && <CommentList nodes={buildTree(items)} ctx={ctx} extra={extra} />}
      <LoadMore pages={pages} label={loadMoreLabel} count={items.length} />
    </>
  );
}
