import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/LoadMore';
import { QueryState } from '../../components/status';
import { BulkForm } from './BulkForm';
import type { HouseRule, QueueFilters, useModerationQueue } from './queries';
import { QueueFilterBar } from './QueueFilterBar';
import { QueueRow } from './QueueRow';

/**
 * QueuePane is the console's queue: its filters, the items (each opens in the
 * item pane, or is selected for a bulk decision), "Load more" and the bulk
 * form for the items selected.
 */
export function QueuePane({ slug, queue, filters, onFilter, openId, onOpen, rowButtons, selected, setSelected, rules, onBulkDone }: {
  slug: string;
  queue: ReturnType<typeof useModerationQueue>;
  filters: QueueFilters;
  onFilter: (patch: Partial<QueueFilters>) => void;
  openId: number | null;
  onOpen: (id: number) => void;
  /** Where each row's button is kept, for the console to move the focus to it. */
  rowButtons: RefObject<Map<number, HTMLButtonElement>>;
  selected: number[];
  setSelected: (update: (s: number[]) => number[]) => void;
  rules: HouseRule[];
  /** A bulk decision is done: what to announce, and which items it decided. */
  onBulkDone: (message: string, decided: number[]) => void;
}) {
  const { t } = useTranslation();
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const selectedItems = items.filter((i) => selected.includes(i.id));
  return (
    <section className="queue" aria-labelledby="queue-heading" aria-busy={queue.isFetching}>
      <h2 id="queue-heading">{t('moderation.queue.title')}</h2>
      <QueueFilterBar filters={filters} counts={queue.data?.pages[0]?.counts} onChange={onFilter} />
      <QueryState query={queue} empty={items.length === 0 && t('moderation.console.empty')} />
      {items.length > 0 && (
        <ol className="queue-list">
          {items.map((it) => (
            <QueueRow
              key={it.id}
              item={it}
              open={it.id === openId}
              checked={selected.includes(it.id)}
              onCheck={(on) => setSelected((s) => (on ? [...s, it.id] : s.filter((x) => x !== it.id)))}
              onOpen={() => onOpen(it.id)}
              buttonRef={(el) => {
                if (el) rowButtons.current.set(it.id, el);
                else rowButtons.current.delete(it.id);
              }}
            />
          ))}
        </ol>
      )}
      <LoadMore pages={queue} label={t('moderation.queue.loadMore')} count={items.length} />
      {selectedItems.length > 0 && (
        <BulkForm
          slug={slug}
          items={selectedItems}
          rules={rules}
          onDone={(message) => onBulkDone(message, selectedItems.map((i) => i.id))}
        />
      )}
    </section>
  );
}
