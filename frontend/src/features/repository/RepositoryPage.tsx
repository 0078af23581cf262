import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { FilterSelect } from '../../components/filters';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { AddDocumentForm } from './AddDocumentForm';
import { fileType, formatDay, formatSize, languageName } from './format';
import { useDeleteDocument } from './mutations';
import { isRepositoryKind, repositoryKinds, useRepository, type RepositoryItem } from './queries';

/**
 * RepositoryPage lists every document of a process, for anyone, filtered by
 * kind (kept in the address), with the open data of the list; its owners
 * also add and delete documents here: /processes/:slug/repository.
 */
export function RepositoryPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind') ?? '';
  const kind = isRepositoryKind(kindParam) ? kindParam : undefined;
  const process = useProcess(slug);
  const repo = useRepository(slug, kind);
  const canManage = useCanManageProcess(slug, account).allowed;
  const [said, announce] = useAnnouncer();
  const list = useRef<HTMLOListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const notFound = (process.error instanceof AppError && process.error.status === 404) || (repo.error instanceof AppError && repo.error.status === 404);
  useDocumentTitle(process.data ? t('repository.documentTitle', { process: process.data.title }) : undefined, notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (process.isPending) return <Loading />;
  if (process.isError) return <ErrorMessage error={process.error} />;

  const items = repo.data?.pages.flatMap((p) => p.items) ?? [];
  const maxBytes = repo.data?.pages[0]?.upload_max_bytes;
  const base = `/api/v1/processes/${encodeURIComponent(slug)}/repository/export`;
  return (
    <div className="repository-page">
      <ProcessCrumb slug={slug} title={process.data.title} />
      <h1>{t('repository.title')}</h1>
      <p className="lead">{t('repository.intro')}</p>
      <ul className="idea-links">
        <li>
          <a href={base}>{t('repository.exportJSON')}</a>
        </li>
        <li>
          <a href={`${base}?format=csv`} download>
            {t('repository.exportCSV')}
          </a>
        </li>
      </ul>
      <p role="status" aria-live="polite" className="list-status">
        {said}
      </p>

      {canManage && maxBytes !== undefined && (
        <section aria-labelledby="repository-add-heading" className="repository-add">
          <h2 id="repository-add-heading">{t('repository.form.title')}</h2>
          <AddDocumentForm
            slug={slug}
            languages={process.data.languages}
            maxBytes={maxBytes}
            onAdded={(item) => announce(t('repository.added', { title: item.title }))}
          />
        </section>
      )}

      <section aria-labelledby="repository-list-heading" aria-busy={repo.isFetching}>
        <h2 id="repository-list-heading" ref={heading} tabIndex={-1}>
          {t('repository.listTitle')}
        </h2>
        <div className="idea-filters">
          <FilterSelect
            label={t('repository.filterKind')}
            value={kind ?? ''}
            options={[{ value: '', label: t('repository.allKinds') }, ...repositoryKinds.map((k) => ({ value: k, label: t(`repository.kinds.${k}`) }))]}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              if (v) next.set('kind', v);
              else next.delete('kind');
              setParams(next, { replace: true });
            }}
          />
        </div>
        <p className="list-status">{repo.isSuccess && (items.length === 0 ? (kind ? t('repository.noMatch') : t('repository.empty')) : t('repository.shown', { count: items.length }))}</p>
        <QueryState query={repo} />
        {items.length > 0 && (
          <ol className="repository-list" ref={list}>
            {items.map((it) => (
              <DocumentCard
                key={it.id}
                slug={slug}
                item={it}
                canDelete={canManage}
                onDeleted={() => {
                  announce(t('repository.deleted', { title: it.title }));
                  heading.current?.focus();
                }}
              />
            ))}
          </ol>
        )}
        {/* After "Load more", the keyboard continues at the first new document. */}
        <LoadMore pages={repo} label={t('repository.loadMore')} count={items.length} listRef={list} focusSelector=".repository-card h3" />
      </section>
    </div>
  );
}

/** DocumentCard is one document: what it is, when, in which language, and how to get it. */
function DocumentCard({ slug, item, canDelete, onDeleted }: { slug: string; item: RepositoryItem; canDelete: boolean; onDeleted: () => void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const del = useDeleteDocument(slug);
  return (
    <li className="repository-card">
      <h3 tabIndex={-1}>{item.title}</h3>
      <p className="repository-meta">
        <span className="theme-tag">{t(`repository.kinds.${item.kind}`)}</span> <time dateTime={item.date}>{formatDay(item.date, i18n.language)}</time> ·{' '}
        <span lang={item.language}>{languageName(item.language, i18n.language)}</span>
      </p>
      <p className="repository-get">
        <DocumentLink item={item} />
      </p>
      {canDelete &&
        (confirming ? (
          <ConfirmStep
            question={t('repository.deleteQuestion', { title: item.title })}
            confirmLabel={t('repository.deleteConfirm')}
            cancelLabel={t('repository.deleteCancel')}
            pending={del.isPending}
            error={del.error}
            onConfirm={() => del.mutate(item.id, { onSuccess: onDeleted })}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            {t('repository.delete')} <span className="visually-hidden">{item.title}</span>
          </button>
        ))}
    </li>
  );
}

/**
 * DocumentLink downloads a document's file, saying its type and size, or
 * opens its link, saying which site it leads to; the title is in the link's
 * name for screen readers, which list links out of context.
 */
export function DocumentLink({ item }: { item: RepositoryItem }) {
  const { t, i18n } = useTranslation();
  const f = item.file;
  if (f) {
    return (
      <a href={`/api/v1/repository/${item.id}/file`} download={f.name}>
        {t('repository.download')} <span className="visually-hidden">{item.title}</span> {t('repository.fileFacts', { type: fileType(t, f.content_type), size: formatSize(f.size_bytes, i18n.language) })}
      </a>
    );
  }
  if (!item.url) return null;
  return (
    <a href={item.url} rel="noopener noreferrer external">
      {t('repository.openLink')} <span className="visually-hidden">{item.title}</span> {t('repository.linkFacts', { site: siteOf(item.url) })}
    </a>
  );
}

/** siteOf is the host a link leads to, as people read it. */
function siteOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
