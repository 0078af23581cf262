import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { AppError, type Process } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';

/**
 * ManageFrame is the frame of an owner's page about one process: the way back
 * to the hub, the heading, and the page itself once the process is loaded and
 * the reader manages it (else: sign in, not found, or not theirs).
 */
export function ManageFrame({ slug, title, hub = true, children }: {
  slug: string;
  /** The page's name ("Settings"), shown with the process's title. */
  title: string;
  /** Whether the way back leads to the hub (else to the process page). */
  hub?: boolean;
  children: (p: Process) => ReactNode;
}) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(process.data ? `${title} · ${process.data.title}` : title, notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  let content: ReactNode;
  if (process.isPending) {
    content = <Loading />;
  } else if (process.isError) {
    content = <ErrorMessage error={process.error} />;
  } else if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('manage.signIn')}
        </Link>
      </p>
    );
  } else if (!process.data.viewer?.manage) {
    content = <p className="notice-box">{t('manage.forbidden')}</p>;
  } else {
    content = children(process.data);
  }
  const p = process.data;
  return (
    <div className="manage-page">
      <p className="breadcrumb">
        {hub && p ? <Link to={`/processes/${slug}/manage`}>{t('manage.backToHub', { title: p.title })}</Link> : <Link to={`/processes/${slug}`}>{p?.title ?? t('reader.backToProcess')}</Link>}
      </p>
      <h1>{title}</h1>
      {content}
    </div>
  );
}
