import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { contributionHref, dispositionName } from './format';
import { useCluster, useResponse, type Contribution } from './queries';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';

/** ClusterPage shows a cluster of contributions the forum answers together, and the response that answered it: /clusters/:id. */
export function ClusterPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  if (!/^[1-9]\d{0,17}$/.test(id)) return <NotFound title={t('forum.cluster.notFoundTitle')} body={t('forum.cluster.notFoundBody')} />;
  return <ClusterView key={id} id={Number(id)} />;
}

function ClusterView({ id }: { id: number }) {
  const { t } = useTranslation();
  const cluster = useCluster(id);
  const answer = useResponse(cluster.data?.response_id ?? null);
  const slug = cluster.data?.process ?? null;
  const process = useProcess(slug ?? '', slug != null);
  const notFound = cluster.error instanceof AppError && cluster.error.status === 404;
  useDocumentTitle(cluster.data?.title, notFound);
  if (cluster.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('forum.cluster.notFoundTitle')} body={t('forum.cluster.notFoundBody')} />;
  if (cluster.isError) return <ErrorMessage error={cluster.error} />;
  const c = cluster.data;
  return (
    <article className="cluster-page">
      {slug && <ProcessCrumb slug={slug} title={process.data?.title} />}
      <h1>{c.title}</h1>
      <p>
        {t('forum.cluster.size', { count: c.size })} · {t(`forum.cluster.origin.${c.origin}`)}
      </p>
      {c.response_id != null ? (
        <p className="notice-box">
          <Link to={`/responses/${c.response_id}`}>
            {answer.data ? t('forum.answered.title', { disposition: dispositionName(t, answer.data.disposition).toLowerCase() }) : t('forum.answered.titleShort')}
          </Link>
        </p>
      ) : (
        <p className="notice-box">{t('forum.cluster.unanswered')}</p>
      )}
      {c.representative && (
        <section aria-labelledby="cluster-representative">
          <h2 id="cluster-representative">{t('forum.cluster.representative')}</h2>
          <blockquote className="preserve">{c.representative.excerpt}</blockquote>
        </section>
      )}
      <section aria-labelledby="cluster-members">
        <h2 id="cluster-members">{t('forum.cluster.members')}</h2>
        {c.members.length === 0 ? (
          <p>{t('forum.cluster.noMembers')}</p>
        ) : (
          <ul className="contribution-list">
            {c.members.map((m) => (
              <MemberItem key={`${m.kind}-${m.id}`} member={m} slug={slug} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

function MemberItem({ member: m, slug }: { member: Contribution; slug: string | null }) {
  const { t, i18n } = useTranslation();
  const href = slug ? contributionHref(m, slug) : null;
  return (
    <li>
      <p className="contribution-kind">
        {t(`forum.coverKind.${m.kind}`)} · {t('forum.work.by', { name: m.author })} · {formatDate(m.created_at, i18n.language)}
      </p>
      <p className="preserve">{href ? <Link to={href}>{m.excerpt}</Link> : m.excerpt}</p>
    </li>
  );
}
