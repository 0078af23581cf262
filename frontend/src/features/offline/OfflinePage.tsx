import { useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { RadioGroup } from '../../components/RadioGroup';
import { ErrorMessage, errorText, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { excerpt, formatDate, formatDateTime } from '../../lib/format';
import { fieldError } from '../../lib/forms';
import { useIdeaSettings, useProcess, useProcessDocuments } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { bodyMax, contributorMax, scanTypes, titleMax, today, useEnterOffline, type OfflineDraft } from './mutations';
import { channels, downloadScan, useLatestVersion, useOfflineEntries, type ContributionAttachment, type OfflineEntry } from './queries';

const emptyDraft: OfflineDraft = {
  kind: 'comment',
  channel: '',
  contributor: '',
  receivedOn: '',
  documentId: '',
  paragraphKey: '',
  title: '',
  themeId: '',
  body: '',
  file: null,
};

/** fileSize says a size in bytes the way people read it. */
export function fileSize(bytes: number, lang: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return new Intl.NumberFormat(lang, { style: 'unit', unit: units[u], unitDisplay: u === 0 ? 'long' : 'short', maximumFractionDigits: u === 0 ? 0 : 1 }).format(n);
}

/**
 * OfflinePage is where a process's owners enter contributions received by
 * post, phone, e-mail or at a workshop, on their contributors' behalf (a
 * comment on a paragraph or an idea, with an optional private scan), and see
 * what was entered so far. /processes/:slug/offline
 */
export function OfflinePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const entries = useOfflineEntries(slug, account != null);
  const notFound = (process.error instanceof AppError && process.error.status === 404) || (entries.error instanceof AppError && entries.error.status === 404);
  useDocumentTitle(t('offline.title'), notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  const forbidden = entries.error instanceof AppError && entries.error.status === 403;
  return (
    <div className="offline-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('offline.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: location.pathname }}>
            {t('offline.signIn')}
          </Link>
        </p>
      ) : forbidden ? (
        <p className="notice-box">{t('offline.forbidden')}</p>
      ) : entries.isPending ? (
        <Loading />
      ) : entries.isError ? (
        <ErrorMessage error={entries.error} />
      ) : (
        <>
          <p className="lead">{t('offline.intro')}</p>
          <EntryForm slug={slug} />
          <Entries entries={entries} />
        </>
      )}
    </div>
  );
}

/** EntryForm is the form to enter one contribution received offline. */
function EntryForm({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<OfflineDraft>(emptyDraft);
  const [done, setDone] = useState<OfflineEntry | null>(null);
  const [fileKey, setFileKey] = useState(0); // a new file input after each entry
  const documents = useProcessDocuments(slug);
  const settings = useIdeaSettings(slug);
  const docs = (documents.data ?? []).filter((d) => d.latest_number != null);
  const version = useLatestVersion(draft.kind === 'comment' && draft.documentId !== '' ? Number(draft.documentId) : 0);
  const enter = useEnterOffline(slug);
  const notice = useRef<HTMLParagraphElement>(null);
  const set = (patch: Partial<OfflineDraft>) => setDraft({ ...draft, ...patch });
  const err = enter.error;
  const fileErr = fieldError(err, 'file') ?? (err instanceof AppError && err.code === 'upload.too_large' ? { code: 'too_large' } : undefined);

  function send() {
    setDone(null);
    enter.mutate(
      { draft, version: version.data?.number },
      {
        onSuccess: (entry) => {
          setDone(entry);
          // The next letter of a pile often shares the channel, the date and the draft.
          setDraft({ ...draft, contributor: '', title: '', body: '', file: null });
          setFileKey((k) => k + 1);
          setTimeout(() => notice.current?.focus(), 0);
        },
      },
    );
  }

  const paragraphs = version.data?.blocks ?? [];
  return (
    <section className="offline-entry" aria-labelledby="entry-heading">
      <h2 id="entry-heading">{t('offline.form.title')}</h2>
      {done && (
        <p className="notice" role="status" tabIndex={-1} ref={notice}>
          {t('offline.form.done', { what: entryTitle(t, done) })}{' '}
          <Link to={entryLink(slug, done)}>{done.kind === 'comment' ? t('offline.form.seeComment') : t('offline.form.seeIdea')}</Link>
        </p>
      )}
      <form
        className="offline-form"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
        noValidate
      >
        <ErrorSummary error={err} />
        <RadioGroup
          name="kind"
          legend={t('offline.form.kind')}
          choices={[
            { value: 'comment', label: t('offline.kind.comment'), hint: t('offline.form.kindCommentHint') },
            { value: 'idea', label: t('offline.kind.idea'), hint: t('offline.form.kindIdeaHint') },
          ]}
          value={draft.kind}
          onChange={(kind) => set({ kind: kind as OfflineDraft['kind'] })}
        />
        <SelectField
          name="channel"
          label={t('offline.form.channel')}
          value={draft.channel}
          options={[{ value: '', label: t('offline.form.chooseChannel') }, ...channels.map((c) => ({ value: c, label: t(`offline.channel.${c}`) }))]}
          onChange={(channel) => set({ channel: channel as OfflineDraft['channel'] })}
          error={fieldError(err, 'channel')}
        />
        <Field
          name="contributor"
          label={t('offline.form.contributor')}
          hint={t('offline.form.contributorHint')}
          required={false}
          autoComplete="off"
          maxLength={contributorMax}
          value={draft.contributor}
          onChange={(contributor) => set({ contributor })}
          error={fieldError(err, 'contributor')}
        />
        <Field
          name="received_on"
          type="date"
          label={t('offline.form.receivedOn')}
          hint={t('offline.form.receivedOnHint')}
          value={draft.receivedOn}
          max={today()}
          onChange={(receivedOn) => set({ receivedOn })}
          error={fieldError(err, 'received_on')}
        />
        {draft.kind === 'comment' ? (
          <>
            {documents.isPending ? (
              <Loading />
            ) : docs.length === 0 ? (
              <p className="notice-box">{t('offline.form.noDrafts')}</p>
            ) : (
              <SelectField
                name="document_id"
                label={t('offline.form.document')}
                value={draft.documentId}
                options={[{ value: '', label: t('offline.form.chooseDocument') }, ...docs.map((d) => ({ value: String(d.id), label: d.title }))]}
                onChange={(documentId) => set({ documentId, paragraphKey: '' })}
                error={fieldError(err, 'document_id')}
              />
            )}
            {draft.documentId !== '' && (
              <>
                <QueryState query={version} />
                {version.data && !version.data.commenting && <p className="notice-box">{t('offline.form.commentsClosed')}</p>}
                {version.data && (
                  <SelectField
                    name="paragraph_key"
                    label={t('offline.form.paragraph')}
                    hint={t('offline.form.paragraphHint', { number: version.data.number })}
                    value={draft.paragraphKey}
                    options={[
                      { value: '', label: t('offline.form.chooseParagraph') },
                      ...paragraphs.map((b) => ({ value: b.key, label: excerpt(b.text, 90) })),
                    ]}
                    onChange={(paragraphKey) => set({ paragraphKey })}
                    error={fieldError(err, 'paragraph_key')}
                  />
                )}
              </>
            )}
          </>
        ) : (
          <>
            {settings.data && !settings.data.open && <p className="notice-box">{t('offline.form.ideasClosed')}</p>}
            <Field
              name="title"
              label={t('offline.form.ideaTitle')}
              autoComplete="off"
              maxLength={titleMax}
              value={draft.title}
              onChange={(title) => set({ title })}
              error={fieldError(err, 'title')}
            />
            <SelectField
              name="theme_id"
              label={t('offline.form.theme')}
              value={draft.themeId}
              options={[{ value: '', label: t('offline.form.chooseTheme') }, ...(settings.data?.themes ?? []).map((th) => ({ value: String(th.id), label: th.name }))]}
              onChange={(themeId) => set({ themeId })}
              error={fieldError(err, 'theme_id')}
            />
          </>
        )}
        <TextAreaField
          name="body"
          label={t('offline.form.body')}
          hint={t('offline.form.bodyHint')}
          maxLength={bodyMax}
          rows={8}
          value={draft.body}
          onChange={(body) => set({ body })}
          error={fieldError(err, 'body')}
        />
        <FileField
          key={fileKey}
          name="file"
          label={t('offline.form.file')}
          hint={t('offline.form.fileHint')}
          accept={scanTypes.join(',')}
          file={draft.file}
          onChange={(file) => set({ file })}
          error={fileErr}
        />
        {enter.isPending && (
          <p className="upload-progress" role="status">
            <progress aria-label={t('offline.form.sending')} />{' '}
            {draft.file ? t('offline.form.uploading', { size: fileSize(draft.file.size, i18n.language) }) : t('offline.form.sending')}
          </p>
        )}
        <div className="form-actions">
          <SubmitButton pending={enter.isPending}>{t('offline.form.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}

/** FileField is a labelled file input with its hint, chosen file and error linked, like Field. */
function FileField(props: { name: string; label: string; hint: ReactNode; accept: string; file: File | null; onChange: (f: File | null) => void; error?: { code: string } }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const describedBy = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <p id={`${id}-hint`} className="hint">
        {props.hint}
      </p>
      <input
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => props.onChange(e.target.files?.[0] ?? null)}
      />
      {props.file && <p className="hint">{t('offline.form.chosenFile', { name: props.file.name, size: fileSize(props.file.size, i18n.language) })}</p>}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {t(`fieldErrors.${props.error.code}`, { defaultValue: t('fieldErrors.invalid') })}
        </p>
      )}
    </div>
  );
}

type T = (key: string, opts?: Record<string, unknown>) => string;

function entryTitle(t: T, e: OfflineEntry): string {
  return e.title ?? (excerpt(e.excerpt, 80) || t(`offline.kind.${e.kind}`));
}

function entryLink(slug: string, e: OfflineEntry): string {
  return e.kind === 'idea' ? `/processes/${slug}/ideas/${e.id}` : `/documents/${e.document_id}#p-${e.paragraph_key}`;
}

/** Entries lists what the owners entered, newest first, with each scan to download. */
function Entries({ entries }: { entries: ReturnType<typeof useOfflineEntries> }) {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const list = useRef<HTMLUListElement>(null);
  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="offline-entries" aria-labelledby="entries-heading">
      <h2 id="entries-heading">{t('offline.list.title')}</h2>
      {items.length === 0 ? (
        <p className="list-status">{t('offline.list.none')}</p>
      ) : (
        <ul className="entry-list" ref={list}>
          {items.map((e) => (
            <Entry key={`${e.kind}-${e.id}`} slug={slug} entry={e} />
          ))}
        </ul>
      )}
      <LoadMore pages={entries} label={t('offline.list.more')} count={items.length} listRef={list} focusSelector="a" />
    </section>
  );
}

function Entry({ slug, entry: e }: { slug: string; entry: OfflineEntry }) {
  const { t, i18n } = useTranslation();
  const received = e.received_on ? formatDate(`${e.received_on}T12:00:00Z`, i18n.language) : '';
  return (
    <li className="entry-row">
      <p className="my-kind">
        {t(`offline.kind.${e.kind}`)}
        {e.state !== 'published' && <span className="badge badge-pending">{t(`offline.list.state.${e.state}`)}</span>}
      </p>
      <p className="entry-title">
        <Link to={entryLink(slug, e)}>{entryTitle(t, e)}</Link>
      </p>
      <p className="entry-meta">
        {e.contributor
          ? t(`offline.received.${e.channel}`, { name: e.contributor, date: received })
          : t(`offline.receivedAnonymous.${e.channel}`, { date: received })}{' '}
        {t('offline.list.enteredBy', { name: e.entered_by, when: formatDateTime(e.created_at, i18n.language) })}
      </p>
      {e.attachment && <ScanButton scan={e.attachment} />}
    </li>
  );
}

/** ScanButton downloads an entry's private scan, saying when it is busy or refused. */
function ScanButton({ scan }: { scan: ContributionAttachment }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  return (
    <p className="entry-scan">
      <button
        type="button"
        className="secondary"
        disabled={state.busy}
        aria-busy={state.busy}
        onClick={() => {
          setState({ busy: true, error: null });
          downloadScan(scan).then(
            () => setState({ busy: false, error: null }),
            (error: unknown) => setState({ busy: false, error }),
          );
        }}
      >
        {t('offline.list.download', { name: scan.filename, size: fileSize(scan.size_bytes, i18n.language) })}
      </button>
      {state.error != null && (
        <span role="alert" className="field-error">
          {' '}
          {errorText(t, state.error)}
        </span>
      )}
    </p>
  );
}
