import { useEffect, useRef, type RefObject } from 'react';
import { Loading } from './status';

/** The part of an infinite query that "Load more" drives. */
export interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * LoadMore asks for the next page of a list while there is one, and says that
 * it is loading. Given the list and a selector for its items' focus targets,
 * the keyboard then continues at the first new item (the button may be gone).
 */
export function LoadMore({ pages, label, count, listRef, focusSelector, primary = false }: {
  pages: Pages;
  label: string;
  /** How many items are shown now. */
  count: number;
  listRef?: RefObject<HTMLElement | null>;
  focusSelector?: string;
  primary?: boolean;
}) {
  const from = useRef<number | null>(null);
  useEffect(() => {
    const at = from.current;
    if (at === null || count <= at) return;
    from.current = null;
    if (focusSelector) listRef?.current?.querySelectorAll<HTMLElement>(focusSelector)[at]?.focus();
  }, [count, listRef, focusSelector]);
  return (
    <>
      {pages.hasNextPage && (
        <button
          type="button"
          className={primary ? undefined : 'secondary'}
          disabled={pages.isFetchingNextPage}
          aria-busy={pages.isFetchingNextPage}
          onClick={() => {
            from.current = count;
            void pages.fetchNextPage();
          }}
        >
          {label}
        </button>
      )}
      {pages.isFetchingNextPage && <Loading />}
    </>
  );
}
