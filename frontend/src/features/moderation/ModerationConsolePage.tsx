import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError, type FieldError } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, errorText, Loading, useDocumentTitle } from '../../components/status';
import { claimNext, decide, decideBulk } from './actions';
import { ageText, reasonName } from './format';
import { ItemView, type Decider, type Picker } from './ItemView';
import { causes, itemLabel, moderationKeys, refreshQueue, rulesInOrder, useHouseRules, useModerationItem, useModerationQueue, type HouseRule, type ModerationCause, type ModerationItem, type ModerationQueue, type QueueFilters, type ReasonCode } from './queries';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, useSubmit } from '../../components/form';
import { useAccount } from '../../lib/useAccount';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { ProcessCrumb } from '../../components/ProcessCrumb';

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

/** isTyping says whether a key pressed on target would type into a field (so it is no shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

type Focus = { kind: 'row'; id: number } | { kind: 'item' } | { kind: 'claim' } | null;

function Console({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const account = useAccount();
  const owner = useCanManageProcess(slug, account);
  const [filters, setFilters] = useState<QueueFilters>({});
  const [olderText, setOlderText] = useState('');
  const queue = useModerationQueue(slug, filters);
  const houseRules = useHouseRules(slug);
  const rules = rulesInOrder(houseRules.data);
  const [openId, setOpenId] = useState<number | null>(null);
  const detail = useModerationItem(openId);
  const [selected, setSelected] = useState<number[]>([]);
  const [announcement, setAnnouncementText] = useState('');
  // The same words twice in a row are changed a little, so that screen readers say them again.
  const setAnnouncement = (text: string) => setAnnouncementText((prev) => (prev === text ? `${text}\u00a0` : text));
  const [helpOpen, setHelpOpen] = useState(false);
  const [picker, setPicker] = useState<Picker>(null);
  const [itemError, setItemError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [claiming, setClaiming] = useState(false);
  const rowButtons = useRef(new Map<number, HTMLButtonElement>());
  const itemHeading = useRef<HTMLHeadingElement>(null);
  const claimButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<Focus>(null);
  const deciding = useRef(false);
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = queue.data?.pages[0]?.counts;
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
      setAnnouncement(t('moderation.console.empty'));
      return;
    }
    const at = items.findIndex((i) => i.id === openId);
    const next = at < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + delta));
    if (items[next].id === openId) rowButtons.current.get(openId)?.focus();
    else openItem(items[next].id, { kind: 'row', id: items[next].id });
  }

  function openPicker(p: Picker) {
    if (!open) {
      setAnnouncement(t('moderation.console.noItem'));
      return;
    }
    setPicker(p);
  }

  /** afterDecision says what was done and opens the next item of the list, or says the queue is done. */
  function afterDecision(id: number, done: string) {
    const at = items.findIndex((i) => i.id === id);
    const rest = items.filter((i) => i.id !== id);
    const next = at < 0 ? rest[0] : (rest[at] ?? rest[at - 1]);
    setAnnouncement(next ? `${done} ${t('moderation.console.nextItem', { item: itemLabel(next) })}` : `${done} ${t('moderation.console.queueDone')}`);
    setSelected((s) => s.filter((x) => x !== id));
    // Out of the list at once; the refetch then tells what the queue holds now.
    client.setQueriesData<InfiniteData<ModerationQueue>>({ queryKey: moderationKeys.queues(slug) }, (old) =>
      old && { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== id) })) },
    );
    openItem(next ? next.id : null, next ? { kind: 'row', id: next.id } : { kind: 'claim' });
    void refreshQueue(client, slug);
  }

  const onDecide: Decider = async (outcome, extra = {}, fromForm = false) => {
    if (!open) {
      setAnnouncement(t('moderation.console.noItem'));
      return;
    }
    if (deciding.current) return;
    deciding.current = true;
    setBusy(true);
    setItemError(null);
    try {
      await decide(open.item.id, { outcome, version: open.item.version, ...extra });
      afterDecision(open.item.id, t(`moderation.console.done.${outcome}`));
    } catch (err) {
      if (err instanceof AppError && err.code === 'moderation.stale') {
        // Someone else decided or changed it: show what it is now.
        setPicker(null);
        setItemError(err);
        setAnnouncement(errorText(t, err));
        focusNext.current = { kind: 'item' };
        void refreshQueue(client, slug);
      } else if (fromForm) {
        throw err;
      } else {
        setItemError(err);
        setAnnouncement(errorText(t, err));
      }
    } finally {
      deciding.current = false;
      setBusy(false);
    }
  };

  async function claim() {
    setClaiming(true);
    try {
      const item = await claimNext(slug, filters);
      if (!item) {
        setAnnouncement(t('moderation.console.nothingToClaim'));
        return;
      }
      setAnnouncement(t('moderation.console.claimed', { item: itemLabel(item) }));
      await client.invalidateQueries({ queryKey: moderationKeys.item(item.id) });
      openItem(item.id, { kind: 'item' });
      void client.invalidateQueries({ queryKey: moderationKeys.queues(slug) });
    } catch (err) {
      setAnnouncement(errorText(t, err));
    } finally {
      setClaiming(false);
    }
  }

  // The shortcuts, read through a ref so the one listener always sees this render's state.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || helpOpen) return;
    if (isTyping(e.target) || (e.target instanceof Element && e.target.closest('[data-shortcuts="off"], [role="dialog"]'))) return;
    const actions: Record<string, () => void> = {
      j: () => move(1),
      k: () => move(-1),
      a: () => void onDecide('approve'),
      r: () => openPicker('reject'),
      e: () => (open?.item.state === 'escalated' ? setAnnouncement(t('moderation.console.alreadyEscalated')) : void onDecide('escalate')),
      '?': () => setHelpOpen(true),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  if (queue.error instanceof AppError && (queue.error.status === 403 || queue.error.status === 401)) {
    return <p className="notice-box">{t('moderation.console.forbidden')}</p>;
  }

  function setFilter(patch: Partial<QueueFilters>) {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected([]);
  }

  const selectedItems = items.filter((i) => selected.includes(i.id));
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
        <button type="button" ref={claimButton} onClick={() => void claim()} disabled={claiming} aria-busy={claiming}>
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
        <section className="queue" aria-labelledby="queue-heading" aria-busy={queue.isFetching}>
          <h2 id="queue-heading">{t('moderation.queue.title')}</h2>
          <div className="idea-filters" role="group" aria-label={t('moderation.queue.filters')}>
            <QueueSelect
              label={t('moderation.queue.cause')}
              value={filters.cause ?? ''}
              options={[
                { value: '', label: t('moderation.queue.allCauses', { count: counts?.total ?? 0 }) },
                ...causes.map((c) => ({ value: c, label: t('moderation.queue.causeCount', { cause: t(`moderation.cause.${c}`), count: counts?.[c] ?? 0 }) })),
              ]}
              onChange={(v) => setFilter({ cause: (v || undefined) as ModerationCause | undefined })}
            />
            <QueueSelect
              label={t('moderation.queue.target')}
              value={filters.target ?? ''}
              options={[
                { value: '', label: t('moderation.queue.allTargets') },
                { value: 'comment', label: t('moderation.queue.comments') },
                { value: 'idea', label: t('moderation.queue.ideas') },
              ]}
              onChange={(v) => setFilter({ target: (v || undefined) as QueueFilters['target'] })}
            />
            <OlderThan
              value={olderText}
              onChange={(v) => {
                setOlderText(v);
                const n = v.trim() === '' ? undefined : Number(v);
                if (n === undefined || (Number.isInteger(n) && n >= 0)) setFilter({ olderThanHours: n });
              }}
            />
          </div>
          {queue.isPending && <Loading />}
          {queue.isError && <ErrorMessage error={queue.error} />}
          {queue.isSuccess && items.length === 0 && <p>{t('moderation.console.empty')}</p>}
          {items.length > 0 && (
            <ol className="queue-list">
              {items.map((it) => (
                <QueueRow
                  key={it.id}
                  item={it}
                  open={it.id === openId}
                  checked={selected.includes(it.id)}
                  onCheck={(on) => setSelected((s) => (on ? [...s, it.id] : s.filter((x) => x !== it.id)))}
                  onOpen={() => openItem(it.id, null)}
                  buttonRef={(el) => {
                    if (el) rowButtons.current.set(it.id, el);
                    else rowButtons.current.delete(it.id);
                  }}
                />
              ))}
            </ol>
          )}
          {queue.hasNextPage && (
            <button type="button" className="secondary" onClick={() => void queue.fetchNextPage()} disabled={queue.isFetchingNextPage}>
              {t('moderation.queue.loadMore')}
            </button>
          )}
          {selectedItems.length > 0 && (
            <BulkForm
              slug={slug}
              items={selectedItems}
              rules={rules}
              onDone={(message) => {
                setAnnouncement(message);
                setSelected([]);
                if (openId != null && selectedItems.some((i) => i.id === openId)) openItem(null, null);
                void refreshQueue(client, slug);
              }}
            />
          )}
        </section>

        <div className="item-pane">
          {openId == null ? (
            <p className="aside-hint">{t('moderation.console.pick')}</p>
          ) : open ? (
            <ItemView slug={slug} detail={open} rules={rules} picker={picker} setPicker={setPicker} error={itemError} busy={busy} headingRef={itemHeading} onDecide={onDecide} />
          ) : detail.isError ? (
            <ErrorMessage error={detail.error} />
          ) : (
            <Loading />
          )}
        </div>
      </div>

      {helpOpen && (
        <Dialog
          title={t('moderation.help.title')}
          onClose={() => setHelpOpen(false)}
          footer={
            <button type="button" onClick={() => setHelpOpen(false)}>
              {t('moderation.help.close')}
            </button>
          }
        >
          <p>{t('moderation.help.intro')}</p>
          <table className="shortcut-table">
            <thead>
              <tr>
                <th scope="col">{t('moderation.help.key')}</th>
                <th scope="col">{t('moderation.help.action')}</th>
              </tr>
            </thead>
            <tbody>
              {(['j', 'k', 'a', 'r', 'e', '?'] as const).map((k) => (
                <tr key={k}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{t(`moderation.help.keys.${k === '?' ? 'help' : k}`)}</td>
                </tr>
              ))}
              <tr>
                <td>
                  <kbd>Enter</kbd>
                </td>
                <td>{t('moderation.help.keys.enter')}</td>
              </tr>
              <tr>
                <td>
                  <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
                </td>
                <td>{t('moderation.help.keys.ctrlEnter')}</td>
              </tr>
              <tr>
                <td>
                  <kbd>Escape</kbd>
                </td>
                <td>{t('moderation.help.keys.escape')}</td>
              </tr>
            </tbody>
          </table>
        </Dialog>
      )}
    </>
  );
}

function QueueSelect({ label, value, options, onChange }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function OlderThan({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{t('moderation.queue.olderThan')}</label>
      <input id={id} type="number" min={0} max={8760} inputMode="numeric" className="hours-input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** QueueRow is one item of the queue: a check box for bulk decisions and a button that opens it. */
function QueueRow(props: { item: ModerationItem; open: boolean; checked: boolean; onCheck: (on: boolean) => void; onOpen: () => void; buttonRef: (el: HTMLButtonElement | null) => void }) {
  const { t } = useTranslation();
  const it = props.item;
  const label = itemLabel(it);
  const id = useId();
  return (
    <li className={`queue-row${props.open ? ' queue-row-open' : ''}`}>
      <input type="checkbox" id={id} checked={props.checked} onChange={(e) => props.onCheck(e.target.checked)} aria-label={t('moderation.queue.select', { item: label })} />
      <div className="queue-row-main">
        <button type="button" className="queue-open" ref={props.buttonRef} aria-current={props.open ? 'true' : undefined} onClick={props.onOpen}>
          <span className="visually-hidden">{t('moderation.queue.kindLabel', { kind: t(`moderation.kind.${it.target.type}`) })}</span> {label}
        </button>
        <p className="queue-meta">
          <span aria-hidden="true">{t(`moderation.kind.${it.target.type}`)} · </span>
          {t(`moderation.cause.${it.cause}`)} · {ageText(t, it.created_at)} · {t('moderation.queue.flags', { count: it.flags })}
          {it.claimed_by_me ? ` · ${t('moderation.queue.claimedByMe')}` : it.lease_until && Date.parse(it.lease_until) > Date.now() ? ` · ${t('moderation.queue.claimedByOther')}` : ''}
          {it.campaign && (
            <>
              {' '}
              <span className="tag-campaign">{t('moderation.queue.campaign')}</span>
            </>
          )}
        </p>
      </div>
    </li>
  );
}

/** BulkForm approves or rejects the selected items with one reason, and says how many were decided and how many had changed. */
function BulkForm({ slug, items, rules, onDone }: { slug: string; items: ModerationItem[]; rules: HouseRule[]; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [explanation, setExplanation] = useState('');
  const form = useSubmit(async () => {
    if (outcome === 'reject') {
      const fields: FieldError[] = [];
      if (reason === '') fields.push({ field: 'reason', code: 'choose', message: '' });
      if (explanation.trim() === '') fields.push({ field: 'explanation', code: 'required', message: '' });
      if (fields.length > 0) throw new AppError('moderation.invalid', 422, fields);
    }
    const res = await decideBulk(slug, {
      items: items.map((i) => ({ id: i.id, version: i.version })),
      outcome,
      // The route takes a reason with every bulk decision; an approval has none of its own.
      reason: outcome === 'reject' ? (reason as ReasonCode) : 'other',
      explanation: explanation.trim() || undefined,
    });
    const decided = res.results.filter((r) => r.result === 'decided').length;
    const stale = res.results.filter((r) => r.result !== 'decided').length;
    onDone(`${t('moderation.bulk.decided', { count: decided })} ${t('moderation.bulk.stale', { count: stale })}`);
  });
  return (
    <form className="bulk-form" data-shortcuts="off" aria-labelledby="bulk-heading" onSubmit={form.onSubmit} noValidate>
      <h3 id="bulk-heading">{t('moderation.bulk.title', { count: items.length })}</h3>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <SelectField
        name="outcome"
        label={t('moderation.bulk.outcome')}
        value={outcome}
        options={[
          { value: 'approve', label: t('moderation.bulk.approve') },
          { value: 'reject', label: t('moderation.bulk.reject') },
        ]}
        onChange={(v) => setOutcome(v as 'approve' | 'reject')}
      />
      {outcome === 'reject' && (
        <>
          <SelectField
            name="reason"
            label={t('moderation.reject.reason')}
            value={reason}
            options={[{ value: '', label: t('moderation.bulk.chooseReason') }, ...rules.map((r) => ({ value: r.code, label: reasonName(t, r.code) }))]}
            onChange={setReason}
            hint={rules.find((r) => r.code === reason)?.description || undefined}
            error={form.fieldError('reason')}
          />
          <TextAreaField
            name="explanation"
            label={t('moderation.bulk.explanation')}
            hint={t('moderation.reject.explanationHint')}
            value={explanation}
            maxLength={2000}
            rows={3}
            onChange={setExplanation}
            error={form.fieldError('explanation')}
          />
        </>
      )}
      <SubmitButton pending={form.pending}>{t('moderation.bulk.apply', { count: items.length })}</SubmitButton>
    </form>
  );
}
