import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, errorText, Loading, useDocumentTitle } from '../../components/status';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { ItemView, type Decider, type Picker } from './ItemView';
import { isStale, useClaimNext, useDecide } from './mutations';
import { itemLabel, rulesInOrder, useHouseRules, useModerationItem, useModerationQueue, type QueueFilters } from './queries';
import { QueuePane } from './QueuePane';
import { ShortcutHelp } from './ShortcutHelp';
import { useConsoleKeys } from './useConsoleKeys';

/** ModerationConsolePage is the moderators' console of a process: /processes/:slug/moderation. */
export function ModerationConsolePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(t('moderation.console.title'), notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  return (
    <div className="moderation-console">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('moderation.console.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: location.pathname }}>
            {t('moderation.console.signIn')}
          </Link>
        </p>
      ) : (
        <Console slug={slug} />
      )}
    </div>
  );
}

type Focus = { kind: 'row'; id: number } | { kind: 'item' } | { kind: 'claim' } | null;

/**
 * Console is the queue beside the open item. A decision opens the next item
 * of the list; the keyboard moves through the queue and decides (see
 * useConsoleKeys), and the focus follows what each action names.
 */
function Console({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const account = useAccount();
  const owner = useCanManageProcess(slug, account);
  const [filters, setFilters] = useState<QueueFilters>({});
  const queue = useModerationQueue(slug, filters);
  const houseRules = useHouseRules(slug);
  const rules = rulesInOrder(houseRules.data);
  const [openId, setOpenId] = useState<number | null>(null);
  const detail = useModerationItem(openId);
  const [selected, setSelected] = useState<number[]>([]);
  const [announcement, announce] = useAnnouncer();
  const [helpOpen, setHelpOpen] = useState(false);
  const [picker, setPicker] = useState<Picker>(null);
  const [itemError, setItemError] = useState<unknown>(null);
  const decision = useDecide(slug);
  const claim = useClaimNext(slug);
  const rowButtons = useRef(new Map<number, HTMLButtonElement>());
  const itemHeading = useRef<HTMLHeadingElement>(null);
  const claimButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<Focus>(null);
  // Decisions go one at a time, also when keys come faster than renders.
  const deciding = useRef(false);
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const open = detail.data && detail.data.item.id === openId ? detail.data : undefined;

  // Focus goes where the last action said, once what it names is on the page.
  useEffect(() => {
    const f = focusNext.current;
    if (!f) return;
    if (f.kind === 'row') {
      const el = rowButtons.current.get(f.id);
      if (!el) return;
      el.focus();
    } else if (f.kind === 'item') {
      if (!itemHeading.current) return;
      itemHeading.current.focus();
    } else {
      claimButton.current?.focus();
    }
    focusNext.current = null;
  });

  function openItem(id: number | null, focus: Focus) {
    setOpenId(id);
    setPicker(null);
    setItemError(null);
    focusNext.current = focus;
  }

  function move(delta: number) {
    if (items.length === 0) {
      announce(t('moderation.console.empty'));
      return;
    }
    const at = items.findIndex((i) => i.id === openId);
    const next = at < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + delta));
    if (items[next].id === openId) rowButtons.current.get(openId)?.focus();
    else openItem(items[next].id, { kind: 'row', id: items[next].id });
  }

  function openPicker(p: Picker) {
    if (!open) {
      announce(t('moderation.console.noItem'));
      return;
    }
    setPicker(p);
  }

  /** afterDecision says what was done and opens the next item of the list, or says the queue is done. */
  function afterDecision(id: number, done: string) {
    const at = items.findIndex((i) => i.id === id);
    const rest = items.filter((i) => i.id !== id);
    const next = at < 0 ? rest[0] : (rest[at] ?? rest[at - 1]);
    announce(next ? `${done} ${t('moderation.console.nextItem', { item: itemLabel(next) })}` : `${done} ${t('moderation.console.queueDone')}`);
    setSelected((s) => s.filter((x) => x !== id));
    openItem(next ? next.id : null, next ? { kind: 'row', id: next.id } : { kind: 'claim' });
  }

  const onDecide: Decider = async (outcome, extra = {}, fromForm = false) => {
    if (!open) {
      announce(t('moderation.console.noItem'));
      return;
    }
    if (deciding.current) return;
    deciding.current = true;
    setItemError(null);
    try {
      await decision.mutateAsync({ id: open.item.id, input: { outcome, version: open.item.version, ...extra } });
      afterDecision(open.item.id, t(`moderation.console.done.${outcome}`));
    } catch (err) {
      if (isStale(err)) {
        // Someone else decided or changed it: show what it is now.
        setPicker(null);
        setItemError(err);
        announce(errorText(t, err));
        focusNext.current = { kind: 'item' };
      } else if (fromForm) {
        throw err;
      } else {
        setItemError(err);
        announce(errorText(t, err));
      }
    } finally {
      deciding.current = false;
    }
  };

  function claimNext() {
    claim.mutate(filters, {
      onSuccess: (item) => {
        if (!item) {
          announce(t('moderation.console.nothingToClaim'));
          return;
        }
        announce(t('moderation.console.claimed', { item: itemLabel(item) }));
        openItem(item.id, { kind: 'item' });
      },
      onError: (err) => announce(errorText(t, err)),
    });
  }

  useConsoleKeys(
    {
      j: () => move(1),
      k: () => move(-1),
      a: () => void onDecide('approve'),
      r: () => openPicker('reject'),
      e: () => (open?.item.state === 'escalated' ? announce(t('moderation.console.alreadyEscalated')) : void onDecide('escalate')),
      '?': () => setHelpOpen(true),
    },
    helpOpen,
  );

  if (queue.error instanceof AppError && (queue.error.status === 403 || queue.error.status === 401)) {
    return <p className="notice-box">{t('moderation.console.forbidden')}</p>;
  }

  function setFilter(patch: Partial<QueueFilters>) {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected([]);
  }

  return (
    <>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${slug}/moderation/stats`}>{t('moderation.stats.link')}</Link>
        </li>
        {owner.allowed && (
          <li>
            <Link to={`/processes/${slug}/moderation/settings`}>{t('moderation.settings.link')}</Link>
          </li>
        )}
      </ul>
      <div className="console-toolbar">
        <button type="button" ref={claimButton} onClick={claimNext} disabled={claim.isPending} aria-busy={claim.isPending}>
          {t('moderation.console.claim')}
        </button>
        <button type="button" className="secondary" aria-keyshortcuts="?" aria-haspopup="dialog" onClick={() => setHelpOpen(true)}>
          {t('moderation.console.shortcuts')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="console-status">
        {announcement}
      </p>

      <div className="console-body">
        <QueuePane
          slug={slug}
          queue={queue}
          filters={filters}
          onFilter={setFilter}
          openId={openId}
          onOpen={(id) => openItem(id, null)}
          rowButtons={rowButtons}
          selected={selected}
          setSelected={setSelected}
          rules={rules}
          onBulkDone={(message, decided) => {
            announce(message);
            setSelected([]);
            if (openId != null && decided.includes(openId)) openItem(null, null);
          }}
        />

        <div className="item-pane">
          {openId == null ? (
            <p className="aside-hint">{t('moderation.console.pick')}</p>
          ) : open ? (
            <ItemView slug={slug} detail={open} rules={rules} picker={picker} setPicker={setPicker} error={itemError} busy={decision.isPending} headingRef={itemHeading} onDecide={onDecide} />
          ) : detail.isError ? (
            <ErrorMessage error={detail.error} />
          ) : (
            <Loading />
          )}
        </div>
      </div>

      {helpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
    </>
  );
}
