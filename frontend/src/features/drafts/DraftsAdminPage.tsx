import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, FormCheck, handleSubmit, required } from '../../lib/forms';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useCreateDocument } from './mutations';
import { useDocumentsVersions, useProcessDrafts, type DocumentWithVersions, type VersionSummary } from './queries';

/** languageName names a language tag in the interface language (the tag itself when unknown). */
export function languageName(tag: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** DraftsAdminPage is the owners' list of a process's drafts with their versions: /processes/:slug/drafts. */
export function DraftsAdminPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const manage = useCanManageProcess(slug, account);
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(process.data ? t('draftAdmin.title', { process: process.data.title }) : undefined, notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('draftAdmin.signIn')}
        </Link>
      </p>
    );
  } else if (process.isPending || manage.checking) {
    content = <Loading />;
  } else if (process.isError) {
    content = <ErrorMessage error={process.error} />;
  } else if (!manage.allowed) {
    content = <p className="notice-box">{t('draftAdmin.forbidden')}</p>;
  } else {
    content = (
      <>
        <DocumentList slug={slug} />
        <NewDocumentForm slug={slug} languages={process.data.languages} />
      </>
    );
  }
  return (
    <div className="drafts-admin">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{process.data ? t('draftAdmin.title', { process: process.data.title }) : t('draftAdmin.titleShort')}</h1>
      <p className="lead">{t('draftAdmin.intro')}</p>
      {content}
    </div>
  );
}

function DocumentList({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const list = useProcessDrafts(slug);
  const ids = list.data?.map((d) => d.id) ?? [];
  const docs = useDocumentsVersions(ids);
  return (
    <section aria-labelledby="draft-docs-heading" aria-busy={list.isPending}>
      <h2 id="draft-docs-heading">{t('draftAdmin.documents')}</h2>
      <QueryState query={list} empty={list.data?.length === 0 && t('draftAdmin.none')} />
      {list.isSuccess && list.data.length > 0 && (
        <ul className="draft-docs">
          {list.data.map((d, i) => {
            const full = docs[i];
            return (
              <li key={d.id}>
                {full?.data ? <DocumentCard doc={full.data} /> : <QueryState query={full ?? { isPending: true, isError: false, error: null }} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function DocumentCard({ doc }: { doc: DocumentWithVersions }) {
  const { t, i18n } = useTranslation();
  const headingId = `draft-doc-${doc.id}`;
  const draft = doc.versions.find((v) => v.published_at == null);
  return (
    <article className="draft-doc" aria-labelledby={headingId}>
      <h3 id={headingId}>{doc.title}</h3>
      <p className="hint">{t('draftAdmin.language', { language: languageName(doc.language, i18n.language) })}</p>
      {doc.versions.length === 0 ? (
        <p>{t('draftAdmin.noVersion')}</p>
      ) : (
        <ol className="version-rows" aria-label={t('draftAdmin.versionsOf', { title: doc.title })}>
          {doc.versions.map((v) => (
            <VersionRow key={v.number} docId={doc.id} title={doc.title} v={v} />
          ))}
        </ol>
      )}
      <p className="draft-actions">
        <Link className="button-link" to={`/documents/${doc.id}/import`}>
          {t('draftAdmin.import')} <span className="visually-hidden">{t('draftAdmin.ofTitle', { title: doc.title })}</span>
        </Link>
        {draft && <span className="hint">{t('draftAdmin.importReplaces', { number: draft.number })}</span>}
      </p>
    </article>
  );
}

function VersionRow({ docId, title, v }: { docId: number; title: string; v: VersionSummary }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const source = t(`draftAdmin.format.${v.source_format}`);
  return (
    <li className={v.published_at ? 'version-row' : 'version-row version-row-draft'}>
      <span className="version-name">{t('draftAdmin.versionN', { number: v.number })}</span>{' '}
      {v.published_at ? (
        <span>{t('draftAdmin.published', { date: formatDate(v.published_at, lang), source })}</span>
      ) : (
        <span>
          <span className="badge badge-pending">{t('draftAdmin.notPublished')}</span> {t('draftAdmin.imported', { date: formatDate(v.created_at, lang), source })}
        </span>
      )}
      {v.note && <span className="version-note"> {v.note}</span>}
      <span className="version-links">
        {v.published_at ? (
          <Link to={`/documents/${docId}/v/${v.number}`}>
            {t('draftAdmin.read')} <span className="visually-hidden">{t('draftAdmin.versionOf', { number: v.number, title })}</span>
          </Link>
        ) : (
          <Link to={`/documents/${docId}/v/${v.number}/preview`}>
            {t('draftAdmin.previewAndPublish')} <span className="visually-hidden">{t('draftAdmin.versionOf', { number: v.number, title })}</span>
          </Link>
        )}
      </span>
    </li>
  );
}

function NewDocumentForm({ slug, languages }: { slug: string; languages: string[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState(languages[0] ?? 'en');
  const create = useCreateDocument(slug);
  const [checked, setChecked] = useState<FormCheck | null>(null);
  const error = checked ?? create.error;

  function send() {
    if (!title.trim()) {
      setChecked(new FormCheck('document.invalid', [required('title')]));
      return;
    }
    setChecked(null);
    create.mutate({ title: title.trim(), language }, { onSuccess: (d) => navigate(`/documents/${d.id}/import`) });
  }

  return (
    <section aria-labelledby="new-doc-heading">
      <h2 id="new-doc-heading">{t('draftAdmin.newDocument')}</h2>
      <form className="new-doc-form" onSubmit={handleSubmit(send)} noValidate>
        <ErrorSummary error={error} />
        <Field name="title" label={t('draftAdmin.docTitle')} value={title} maxLength={200} onChange={setTitle} error={fieldError(error, 'title')} />
        <SelectField
          name="language"
          label={t('draftAdmin.docLanguage')}
          hint={t('draftAdmin.docLanguageHint')}
          value={language}
          onChange={setLanguage}
          options={(languages.length > 0 ? languages : ['en']).map((l) => ({ value: l, label: languageName(l, i18n.language) }))}
          error={fieldError(error, 'language')}
        />
        <div className="form-actions">
          <SubmitButton pending={create.isPending}>{t('draftAdmin.create')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
