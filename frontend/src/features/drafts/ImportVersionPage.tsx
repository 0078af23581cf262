import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { RadioGroup } from '../../components/RadioGroup';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, FormCheck, handleSubmit, required } from '../../lib/forms';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { FileField, TextField } from './fields';
import { useImportVersion, type ImportSource } from './mutations';
import { useDocumentVersions, type DocumentWithVersions, type PasteFormat } from './queries';
import type { Progress } from '../../lib/upload';

/** The file names a draft may have: the server checks the content against them. */
export const draftExtensions = ['.md', '.markdown', '.txt', '.text', '.html', '.htm', '.docx', '.odt'];

/** ImportVersionPage imports a new version of a draft, from a file or pasted text: /documents/:id/import. */
export function ImportVersionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const docId = /^[1-9]\d{0,17}$/.test(id) ? Number(id) : 0;
  const account = useAccount();
  const location = useLocation();
  const doc = useDocumentVersions(docId);
  const slug = doc.data?.process_slug ?? '';
  const process = useProcess(slug, slug !== '');
  const manage = useCanManageProcess(slug, slug !== '' ? account : null);
  const notFound = docId === 0 || (doc.error instanceof AppError && doc.error.status === 404);
  useDocumentTitle(doc.data ? t('draftAdmin.importTitle', { title: doc.data.title }) : undefined, notFound);

  if (notFound) return <NotFound title={t('reader.notFoundTitle')} body={t('reader.notFoundBody')} />;
  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('draftAdmin.signIn')}
        </Link>
      </p>
    );
  } else if (doc.isPending || manage.checking) {
    content = <Loading />;
  } else if (doc.isError) {
    content = <ErrorMessage error={doc.error} />;
  } else if (!manage.allowed) {
    content = <p className="notice-box">{t('draftAdmin.forbidden')}</p>;
  } else {
    content = <ImportForm doc={doc.data} />;
  }
  return (
    <div className="import-page">
      {slug && (
        <p className="breadcrumb">
          <Link to={`/processes/${slug}/drafts`}>{t('draftAdmin.backToDrafts', { process: process.data?.title ?? slug })}</Link>
        </p>
      )}
      <h1>{doc.data ? t('draftAdmin.importTitle', { title: doc.data.title }) : t('draftAdmin.importTitleShort')}</h1>
      {content}
    </div>
  );
}

type Stage = { step: 'idle' } | { step: 'uploading'; progress: Progress | null } | { step: 'working' };

function ImportForm({ doc }: { doc: DocumentWithVersions }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [kind, setKind] = useState<'file' | 'paste'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<PasteFormat>('markdown');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [checked, setChecked] = useState<FormCheck | null>(null);
  const imp = useImportVersion(doc.id, (p) => setStage(p.loaded >= p.total ? { step: 'working' } : { step: 'uploading', progress: p }));
  const error = checked ?? imp.error;
  const draft = doc.versions.find((v) => v.published_at == null);
  const latest = [...doc.versions].reverse().find((v) => v.published_at != null);

  function check(): FormCheck | null {
    if (kind === 'file') {
      if (!file) return new FormCheck('upload.invalid', [required('file')]);
      const name = file.name.toLowerCase();
      if (!draftExtensions.some((e) => name.endsWith(e))) return new FormCheck('upload.type_refused', [{ field: 'file', code: 'type', message: '' }]);
    } else if (!text.trim()) {
      return new FormCheck('document.invalid', [required('source')]);
    }
    return null;
  }

  function send() {
    const refused = check();
    setChecked(refused);
    if (refused) return;
    const source: ImportSource = kind === 'file' && file ? { kind: 'file', file } : { kind: 'paste', format, text };
    setStage(kind === 'file' ? { step: 'uploading', progress: null } : { step: 'working' });
    imp.mutate(
      { source, note: note.trim() },
      {
        onSuccess: (v) => navigate(`/documents/${doc.id}/v/${v.number}/preview`),
        onSettled: () => setStage({ step: 'idle' }),
      },
    );
  }

  return (
    <form className="import-form" onSubmit={handleSubmit(send)} noValidate aria-busy={imp.isPending}>
      <p>{latest ? t('draftAdmin.importNext', { number: latest.number }) : t('draftAdmin.importFirst')}</p>
      {draft && <p className="notice-box">{t('draftAdmin.replacesDraft', { number: draft.number })}</p>}
      <ErrorSummary error={error} />
      <RadioGroup
        name="source-kind"
        legend={t('draftAdmin.sourceKind')}
        value={kind}
        onChange={(v) => setKind(v === 'paste' ? 'paste' : 'file')}
        choices={[
          { value: 'file', label: t('draftAdmin.kindFile'), hint: t('draftAdmin.kindFileHint') },
          { value: 'paste', label: t('draftAdmin.kindPaste'), hint: t('draftAdmin.kindPasteHint') },
        ]}
      />
      {/* Both stay in the page (the other one hidden), so switching keeps what was chosen and typed. */}
      <div hidden={kind !== 'file'}>
        <FileField name="file" label={t('draftAdmin.file')} accept={draftExtensions.join(',')} hint={t('draftAdmin.fileHint')} error={fieldError(error, 'file')} onChange={setFile} />
      </div>
      <div hidden={kind !== 'paste'}>
          <SelectField
            name="format"
            label={t('draftAdmin.pasteFormat')}
            value={format}
            onChange={(v) => setFormat(v as PasteFormat)}
            options={(['markdown', 'text', 'html'] as const).map((f) => ({ value: f, label: t(`draftAdmin.pasteFormats.${f}`) }))}
            error={fieldError(error, 'format')}
          />
          <TextField name="source" label={t('draftAdmin.pasteText')} rows={14} value={text} onChange={setText} error={fieldError(error, 'source')} />
      </div>
      <TextAreaField
        name="note"
        label={t('draftAdmin.note')}
        hint={t('draftAdmin.noteHint')}
        required={false}
        rows={2}
        maxLength={2000}
        value={note}
        onChange={setNote}
        error={fieldError(error, 'note')}
      />
      <div className="form-actions">
        <SubmitButton pending={imp.isPending} ownProgress>
          {t('draftAdmin.importSubmit')}
        </SubmitButton>
      </div>
      <ImportProgress stage={stage} fileName={file?.name ?? ''} />
    </form>
  );
}

/**
 * ImportProgress shows how far an import is: the upload's progress from the
 * browser, then a busy state while the server converts and aligns the text.
 * The status line changes at each step only, so that screen readers are told
 * each step once rather than every percent.
 */
function ImportProgress({ stage, fileName }: { stage: Stage; fileName: string }) {
  const { t } = useTranslation();
  const percent = stage.step === 'uploading' && stage.progress ? Math.round((100 * stage.progress.loaded) / Math.max(1, stage.progress.total)) : null;
  return (
    <div className="import-progress">
      <p role="status" id="import-progress-label">
        {stage.step === 'uploading' && t('draftAdmin.uploading', { name: fileName })}
        {stage.step === 'working' && t('draftAdmin.working')}
      </p>
      {stage.step === 'uploading' && (
        <progress aria-labelledby="import-progress-label" max={100} value={percent ?? undefined}>
          {percent != null ? `${percent}%` : ''}
        </progress>
      )}
      {stage.step === 'uploading' && percent != null && <span className="hint"> {t('draftAdmin.percent', { percent })}</span>}
      {stage.step === 'working' && <progress aria-labelledby="import-progress-label" />}
    </div>
  );
}
