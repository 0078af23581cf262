import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorSummary, Field, SubmitButton } from '../../components/form';
import { errorText, QueryState } from '../../components/status';
import { excerpt } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { refOf, rowKey } from './format';
import { useAddClusterMembers, useCreateCluster, useDismissSuggestion } from './mutations';
import { useClusters, useClusterSuggestions, type ClusterSuggestion } from './queries';
import type { EditorCover } from './responseFields';

/** SuggestionsSection lists the groups of near-duplicates the server found, to confirm as clusters or dismiss. */
export function SuggestionsSection({ slug, canWrite, announce, onClustered }: { slug: string; canWrite: boolean; announce: (text: string) => void; onClustered: (id: number) => void }) {
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
      <QueryState query={suggestions} empty={items.length === 0 && t('forum.work.noSuggestions')} />
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
  const headingId = useId();
  const [title, setTitle] = useState(excerpt(s.members[0]?.excerpt ?? '', 80));
  const similarity = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(s.similarity);
  const refs = s.members.map(refOf);

  // A suggestion joins the cluster its members are partly in already, or makes a new one.
  const create = useCreateCluster(slug);
  const add = useAddClusterMembers(slug);
  const confirm = s.cluster_id != null ? add : create;
  const dismiss = useDismissSuggestion(slug);
  function send() {
    if (s.cluster_id != null) {
      add.mutate({ clusterId: s.cluster_id, members: refs }, { onSuccess: (cluster) => onConfirmed(t('forum.work.addedToCluster', { title: cluster.title, count: refs.length }), cluster.id) });
    } else {
      create.mutate({ title, origin: 'suggested', members: refs }, { onSuccess: (cluster) => onConfirmed(t('forum.work.clusterCreated', { title: cluster.title, count: cluster.size }), cluster.id) });
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
          <form className="inline-form" onSubmit={handleSubmit(send)} noValidate>
            <ErrorSummary error={confirm.error} />
            {s.cluster_id == null && <Field name="title" label={t('forum.work.clusterTitle')} value={title} maxLength={200} onChange={setTitle} error={fieldError(confirm.error, 'title')} />}
            <div className="form-actions">
              <SubmitButton pending={confirm.isPending}>{s.cluster_id != null ? t('forum.work.confirmAdd', { title: s.cluster_title ?? `#${s.cluster_id}` }) : t('forum.work.confirm')}</SubmitButton>
              <button type="button" className="secondary" disabled={dismiss.isPending} aria-busy={dismiss.isPending} onClick={() => dismiss.mutate(refs, { onSuccess: onDismissed })}>
                {t('forum.work.dismiss')}
              </button>
            </div>
            {dismiss.error != null && (
              <p role="alert" className="error">
                {errorText(t, dismiss.error)}
              </p>
            )}
          </form>
        )}
      </article>
    </li>
  );
}

/** ClustersSection lists the process's clusters, each with a way to respond to it. */
export function ClustersSection({ clusters, canWrite, focusId, onFocused, onRespond }: {
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
      <QueryState query={clusters} empty={items.length === 0 && t('forum.work.noClusters')} />
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
