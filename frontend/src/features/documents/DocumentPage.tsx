import { useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useMediaQuery } from '../../lib/useMediaQuery';
import { ThreadPages } from './CommentThread';
import { DocumentText } from './DocumentText';
import { phraseFromSelection, type PhraseResult, type Quote } from './offsets';
import { useDocument, useMyVotes, useOrphaned, useVersion, type Document } from './queries';
import { draftThreadContext, type DraftThreadContext } from './thread';
import { ThreadPanel, type PhraseChoice } from './ThreadPanel';
import { WrittenOn } from './WrittenOn';
import { FollowButton } from '../notifications/FollowButton';
import { langAttrs } from '../../lib/direction';

/** Wide enough to show the thread beside the text rather than under its paragraph. */
export const wideQuery = '(min-width: 64em)';

/** DocumentPage is the reading view of a draft: /documents/:id and /documents/:id/v/:number. */
export function DocumentPage() {
  const { id = '', number = 'latest' } = useParams();
  const { t } = useTranslation();
  const valid = /^[1-9]\d{0,17}$/.test(id) && /^([1-9]\d{0,5}|latest)$/.test(number);
  if (!valid) return <NotFound title={t('reader.notFoundTitle')} body={t('reader.notFoundBody')} />;
  return <Reader key={`${id}/${number}`} id={Number(id)} number={number} />;
}

function samePhrase(a: PhraseResult, b: PhraseResult) {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'phrase' && b.kind === 'phrase') return a.key === b.key && a.quote.start === b.quote.start && a.quote.end === b.quote.end;
  return true;
}

function Reader({ id, number }: { id: number; number: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const version = useVersion(id, number);
  const doc = useDocument(id);
  const account = useAccount();
  const votes = useMyVotes(id, account?.id);
  const wide = useMediaQuery(wideQuery);
  const notFound = version.error instanceof AppError && version.error.status === 404;
  useDocumentTitle(version.data?.title, notFound);

  const [openKey, setOpenKey] = useState<string | null>(null);
  const [focus, setFocus] = useState<'heading' | 'composer' | null>(null);
  const [phrase, setPhrase] = useState<PhraseChoice | null>(null);
  const [selection, setSelection] = useState<PhraseResult>({ kind: 'none' });
  const [message, setMessage] = useState('');

  const v = version.data;
  const interactive = v?.latest === true;
  const texts = useMemo(() => new Map((v?.blocks ?? []).map((b) => [b.key, b.text])), [v]);
  const openBlock = openKey ? v?.blocks.find((b) => b.key === openKey) : undefined;

  function setHash(key: string | null) {
    navigate({ hash: key ? `p-${key}` : '' }, { replace: true, preventScrollReset: true });
  }
  function open(key: string, how: 'heading' | 'composer' = 'heading') {
    if (key !== openKey) setPhrase(null);
    setOpenKey(key);
    setFocus(how);
    setHash(key);
  }
  function close() {
    const key = openKey;
    setOpenKey(null);
    setPhrase(null);
    setHash(null);
    // Back to the button that opened the thread.
    setTimeout(() => document.getElementById(`p-${key}`)?.querySelector<HTMLButtonElement>('.count-button')?.focus(), 0);
  }
  function takePhrase(key: string, quote: Quote) {
    setMessage('');
    setOpenKey(key);
    setPhrase({ key, quote, nonce: Date.now() });
    setFocus('composer');
    setHash(key);
  }
  function takeSelection() {
    const r = phraseFromSelection(document.getSelection(), texts);
    if (r.kind === 'phrase') takePhrase(r.key, r.quote);
    else setMessage(t(`reader.phrase.${r.kind}`));
  }
  const onShortcut = useEffectEvent(takeSelection);

  // Follow the selection, to offer "Comment on this phrase" beside its paragraph.
  const phrasing = interactive && v?.commenting === true;
  useEffect(() => {
    if (!phrasing) return;
    const onChange = () => {
      const r = phraseFromSelection(document.getSelection(), texts);
      setSelection((prev) => (samePhrase(prev, r) ? prev : r));
      if (r.kind === 'table') setMessage(t('reader.phrase.table'));
      else if (r.kind === 'phrase') setMessage('');
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [phrasing, texts, t]);

  // Alt+C takes the selected words, from the keyboard.
  useEffect(() => {
    if (!phrasing) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.code !== 'KeyC') return;
      const el = e.target as HTMLElement | null;
      if (el?.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      onShortcut();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [phrasing]);

  // A link to #p-<key> opens its paragraph's thread and scrolls to it, once the version is here.
  const hashMatch = /^#p-([a-z0-9-]{1,40})$/.exec(location.hash);
  const hashKey = hashMatch && texts.has(hashMatch[1]) ? hashMatch[1] : null;
  const [hashRead, setHashRead] = useState(false);
  if (v && !hashRead) {
    setHashRead(true);
    if (hashKey && v.latest) setOpenKey(hashKey);
  }
  // A link to #orphaned (from a person's list of their comments) leads to the
  // comments on text that changed, once the version says there are some.
  const hashOrphaned = location.hash === '#orphaned';
  const hashScrolled = useRef(false);
  useEffect(() => {
    if (!v || hashScrolled.current) return;
    hashScrolled.current = true;
    if (hashKey) document.getElementById(`p-${hashKey}`)?.scrollIntoView?.({ block: 'start' });
    else if (hashOrphaned) {
      const section = document.getElementById('orphaned');
      section?.scrollIntoView?.({ block: 'start' });
      section?.focus({ preventScroll: true });
    }
  }, [v, hashKey, hashOrphaned]);

  // On a wide screen the open thread sits beside its paragraph: the side
  // column starts level with the paragraph (and stays in view while reading).
  const bodyRef = useRef<HTMLDivElement>(null);
  const asideRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const place = () => {
      const body = bodyRef.current;
      const aside = asideRef.current;
      const para = openKey ? document.getElementById(`p-${openKey}`) : null;
      if (!body || !aside) return;
      aside.style.marginTop = para ? `${Math.max(0, para.getBoundingClientRect().top - body.getBoundingClientRect().top)}px` : '0px';
    };
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [openKey, wide, v]);

  if (version.isPending) return <Loading />;
  if (notFound) {
    const code = version.error instanceof AppError ? version.error.code : '';
    return <NotFound title={t('reader.notFoundTitle')} body={code === 'document.no_published_version' ? t('reader.unpublished') : t('reader.notFoundBody')} />;
  }
  if (version.isError || !v) return <ErrorMessage error={version.error} />;

  const ctx = draftThreadContext(id, v.number, account, votes.data, v.commenting, doc.data?.process_slug);
  const panel = (key: string) => {
    const block = v.blocks.find((b) => b.key === key);
    if (!block) return null;
    return <ThreadPanel key={key} block={block} ctx={ctx} phrase={phrase} focus={focus} onClose={close} onQuoteUsed={() => setPhrase(null)} />;
  };

  return (
    <div className="reader">
      {doc.data && <BackToProcess slug={doc.data.process_slug} />}
      <h1 {...langAttrs(v.language)}>{v.title}</h1>
      <p className="version-meta">
        {v.published_at
          ? t('reader.versionPublished', { number: v.number, date: formatDate(v.published_at, i18n.language) })
          : t('reader.versionDraft', { number: v.number })}
        {v.latest && <span className="badge">{t('reader.latest')}</span>}
      </p>
      {v.note && <p className="version-note">{v.note}</p>}
      {v.published_at && <FollowButton subject={{ kind: 'document', id: Number(id) }} />}
      {!v.latest && (
        <p className="notice-box">
          {t('reader.older')} <Link to={`/documents/${id}`}>{t('reader.readLatest')}</Link>
        </p>
      )}
      <div className="reader-tools">
        {doc.data && <VersionSwitcher doc={doc.data} current={v.number} />}
        {doc.data && <CompareLink doc={doc.data} current={v.number} />}
        {phrasing && (
          <span className="phrase-tool">
            <button type="button" className="secondary" aria-keyshortcuts="Alt+C" onMouseDown={(e) => e.preventDefault()} onClick={takeSelection}>
              {t('reader.commentOnSelection')}
            </button>{' '}
            <span className="hint">{t('reader.shortcut')}</span>
          </span>
        )}
        {interactive && v.orphaned_count > 0 && <a href="#orphaned">{t('reader.orphanedLink', { count: v.orphaned_count })}</a>}
      </div>
      <p role="status" className="phrase-message">
        {message}
      </p>
      {interactive && !v.commenting && <p className="notice-box">{t('reader.closed')}</p>}
      {interactive && <p className="reader-help">{t('reader.help')}</p>}
      <div ref={bodyRef} className={`reader-body${wide && interactive ? ' with-aside' : ''}`}>
        <div className="reader-text" {...langAttrs(v.language)}>
          <DocumentText
            version={v}
            interactive={interactive}
            openKey={openKey}
            selection={selection}
            onToggle={(key) => (key === openKey ? close() : open(key))}
            onOpen={(key) => key !== openKey && open(key)}
            onTakePhrase={takePhrase}
            inlinePanel={(key) => (!wide && key === openKey ? panel(key) : null)}
          />
        </div>
        {wide && interactive && (
          <div ref={asideRef} className="thread-aside">
            {openBlock ? panel(openBlock.key) : <p className="aside-hint">{t('reader.asideHint')}</p>}
          </div>
        )}
      </div>
      {interactive && v.orphaned_count > 0 && <OrphanedComments ctx={ctx} />}
      <OpenData id={id} />
    </div>
  );
}

/** OpenData offers the draft's published comments as open data: W3C Web Annotations, or a spreadsheet. */
function OpenData({ id }: { id: number }) {
  const { t } = useTranslation();
  const annotations = `/api/v1/documents/${id}/annotations`;
  return (
    <section className="open-data" aria-labelledby="open-data-heading">
      <h2 id="open-data-heading">{t('reader.openData')}</h2>
      <ul className="idea-links">
        <li>
          <a href={annotations} download={`document-${id}-comments.jsonld`} type="application/ld+json">
            {t('reader.annotations')}
          </a>
        </li>
        <li>
          <a href={`${annotations}?format=csv`} download type="text/csv">
            {t('reader.annotationsCSV')}
          </a>
        </li>
      </ul>
    </section>
  );
}

function BackToProcess({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const process = useProcess(slug, slug !== '');
  return (
    <p className="breadcrumb">
      <Link to={`/processes/${slug}`}>{process.data ? process.data.title : t('reader.backToProcess')}</Link>
    </p>
  );
}

function published(doc: Document) {
  return doc.versions.filter((x) => x.published_at != null).sort((a, b) => b.number - a.number);
}

/** VersionSwitcher chooses another published version to read. */
function VersionSwitcher({ doc, current }: { doc: Document; current: number }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const versions = published(doc);
  const [choice, setChoice] = useState(String(current));
  if (versions.length < 2) return null;
  function go(e: FormEvent) {
    e.preventDefault();
    navigate(Number(choice) === doc.latest_number ? `/documents/${doc.id}` : `/documents/${doc.id}/v/${choice}`);
  }
  return (
    <form className="version-switcher" onSubmit={go}>
      <label htmlFor="version-choice">{t('reader.version')}</label>{' '}
      <select id="version-choice" value={choice} onChange={(e) => setChoice(e.target.value)}>
        {versions.map((x) => (
          <option key={x.number} value={x.number}>
            {t('reader.versionOption', { number: x.number, date: formatDate(x.published_at!, i18n.language) })}
            {x.number === doc.latest_number ? ` (${t('reader.latest')})` : ''}
          </option>
        ))}
      </select>{' '}
      <button type="submit" className="secondary">
        {t('reader.showVersion')}
      </button>
    </form>
  );
}

/** CompareLink leads to what changed between this version and its neighbour. */
function CompareLink({ doc, current }: { doc: Document; current: number }) {
  const { t } = useTranslation();
  const numbers = published(doc)
    .map((x) => x.number)
    .sort((a, b) => a - b);
  if (numbers.length < 2) return null;
  const i = numbers.indexOf(current);
  const [from, to] = i > 0 ? [numbers[i - 1], current] : [numbers[0], numbers[1]];
  return <Link to={`/documents/${doc.id}/diff?from=${from}&to=${to}`}>{t('reader.compare', { from, to })}</Link>;
}

/** OrphanedComments lists the comments on text that changed too much to follow into this version. */
function OrphanedComments({ ctx }: { ctx: DraftThreadContext }) {
  const { t } = useTranslation();
  const q = useOrphaned(ctx.documentId, true);
  return (
    <section id="orphaned" className="orphaned" aria-labelledby="orphaned-heading" aria-busy={q.isFetching} tabIndex={-1}>
      <h2 id="orphaned-heading">{t('orphaned.title')}</h2>
      <p>{t('orphaned.intro')}</p>
      <ThreadPages
        pages={q}
        ctx={ctx}
        emptyText={t('orphaned.empty')}
        loadMoreLabel={t('orphaned.loadMore')}
        extra={(c) => (c.parent_id == null ? <WrittenOn comment={c} label={t('orphaned.writtenOn', { number: c.version })} /> : null)}
      />
    </section>
  );
}
