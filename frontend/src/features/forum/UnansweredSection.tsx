import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorMessage, Loading } from '../../components/status';
import { addClusterMembers, createCluster } from './actions';
import { contributionHref, refOf, rowKey } from './format';
import { refreshForum, useParagraphs, useUnanswered, type Cluster, type Contribution, type UnansweredFilters } from './queries';
import { paragraphLabel, type EditorCover } from './ResponseEditor';
import { ErrorSummary, Field, SelectField, SubmitButton, useSubmit } from '../../components/form';
import { useProcessDocuments, useIdeaSettings } from '../../lib/process';
import { excerpt } from '../../lib/format';

/** UnansweredSection lists the contributions waiting for a response; selected ones are grouped or answered. */
export function UnansweredSection(props: {
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
