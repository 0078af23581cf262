import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, errorText, Loading, useDocumentTitle } from '../../components/status';
import { ErrorSummary, Field, SelectField, SubmitButton, useSubmit } from '../account/Form';
import { useAccount } from '../account/useSession';
import { useProcessDocuments } from '../documents/queries';
import { ProcessCrumb } from '../ideas/IdeasPage';
import { useIdeaSettings } from '../ideas/queries';
import { excerpt } from '../moderation/queries';
import { useProcess } from '../processes/queries';
import { addClusterMembers, createCluster, dismissSuggestion } from './actions';
import { CoverageSection } from './CoveragePage';
import { contributionHref, missingText, plainExcerpt } from './format';
import { ForumLinks } from './ForumPage';
import {
  refreshForum,
  useClusters,
  useClusterSuggestions,
  useCoverage,
  useDraftResponses,
  useForum,
  useParagraphs,
  useUnanswered,
  type Cluster,
  type ClusterSuggestion,
  type Contribution,
  type ContributionRef,
  type Forum,
  type ForumResponse,
  type UnansweredFilters,
} from './queries';
import { paragraphLabel, ResponseEditor, type EditorCover } from './ResponseEditor';
import { DispositionTag } from './ResponseParts';

const idPattern = /^[1-9]\d{0,17}$/;

/** parseUnansweredFilters reads the unanswered list's filters from the workspace's address. */
export function parseUnansweredFilters(params: URLSearchParams): UnansweredFilters {
  const num = (k: string) => {
    const v = params.get(k) ?? '';
    return idPattern.test(v) ? Number(v) : undefined;
  };
  const kind = params.get('kind');
  const key = (params.get('paragraph') ?? '').trim();
  const documentId = num('document');
  return {
    kind: kind === 'comment' || kind === 'idea' ? kind : undefined,
    documentId,
    paragraphKey: documentId !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(key) ? key : undefined,
    themeId: num('theme'),
    clusterId: num('cluster'),
  };
}

const refOf = (c: Contribution): ContributionRef => ({ kind: c.kind, id: c.id });
const rowKey = (c: { kind: string; id: number }) => `${c.kind}:${c.id}`;

/** ForumWorkspacePage is where the forum answers contributions: /processes/:slug/forum/workspace. */
export function ForumWorkspacePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const forum = useForum(slug, account);
  const notFound = (forum.error instanceof AppError && forum.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('forum.work.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname + location.search }}>
          {t('forum.work.signIn')}
        </Link>
      </p>
    );
  } else if (forum.isPending) {
    content = <Loading />;
  } else if (forum.isError) {
    content = <ErrorMessage error={forum.error} />;
  } else if (!forum.data.viewer.member && !forum.data.viewer.manage) {
    content = <p className="notice-box">{t('forum.work.forbidden')}</p>;
  } else {
    content = <Workspace slug={slug} forum={forum.data} />;
  }
  return (
    <div className="forum-workspace">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forum.work.title')}</h1>
      <ForumLinks slug={slug} forum={forum.data} current="workspace" />
      {content}
    </div>
  );
}

function Workspace({ slug, forum }: { slug: string; forum: Forum }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = parseUnansweredFilters(params);
  const draftParam = params.get('draft') ?? '';
  const draftId = idPattern.test(draftParam) ? Number(draftParam) : undefined;
  const [newCovers, setNewCovers] = useState<EditorCover[] | null>(null);
  // Each opening of the editor is a new session (a new component); saving a new draft is not.
  const [session, setSession] = useState(0);
  const [announcement, setAnnouncementText] = useState('');
  const announce = (text: string) => setAnnouncementText((prev) => (prev === text ? `${text}\u00a0` : text));
  const editorHeading = useRef<HTMLHeadingElement>(null);
  const focusEditor = useRef(false);
  const [focusCluster, setFocusCluster] = useState<number | null>(null);
  const clusters = useClusters(slug);
  const canWrite = forum.viewer.member;

  useEffect(() => {
    if (focusEditor.current && editorHeading.current) {
      focusEditor.current = false;
      editorHeading.current.focus();
    }
  });

  function update(patch: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  function respond(covers: EditorCover[]) {
    setNewCovers(covers);
    setSession((s) => s + 1);
    focusEditor.current = true;
    update({ draft: undefined });
  }
  function openDraft(id: number) {
    setNewCovers(null);
    setSession((s) => s + 1);
    focusEditor.current = true;
    update({ draft: String(id) });
  }
  function closeEditor() {
    setNewCovers(null);
    update({ draft: undefined });
    setTimeout(() => document.getElementById('work-drafts')?.focus(), 0);
  }

  const editing = draftId !== undefined || newCovers !== null;
  return (
    <>
      <nav aria-label={t('forum.work.sections')}>
        <ul className="idea-links">
          {editing && (
            <li>
              <a href="#work-editor">{t('forum.editor.jump')}</a>
            </li>
          )}
          <li>
            <a href="#work-unanswered">{t('forum.work.unanswered')}</a>
          </li>
          <li>
            <a href="#work-suggestions">{t('forum.work.suggestions')}</a>
          </li>
          <li>
            <a href="#work-clusters">{t('forum.work.clusters')}</a>
          </li>
          <li>
            <a href="#work-drafts">{t('forum.work.drafts')}</a>
          </li>
          <li>
            <a href="#work-coverage">{t('forum.work.coverage')}</a>
          </li>
        </ul>
      </nav>
      {!canWrite && <p className="notice-box">{t('forum.work.readOnly')}</p>}
      <p role="status" aria-live="polite" className="console-status">
        {announcement}
      </p>

      {editing && (
        <div id="work-editor">
          <ResponseEditor
            key={session}
            slug={slug}
            forum={forum}
            draftId={draftId}
            covers={newCovers ?? undefined}
            headingRef={editorHeading}
            announce={announce}
            onCreated={(id) => {
              setNewCovers(null);
              update({ draft: String(id) });
            }}
            onClose={closeEditor}
          />
        </div>
      )}

      <UnansweredSection
        slug={slug}
        filters={filters}
        update={update}
        canWrite={canWrite}
        clusters={clusters.data ?? []}
        announce={announce}
        onRespond={respond}
        onClustered={setFocusCluster}
      />
      <SuggestionsSection slug={slug} canWrite={canWrite} announce={announce} onClustered={setFocusCluster} />
      <ClustersSection clusters={clusters} canWrite={canWrite} focusId={focusCluster} onFocused={() => setFocusCluster(null)} onRespond={respond} />
      <DraftsSection slug={slug} onOpen={openDraft} />
      <WorkCoverage slug={slug} />
    </>
  );
}

/** UnansweredSection lists the contributions waiting for a response; selected ones are grouped or answered. */
function UnansweredSection(props: {
  slug: string;
  filters: UnansweredFilters;
  update: (patch: Record<string, string | undefined>) => void;
  canWrite: boolean;
  clusters: Cluster[];
  announce: (text: string) => void;
  onRespond: (covers: EditorCover[]) => void;
  onClustered: (id: number) => void;
}) {
  const { slug, filters, update, canWrite, clusters } = props;
  const { t } = useTranslation();
  const list = useUnanswered(slug, filters);
  const [selected, setSelected] = useState<Map<string, Contribution>>(new Map());
  const [action, setAction] = useState<'cluster' | 'add' | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const focusFrom = useRef<number | null>(null);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filterKey = JSON.stringify(filters);

  // A new filter starts a new selection.
  useEffect(() => {
    setSelected(new Map());
    setAction(null);
  }, [filterKey]);

  // After "Load more", the keyboard continues at the first new contribution.
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || items.length <= from) return;
    focusFrom.current = null;
    listRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')[from]?.focus();
  }, [items.length]);

  function toggle(c: Contribution, on: boolean) {
    setSelected((s) => {
      const next = new Map(s);
      if (on) next.set(rowKey(c), c);
      else next.delete(rowKey(c));
      return next;
    });
  }
  const chosen = Array.from(selected.values());

  function done(message: string, clusterId: number) {
    props.announce(message);
    setSelected(new Map());
    setAction(null);
    props.onClustered(clusterId);
  }

  return (
    <section aria-labelledby="work-unanswered" aria-busy={list.isFetching}>
      <h2 id="work-unanswered" tabIndex={-1}>
        {t('forum.work.unanswered')}
      </h2>
      <p>{t('forum.work.unansweredIntro')}</p>
      <UnansweredFilterBar slug={slug} filters={filters} update={update} clusters={clusters} />
      {list.isPending && <Loading />}
      {list.isError && <ErrorMessage error={list.error} />}
      {list.isSuccess && items.length === 0 && <p>{t('forum.work.noUnanswered')}</p>}
      {items.length > 0 && (
        <ol className="contribution-list" ref={listRef}>
          {items.map((c) => (
            <ContributionRow key={rowKey(c)} c={c} slug={slug} checked={selected.has(rowKey(c))} selectable={canWrite} clusters={clusters} onCheck={(on) => toggle(c, on)} />
          ))}
        </ol>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={list.isFetchingNextPage}
          aria-busy={list.isFetchingNextPage}
          onClick={() => {
            focusFrom.current = items.length;
            void list.fetchNextPage();
          }}
        >
          {t('forum.work.loadMore')}
        </button>
      )}

      {canWrite && chosen.length > 0 && (
        <div className="selection-bar" role="group" aria-label={t('forum.work.selectionActions')}>
          <p>{t('forum.work.selected', { count: chosen.length })}</p>
          <div className="form-actions">
            <button type="button" aria-expanded={action === 'cluster'} onClick={() => setAction(action === 'cluster' ? null : 'cluster')}>
              {t('forum.work.newCluster')}
            </button>
            {clusters.length > 0 && (
              <button type="button" className="secondary" aria-expanded={action === 'add'} onClick={() => setAction(action === 'add' ? null : 'add')}>
                {t('forum.work.addToCluster')}
              </button>
            )}
            <button type="button" className="secondary" onClick={() => props.onRespond(chosen.map((c) => ({ kind: c.kind, id: c.id, label: excerpt(c.excerpt, 120), count: 1 })))}>
              {t('forum.work.respondSelected')}
            </button>
            <button type="button" className="secondary" onClick={() => setSelected(new Map())}>
              {t('forum.work.clearSelection')}
            </button>
          </div>
          {action === 'cluster' && (
            <NewClusterForm
              slug={slug}
              members={chosen}
              onDone={(cluster) => done(t('forum.work.clusterCreated', { title: cluster.title, count: cluster.size }), cluster.id)}
              onCancel={() => setAction(null)}
            />
          )}
          {action === 'add' && (
            <AddToClusterForm
              slug={slug}
              members={chosen}
              clusters={clusters}
              onDone={(cluster) => done(t('forum.work.addedToCluster', { title: cluster.title, count: chosen.length }), cluster.id)}
              onCancel={() => setAction(null)}
            />
          )}
        </div>
      )}
    </section>
  );
}

function UnansweredFilterBar({ slug, filters, update, clusters }: { slug: string; filters: UnansweredFilters; update: (patch: Record<string, string | undefined>) => void; clusters: Cluster[] }) {
  const { t } = useTranslation();
  const docs = useProcessDocuments(slug);
  const settings = useIdeaSettings(slug);
  const paragraphs = useParagraphs(filters.documentId);
  const themes = settings.data?.themes ?? [];
  const published = (docs.data ?? []).filter((d) => d.latest_number != null);
  return (
    <div className="idea-filters" role="group" aria-label={t('forum.work.filters')}>
      <FilterSelect
        label={t('forum.work.kind')}
        value={filters.kind ?? ''}
        options={[
          { value: '', label: t('forum.work.allKinds') },
          { value: 'comment', label: t('forum.coverKindPlural.comment') },
          { value: 'idea', label: t('forum.coverKindPlural.idea') },
        ]}
        onChange={(v) => update({ kind: v })}
      />
      {published.length > 0 && (
        <FilterSelect
          label={t('forum.work.document')}
          value={filters.documentId !== undefined ? String(filters.documentId) : ''}
          options={[{ value: '', label: t('forum.work.allDocuments') }, ...published.map((d) => ({ value: String(d.id), label: d.title }))]}
          onChange={(v) => update({ document: v, paragraph: undefined })}
        />
      )}
      {filters.documentId !== undefined && (
        <FilterSelect
          label={t('forum.work.paragraph')}
          value={filters.paragraphKey ?? ''}
          busy={paragraphs.isFetching}
          options={[{ value: '', label: t('forum.work.allParagraphs') }, ...(paragraphs.data ?? []).map((b) => ({ value: b.key, label: paragraphLabel(b.text) }))]}
          onChange={(v) => update({ paragraph: v })}
        />
      )}
      {themes.length > 0 && (
        <FilterSelect
          label={t('forum.work.theme')}
          value={filters.themeId !== undefined ? String(filters.themeId) : ''}
          options={[{ value: '', label: t('forum.work.allThemes') }, ...themes.map((th) => ({ value: String(th.id), label: th.name }))]}
          onChange={(v) => update({ theme: v })}
        />
      )}
      {clusters.length > 0 && (
        <FilterSelect
          label={t('forum.work.cluster')}
          value={filters.clusterId !== undefined ? String(filters.clusterId) : ''}
          options={[{ value: '', label: t('forum.work.anyCluster') }, ...clusters.map((c) => ({ value: String(c.id), label: c.title }))]}
          onChange={(v) => update({ cluster: v })}
        />
      )}
    </div>
  );
}

function FilterSelect({ label, value, options, onChange, busy }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void; busy?: boolean }) {
  const id = useId();
  // The choice shows at once; the address (which the router updates in a transition) follows.
  const [shown, setShown] = useState(value);
  useEffect(() => setShown(value), [value]);
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={shown}
        aria-busy={busy || undefined}
        onChange={(e) => {
          setShown(e.target.value);
          onChange(e.target.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** ContributionRow is one unanswered contribution: a check box to select it, where it was written, how long it has waited. */
function ContributionRow({ c, slug, checked, selectable, clusters, onCheck }: { c: Contribution; slug: string; checked: boolean; selectable: boolean; clusters: Cluster[]; onCheck: (on: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const href = contributionHref(c, slug);
  const cluster = c.cluster_id != null ? clusters.find((x) => x.id === c.cluster_id) : undefined;
  const text = (
    <>
      <span className="status-tag">{t(`forum.coverKind.${c.kind}`)}</span> {c.excerpt}
    </>
  );
  return (
    <li className="contribution-row">
      {selectable ? (
        <div className="field-inline">
          <input type="checkbox" id={id} checked={checked} aria-describedby={`${id}-meta`} onChange={(e) => onCheck(e.target.checked)} />
          <label htmlFor={id}>{text}</label>
        </div>
      ) : (
        <p>{text}</p>
      )}
      <p className="queue-meta" id={`${id}-meta`}>
        {t('forum.work.by', { name: c.author })} · {t('forum.work.age', { count: c.age_days })}
        {c.cluster_id != null && ` · ${t('forum.work.inCluster', { title: cluster?.title ?? `#${c.cluster_id}` })}`}
        {href && (
          <>
            {' · '}
            <Link to={href} aria-label={t('forum.work.inContextNamed', { excerpt: excerpt(c.excerpt, 60) })}>
              {t('forum.work.inContext')}
            </Link>
          </>
        )}
      </p>
    </li>
  );
}

/** NewClusterForm asks the title of a new cluster of the selected contributions. */
function NewClusterForm({ slug, members, onDone, onCancel }: { slug: string; members: Contribution[]; onDone: (c: Cluster) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [title, setTitle] = useState(excerpt(members[0]?.excerpt ?? '', 80));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('input')?.focus(), []);
  const form = useSubmit(async () => {
    if (title.trim() === '') throw new AppError('forum.invalid', 422, [{ field: 'title', code: 'required', message: '' }]);
    const cluster = await createCluster(slug, { title: title.trim(), origin: 'manual', members: members.map(refOf) });
    await refreshForum(client, slug);
    onDone(cluster);
  });
  return (
    <form className="inline-form" onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <div ref={box}>
        <Field name="title" label={t('forum.work.clusterTitle')} value={title} maxLength={200} onChange={setTitle} error={form.fieldError('title')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('forum.work.createCluster', { count: members.length })}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('forum.cancel')}
        </button>
      </div>
    </form>
  );
}

/** AddToClusterForm adds the selected contributions to a cluster chosen from the list. */
function AddToClusterForm({ slug, members, clusters, onDone, onCancel }: { slug: string; members: Contribution[]; clusters: Cluster[]; onDone: (c: Cluster) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [choice, setChoice] = useState('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('select')?.focus(), []);
  const form = useSubmit(async () => {
    if (choice === '') throw new AppError('forum.invalid', 422, [{ field: 'cluster', code: 'choose', message: '' }]);
    const cluster = await addClusterMembers(Number(choice), members.map(refOf));
    await refreshForum(client, slug);
    onDone(cluster);
  });
  return (
    <form className="inline-form" onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <div ref={box}>
        <SelectField
          name="cluster"
          label={t('forum.work.chooseCluster')}
          value={choice}
          options={[{ value: '', label: t('forum.work.chooseClusterOption') }, ...clusters.map((c) => ({ value: String(c.id), label: t('forum.work.clusterOption', { title: c.title, count: c.size }) }))]}
          onChange={setChoice}
          error={form.fieldError('cluster')}
        />
      </div>
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('forum.work.addMembers', { count: members.length })}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('forum.cancel')}
        </button>
      </div>
    </form>
  );
}

/** SuggestionsSection lists the groups of near-duplicates the server found, to confirm as clusters or dismiss. */
function SuggestionsSection({ slug, canWrite, announce, onClustered }: { slug: string; canWrite: boolean; announce: (text: string) => void; onClustered: (id: number) => void }) {
  const { t } = useTranslation();
  const suggestions = useClusterSuggestions(slug);
  const heading = useRef<HTMLHeadingElement>(null);
  const items = suggestions.data ?? [];
  return (
    <section aria-labelledby="work-suggestions" aria-busy={suggestions.isFetching}>
      <h2 id="work-suggestions" tabIndex={-1} ref={heading}>
        {t('forum.work.suggestions')}
      </h2>
      <p>{t('forum.work.suggestionsIntro')}</p>
      {suggestions.isPending && <Loading />}
      {suggestions.isError && <ErrorMessage error={suggestions.error} />}
      {suggestions.isSuccess && items.length === 0 && <p>{t('forum.work.noSuggestions')}</p>}
      {items.length > 0 && (
        <ol className="suggestion-list">
          {items.map((s, i) => (
            <SuggestionCard
              key={s.members.map(rowKey).join(',')}
              n={i + 1}
              s={s}
              slug={slug}
              canWrite={canWrite}
              onConfirmed={(message, id) => {
                announce(message);
                onClustered(id);
              }}
              onDismissed={() => {
                announce(t('forum.work.dismissed'));
                setTimeout(() => heading.current?.focus(), 0);
              }}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function SuggestionCard({ n, s, slug, canWrite, onConfirmed, onDismissed }: {
  n: number;
  s: ClusterSuggestion;
  slug: string;
  canWrite: boolean;
  onConfirmed: (message: string, clusterId: number) => void;
  onDismissed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const headingId = useId();
  const [title, setTitle] = useState(excerpt(s.members[0]?.excerpt ?? '', 80));
  const [dismissing, setDismissing] = useState(false);
  const [dismissError, setDismissError] = useState<unknown>(null);
  const similarity = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(s.similarity);
  const refs = s.members.map(refOf);

  const form = useSubmit(async () => {
    if (s.cluster_id != null) {
      const cluster = await addClusterMembers(s.cluster_id, refs);
      await refreshForum(client, slug);
      onConfirmed(t('forum.work.addedToCluster', { title: cluster.title, count: refs.length }), cluster.id);
      return;
    }
    if (title.trim() === '') throw new AppError('forum.invalid', 422, [{ field: 'title', code: 'required', message: '' }]);
    const cluster = await createCluster(slug, { title: title.trim(), origin: 'suggested', members: refs });
    await refreshForum(client, slug);
    onConfirmed(t('forum.work.clusterCreated', { title: cluster.title, count: cluster.size }), cluster.id);
  });

  async function dismiss() {
    setDismissing(true);
    setDismissError(null);
    try {
      await dismissSuggestion(slug, refs);
      await refreshForum(client, slug);
      onDismissed();
    } catch (err) {
      setDismissError(err);
    } finally {
      setDismissing(false);
    }
  }

  return (
    <li className="suggestion-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>{t('forum.work.suggestionTitle', { n, count: s.size, similarity })}</h3>
        {s.cluster_id != null && <p className="notice-box">{t('forum.work.joinsCluster', { title: s.cluster_title ?? `#${s.cluster_id}` })}</p>}
        <ul className="excerpt-list">
          {s.members.map((m) => (
            <li key={rowKey(m)}>
              <span className="status-tag">{t(`forum.coverKind.${m.kind}`)}</span> {m.excerpt} <span className="muted">— {m.author}</span>
            </li>
          ))}
        </ul>
        {canWrite && (
          <form className="inline-form" onSubmit={form.onSubmit} noValidate>
            <ErrorSummary error={form.error} summaryRef={form.summary} />
            {s.cluster_id == null && <Field name="title" label={t('forum.work.clusterTitle')} value={title} maxLength={200} onChange={setTitle} error={form.fieldError('title')} />}
            <div className="form-actions">
              <SubmitButton pending={form.pending}>{s.cluster_id != null ? t('forum.work.confirmAdd', { title: s.cluster_title ?? `#${s.cluster_id}` }) : t('forum.work.confirm')}</SubmitButton>
              <button type="button" className="secondary" disabled={dismissing} aria-busy={dismissing} onClick={() => void dismiss()}>
                {t('forum.work.dismiss')}
              </button>
            </div>
            {dismissError != null && (
              <p role="alert" className="error">
                {errorText(t, dismissError)}
              </p>
            )}
          </form>
        )}
      </article>
    </li>
  );
}

/** ClustersSection lists the process's clusters, each with a way to respond to it. */
function ClustersSection({ clusters, canWrite, focusId, onFocused, onRespond }: {
  clusters: ReturnType<typeof useClusters>;
  canWrite: boolean;
  focusId: number | null;
  onFocused: () => void;
  onRespond: (covers: EditorCover[]) => void;
}) {
  const { t } = useTranslation();
  const list = useRef<HTMLOListElement>(null);
  const items = clusters.data ?? [];

  // A cluster just made or grown takes the focus, once it is listed.
  useEffect(() => {
    if (focusId === null) return;
    const el = list.current?.querySelector<HTMLElement>(`[data-cluster="${focusId}"]`);
    if (!el) return;
    el.focus();
    onFocused();
  });

  return (
    <section aria-labelledby="work-clusters" aria-busy={clusters.isFetching}>
      <h2 id="work-clusters" tabIndex={-1}>
        {t('forum.work.clusters')}
      </h2>
      {clusters.isPending && <Loading />}
      {clusters.isError && <ErrorMessage error={clusters.error} />}
      {clusters.isSuccess && items.length === 0 && <p>{t('forum.work.noClusters')}</p>}
      {items.length > 0 && (
        <ol className="cluster-list" ref={list}>
          {items.map((c) => (
            <li key={c.id} className="cluster-card">
              <h3>
                <Link to={`/clusters/${c.id}`} data-cluster={c.id}>
                  {c.title}
                </Link>
              </h3>
              <p className="queue-meta">
                {t('forum.cluster.size', { count: c.size })} · {t(`forum.cluster.origin.${c.origin}`)}
                {c.response_id != null && (
                  <>
                    {' · '}
                    <Link to={`/responses/${c.response_id}`}>{t('forum.work.answeredLink')}</Link>
                  </>
                )}
              </p>
              {c.representative && <p className="preserve">{excerpt(c.representative.excerpt, 200)}</p>}
              {canWrite && (
                <button
                  type="button"
                  className="secondary"
                  aria-label={t('forum.work.respondClusterNamed', { title: c.title })}
                  onClick={() => onRespond([{ kind: 'cluster', id: c.id, label: c.title, count: c.size }])}
                >
                  {t('forum.work.respondCluster')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** DraftsSection lists the forum's drafts with the signatures they still need. */
function DraftsSection({ slug, onOpen }: { slug: string; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const drafts = useDraftResponses(slug);
  const items = drafts.data ?? [];
  return (
    <section aria-labelledby="work-drafts" aria-busy={drafts.isFetching}>
      <h2 id="work-drafts" tabIndex={-1}>
        {t('forum.work.drafts')}
      </h2>
      {drafts.isPending && <Loading />}
      {drafts.isError && <ErrorMessage error={drafts.error} />}
      {drafts.isSuccess && items.length === 0 && <p>{t('forum.work.noDrafts')}</p>}
      {items.length > 0 && (
        <ol className="draft-cards">
          {items.map((r) => (
            <DraftCard key={r.id} r={r} onOpen={() => onOpen(r.id)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function DraftCard({ r, onOpen }: { r: ForumResponse; onOpen: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const missing = missingText(t, r);
  const signed = r.signatures.filter((s) => s.kind === 'sign').length;
  const dissents = r.signatures.length - signed;
  return (
    <li className="draft-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <Link to={`/responses/${r.id}`}>{t('forum.editor.draftTitle', { id: r.id })}</Link> <DispositionTag disposition={r.disposition} />
        </h3>
        {r.supersedes != null && <p className="notice-box">{t('forum.editor.corrects', { id: r.supersedes })}</p>}
        <p>{plainExcerpt(r.reasoning, 160)}</p>
        <p className="queue-meta">
          {t('forum.response.contributions', { count: r.answered })} · {t('forum.work.signatures', { count: signed })}
          {dissents > 0 && ` · ${t('forum.work.dissentCount', { count: dissents })}`}
        </p>
        {missing.length > 0 && <p>{missing.join(' ')}</p>}
        <button type="button" className="secondary" onClick={onOpen} aria-label={t('forum.work.openDraftNamed', { title: t('forum.editor.draftTitle', { id: r.id }) })}>
          {t('forum.work.openDraft')}
        </button>
      </article>
    </li>
  );
}

function WorkCoverage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const coverage = useCoverage(slug);
  return (
    <section aria-labelledby="work-coverage">
      <h2 id="work-coverage" tabIndex={-1}>
        {t('forum.work.coverage')}
      </h2>
      <CoverageSection slug={slug} level={3} coverage={coverage} />
    </section>
  );
}
