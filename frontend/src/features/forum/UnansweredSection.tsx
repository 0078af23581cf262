import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { FilterSelect } from '../../components/filters';
import { ErrorSummary, Field, SelectField, SubmitButton } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { QueryState } from '../../components/status';
import { excerpt } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcessDocuments, useIdeaSettings } from '../../lib/process';
import { contributionHref, refOf, rowKey } from './format';
import { useAddClusterMembers, useCreateCluster } from './mutations';
import { useParagraphs, useUnanswered, type Cluster, type Contribution, type UnansweredFilters } from './queries';
import { paragraphLabel, type EditorCover } from './responseFields';

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
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  // A new filter starts a new selection.
  const filterKey = JSON.stringify(filters);
  const [selectionFor, setSelectionFor] = useState(filterKey);
  if (filterKey !== selectionFor) {
    setSelectionFor(filterKey);
    setSelected(new Map());
    setAction(null);
  }

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
      <QueryState query={list} empty={items.length === 0 && t('forum.work.noUnanswered')} />
      {items.length > 0 && (
        <ol className="contribution-list" ref={listRef}>
          {items.map((c) => (
            <ContributionRow key={rowKey(c)} c={c} slug={slug} checked={selected.has(rowKey(c))} selectable={canWrite} clusters={clusters} onCheck={(on) => toggle(c, on)} />
          ))}
        </ol>
      )}
      {/* After "Load more", the keyboard continues at the first new contribution. */}
      <LoadMore pages={list} label={t('forum.work.loadMore')} count={items.length} listRef={listRef} focusSelector='input[type="checkbox"]' />

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
  const [title, setTitle] = useState(excerpt(members[0]?.excerpt ?? '', 80));
  const box = useRef<HTMLDivElement>(null);
  const create = useCreateCluster(slug);
  useEffect(() => box.current?.querySelector('input')?.focus(), []);
  const send = () => create.mutate({ title, origin: 'manual', members: members.map(refOf) }, { onSuccess: onDone });
  return (
    <form className="inline-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={create.error} />
      <div ref={box}>
        <Field name="title" label={t('forum.work.clusterTitle')} value={title} maxLength={200} onChange={setTitle} error={fieldError(create.error, 'title')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={create.isPending}>{t('forum.work.createCluster', { count: members.length })}</SubmitButton>
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
  const [choice, setChoice] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const add = useAddClusterMembers(slug);
  useEffect(() => box.current?.querySelector('select')?.focus(), []);
  const send = () => add.mutate({ clusterId: choice === '' ? null : Number(choice), members: members.map(refOf) }, { onSuccess: onDone });
  return (
    <form className="inline-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={add.error} />
      <div ref={box}>
        <SelectField
          name="cluster"
          label={t('forum.work.chooseCluster')}
          value={choice}
          options={[{ value: '', label: t('forum.work.chooseClusterOption') }, ...clusters.map((c) => ({ value: String(c.id), label: t('forum.work.clusterOption', { title: c.title, count: c.size }) }))]}
          onChange={setChoice}
          error={fieldError(add.error, 'cluster')}
        />
      </div>
      <div className="form-actions">
        <SubmitButton pending={add.isPending}>{t('forum.work.addMembers', { count: members.length })}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('forum.cancel')}
        </button>
      </div>
    </form>
  );
}
