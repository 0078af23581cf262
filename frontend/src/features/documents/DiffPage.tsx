import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { useDiff, useDocument, type ParagraphDiff } from './queries';

/** DiffPage shows what changed, paragraph by paragraph, between two published versions. */
export function DiffPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const docId = /^[1-9]\d{0,17}$/.test(id) ? Number(id) : 0;
  const doc = useDocument(docId);
  const ok = docId > 0 && Number.isInteger(from) && Number.isInteger(to) && from > 0 && to > 0;
  const diff = useDiff(docId, from, to, ok);
  const [onlyChanges, setOnlyChanges] = useState(false);
  const title = doc.data ? t('diff.title', { title: doc.data.title }) : undefined;
  const notFound = docId === 0 || (doc.error instanceof AppError && doc.error.status === 404);
  useDocumentTitle(title, notFound);

  if (notFound) return <NotFound title={t('reader.notFoundTitle')} body={t('reader.notFoundBody')} />;
  if (doc.isPending) return <Loading />;
  if (doc.isError) return <ErrorMessage error={doc.error} />;

  const paragraphs = diff.data?.paragraphs ?? [];
  const shown = onlyChanges ? paragraphs.filter((p) => p.change !== 'same') : paragraphs;
  return (
    <div className="diff-page">
      <p className="breadcrumb">
        <Link to={`/documents/${docId}`}>{t('diff.backToDraft', { title: doc.data.title })}</Link>
      </p>
      <h1>{title}</h1>
      <ChooseVersions docId={docId} numbers={doc.data.versions.filter((v) => v.published_at != null).map((v) => v.number)} from={from} to={to} />
      <Legend />
      <div className="field-inline">
        <input id="only-changes" type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} />
        <label htmlFor="only-changes">{t('diff.onlyChanges')}</label>
      </div>
      {!ok && <p role="alert" className="error">{t('diff.choose')}</p>}
      {ok && diff.isPending && <Loading />}
      {diff.isError && <ErrorMessage error={diff.error} />}
      {diff.data && (
        <>
          <p className="diff-summary" id="diff-summary">{t('diff.summary', { from: diff.data.from, to: diff.data.to, count: paragraphs.filter((p) => p.change !== 'same').length })}</p>
          <ol className="diff-list" lang={doc.data.language} aria-labelledby="diff-summary">
            {shown.map((p) => (
              <DiffParagraph key={`${p.key}-${p.change}`} p={p} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ChooseVersions({ docId, numbers, from, to }: { docId: number; numbers: number[]; from: number; to: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sorted = [...numbers].sort((a, b) => a - b);
  const [a, setA] = useState(String(from || sorted[0] || ''));
  const [b, setB] = useState(String(to || sorted[sorted.length - 1] || ''));
  function go(e: FormEvent) {
    e.preventDefault();
    navigate(`/documents/${docId}/diff?from=${a}&to=${b}`);
  }
  return (
    <form className="version-switcher" onSubmit={go}>
      <label htmlFor="diff-from">{t('diff.from')}</label>{' '}
      <select id="diff-from" value={a} onChange={(e) => setA(e.target.value)}>
        {sorted.map((n) => (
          <option key={n} value={n}>
            {t('diff.versionN', { number: n })}
          </option>
        ))}
      </select>{' '}
      <label htmlFor="diff-to">{t('diff.to')}</label>{' '}
      <select id="diff-to" value={b} onChange={(e) => setB(e.target.value)}>
        {sorted.map((n) => (
          <option key={n} value={n}>
            {t('diff.versionN', { number: n })}
          </option>
        ))}
      </select>{' '}
      <button type="submit" className="secondary">
        {t('diff.compare')}
      </button>
    </form>
  );
}

/** Legend says in words what the marks mean, so colour is not the only cue. */
export function Legend() {
  const { t } = useTranslation();
  return (
    <div className="diff-legend">
      <h2>{t('diff.legend')}</h2>
      <ul>
        <li>
          <ins>{t('diff.legendInsExample')}</ins> {t('diff.legendIns')}
        </li>
        <li>
          <del>{t('diff.legendDelExample')}</del> {t('diff.legendDel')}
        </li>
        <li>{t('diff.legendTags')}</li>
      </ul>
    </div>
  );
}

/** DiffParagraph is one paragraph's change, with its words inserted and deleted. */
export function DiffParagraph({ p }: { p: ParagraphDiff }) {
  const { t } = useTranslation();
  let body: ReactNode;
  if (p.ops.length > 0) {
    body = p.ops.map((op, i) => {
      if (op.op === 'insert') return <Ins key={i} text={op.text} />;
      if (op.op === 'delete') return <Del key={i} text={op.text} />;
      return <span key={i}>{op.text}</span>;
    });
  } else if (p.change === 'deleted') {
    body = <Del text={p.before ?? ''} />;
  } else if (p.change === 'new') {
    body = <Ins text={p.after ?? ''} />;
  } else {
    body = p.after ?? p.before ?? '';
  }
  return (
    <li className={`diff-para diff-${p.change}`}>
      <span className={`change-tag change-${p.change}`}>{t(`diff.change.${p.change}`)}</span>
      <p className="diff-text">{body}</p>
    </li>
  );
}

// Screen readers do not announce <ins> and <del> by default: say where each starts and ends.
function Ins({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <ins>
      <span className="visually-hidden">{t('diff.insStart')}</span>
      {text}
      <span className="visually-hidden">{t('diff.insEnd')}</span>
    </ins>
  );
}

function Del({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <del>
      <span className="visually-hidden">{t('diff.delStart')}</span>
      {text}
      <span className="visually-hidden">{t('diff.delEnd')}</span>
    </del>
  );
}
