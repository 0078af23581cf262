import { useId, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { AppError, type FieldError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton } from '../../components/form';
import { RadioGroup } from '../../components/RadioGroup';
import { errorText } from '../../components/status';
import { fieldError, FormCheck, handleSubmit, required } from '../../lib/forms';
import { formatSize, today } from './format';
import { useAddLink, useUploadDocument, type DocumentFacts } from './mutations';
import { isRepositoryKind, repositoryKinds, type RepositoryItem } from './queries';

/** accepted is what the file chooser offers (the server decides from the bytes). */
const accepted = '.pdf,.doc,.docx,.odt,.xls,.xlsx,.ods,.ppt,.pptx,.odp,.csv,.txt,.md,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff';

/** The order of the form's fields, for the summary of what to fix. */
const fieldOrder = ['file', 'url', 'kind', 'title', 'date', 'language'];

interface Draft extends DocumentFacts {
  mode: 'file' | 'link';
  url: string;
}

/**
 * check refuses, before anything is sent, what the server would refuse for
 * the same reasons, with the same field names: a missing field, a file over
 * the server's limit, a link that is not http(s).
 */
export function checkDraft(d: Draft, file: File | null, maxBytes: number): void {
  const fields: FieldError[] = [];
  if (d.mode === 'file') {
    if (!file) fields.push(required('file'));
    else if (file.size > maxBytes) fields.push({ field: 'file', code: 'too_large', message: '' });
  } else if (d.url.trim() === '') fields.push(required('url'));
  else if (!/^https?:\/\/[^\s/]+/i.test(d.url.trim())) fields.push({ field: 'url', code: 'url', message: '' });
  if (!isRepositoryKind(d.kind)) fields.push(required('kind'));
  if (d.title.trim() === '') fields.push(required('title'));
  if (d.date === '') fields.push(required('date'));
  if (d.language.trim() === '') fields.push(required('language'));
  if (fields.length > 0) throw new FormCheck('repository.invalid', fields);
}

/**
 * fileError is what was refused about the file: a field error, or one of the
 * upload's own refusals (type, name, size), which the error's code says.
 */
function fileError(error: unknown): { field?: FieldError } | undefined {
  if (!(error instanceof AppError)) return undefined;
  if (error.code.startsWith('upload.') || error.code === 'request.too_large') return {};
  const f = fieldError(error, 'file');
  return f ? { field: f } : undefined;
}

/**
 * problemText says what is wrong with a field, most specific first: for this
 * field (repository.fieldErrors.file_required), for this form, for any form.
 */
function problemText(t: TFunction, f: FieldError, maxBytes: number, lang: string): string {
  const any = t(`fieldErrors.${f.code}`, { defaultValue: t('fieldErrors.invalid') });
  const here = t(`repository.fieldErrors.${f.code}`, { defaultValue: any, size: formatSize(maxBytes, lang) });
  return t(`repository.fieldErrors.${f.field}_${f.code}`, { defaultValue: here });
}

/** cancelled says whether the error is the owner's own cancelling of an upload. */
function cancelled(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * AddDocumentForm lets an owner add a document to the repository: a file
 * (sent with a progress indicator, and cancellable) or a link, with its kind,
 * title, date and language. What was typed stays when the server refuses it.
 */
export function AddDocumentForm({ slug, languages, maxBytes, onAdded }: {
  slug: string;
  /** The process's languages: the first is the default. */
  languages: string[];
  maxBytes: number;
  onAdded: (item: RepositoryItem) => void;
}) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Draft>({ mode: 'file', url: '', kind: '', title: '', date: today(), language: languages[0] ?? 'en' });
  const [file, setFile] = useState<File | null>(null);
  const [fileInput, setFileInput] = useState(0); // a new key empties the file chooser
  const upload = useUploadDocument(slug);
  const link = useAddLink(slug);
  const [checked, setChecked] = useState<FormCheck | null>(null);
  const fileId = useId();
  const progressId = useId();
  const error = checked ?? (draft.mode === 'file' ? upload.error : link.error);
  const pending = upload.isPending || link.isPending;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  function added(item: RepositoryItem) {
    setDraft((d) => ({ ...d, title: '', url: '' }));
    setFile(null);
    setFileInput((n) => n + 1);
    onAdded(item);
  }

  function send() {
    try {
      checkDraft(draft, file, maxBytes);
    } catch (e) {
      setChecked(e as FormCheck);
      return;
    }
    setChecked(null);
    const facts: DocumentFacts = { kind: draft.kind, title: draft.title, date: draft.date, language: draft.language };
    if (draft.mode === 'file' && file) {
      upload.mutate({ facts, file }, { onSuccess: added });
    } else {
      link.mutate({ ...facts, kind: draft.kind as RepositoryItem['kind'], url: draft.url.trim() }, { onSuccess: added });
    }
  }

  const fe = (name: string) => fieldError(error, name);
  const fileProblem = fileError(error);
  // The upload's own refusals (type, size) say it in one sentence; a form's, field by field.
  const problems = error instanceof AppError && !error.code.startsWith('upload.') ? [...error.fields].sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field)) : [];
  const p = upload.progress;
  const share = p && p.total > 0 ? Math.min(100, Math.round((p.loaded / p.total) * 100)) : 0;

  return (
    <form className="repository-form" onSubmit={handleSubmit(send)} noValidate aria-describedby={p ? progressId : undefined}>
      <ErrorSummary error={error}>
        {cancelled(error) ? (
          <p>{t('repository.form.cancelled')}</p>
        ) : problems.length > 0 ? (
          <>
            <p>{t('repository.form.fix')}</p>
            <ul>
              {problems.map((f) => (
                <li key={`${f.field}-${f.code}`}>
                  {t(`repository.fields.${f.field}`, { defaultValue: f.field })}: {problemText(t, f, maxBytes, i18n.language)}
                </li>
              ))}
            </ul>
          </>
        ) : undefined}
      </ErrorSummary>

      <RadioGroup
        name="mode"
        legend={t('repository.form.mode')}
        value={draft.mode}
        onChange={(v) => set({ mode: v === 'link' ? 'link' : 'file' })}
        choices={[
          { value: 'file', label: t('repository.form.modeFile') },
          { value: 'link', label: t('repository.form.modeLink'), hint: t('repository.form.modeLinkHint') },
        ]}
      />

      {draft.mode === 'file' ? (
        <div className="field">
          <label htmlFor={fileId}>{t('repository.fields.file')}</label>
          <p id={`${fileId}-hint`} className="hint">
            {t('repository.form.fileHint', { size: formatSize(maxBytes, i18n.language) })}
          </p>
          <input
            key={fileInput}
            id={fileId}
            name="file"
            type="file"
            accept={accepted}
            aria-invalid={fileProblem ? true : undefined}
            aria-describedby={[`${fileId}-hint`, fileProblem ? `${fileId}-error` : ''].filter(Boolean).join(' ')}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          {fileProblem && (
            <p id={`${fileId}-error`} className="field-error">
              {fileProblem.field ? problemText(t, fileProblem.field, maxBytes, i18n.language) : errorText(t, error)}
            </p>
          )}
        </div>
      ) : (
        <Field
          name="url"
          type="url"
          label={t('repository.fields.url')}
          hint={t('repository.form.urlHint')}
          value={draft.url}
          maxLength={2000}
          onChange={(v) => set({ url: v })}
          error={fe('url')}
        />
      )}

      <SelectField
        name="kind"
        label={t('repository.fields.kind')}
        value={draft.kind}
        onChange={(v) => set({ kind: v })}
        options={[{ value: '', label: t('repository.form.chooseKind') }, ...repositoryKinds.map((k) => ({ value: k, label: t(`repository.kinds.${k}`) }))]}
        error={fe('kind')}
      />
      <Field name="title" label={t('repository.fields.title')} value={draft.title} maxLength={200} onChange={(v) => set({ title: v })} error={fe('title')} />
      <Field name="date" type="date" label={t('repository.fields.date')} hint={t('repository.form.dateHint')} value={draft.date} onChange={(v) => set({ date: v })} error={fe('date')} />
      <Field
        name="language"
        label={t('repository.fields.language')}
        hint={t('repository.form.languageHint')}
        value={draft.language}
        maxLength={35}
        onChange={(v) => set({ language: v })}
        error={fe('language')}
      />

      {p ? (
        <div className="upload-progress" id={progressId}>
          <label htmlFor={`${progressId}-bar`}>{share < 100 ? t('repository.form.sending', { share }) : t('repository.form.storing')}</label>
          <progress id={`${progressId}-bar`} max={100} value={share}>
            {share}%
          </progress>
          <button type="button" className="secondary" onClick={upload.cancel}>
            {t('repository.form.cancel')}
          </button>
        </div>
      ) : null}
      <SubmitButton pending={pending}>{draft.mode === 'file' ? t('repository.form.submitFile') : t('repository.form.submitLink')}</SubmitButton>
    </form>
  );
}
