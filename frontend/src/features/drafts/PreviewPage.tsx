import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorSummary } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { RadioGroup } from '../../components/RadioGroup';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { fieldError, FormCheck, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { DiffParagraph, Legend } from '../documents/DiffPage';
import { DocumentText } from '../documents/DocumentText';
import { DateTimeField, fromLocalInput, toLocalInput } from './fields';
import { usePublishVersion, type CommentWindow } from './mutations';
import { useDocumentVersions, usePreview, type VersionPreview } from './queries';

/** PreviewPage shows an unpublished version as readers will see it and what publishing it will do, then publishes it: /documents/:id/v/:number/preview. */
export function PreviewPage() {
  const { id = '', number = '' } = useParams();
  const { t } = useTranslation();
  const docId = /^[1-9]\d{0,17}$/.test(id) ? Number(id) : 0;
  const n = /^[1-9]\d{0,5}$/.test(number) ? Number(number) : 0;
  const preview = usePreview(docId, n);
  const doc = useDocumentVersions(docId, docId > 0);
  const slug = doc.data?.process_slug ?? '';
  const process = useProcess(slug, slug !== '');
  const err = preview.error instanceof AppError ? preview.error : null;
  const notFound = docId === 0 || n === 0 || err?.status === 404;
  const title = preview.data ? t('draftAdmin.previewTitle', { number: n, title: preview.data.version.title }) : undefined;
  useDocumentTitle(title, notFound);

  if (notFound) return <NotFound title={t('reader.notFoundTitle')} body={t('reader.notFoundBody')} />;
  let content;
  if (preview.isPending) {
    content = <Loading />;
  } else if (err?.code === 'document.version_published') {
    content = (
      <p className="notice-box">
        {t('draftAdmin.alreadyPublished', { number: n })} <Link to={`/documents/${docId}/v/${n}`}>{t('draftAdmin.readIt')}</Link>
      </p>
    );
  } else if (preview.isError) {
    content = <ErrorMessage error={preview.error} />;
  } else {
    content = <Preview docId={docId} pv={preview.data} />;
  }
  return (
    <div className="preview-page">
      {slug && (
        <p className="breadcrumb">
          <Link to={`/processes/${slug}/drafts`}>{t('draftAdmin.backToDrafts', { process: process.data?.title ?? slug })}</Link>
        </p>
      )}
      <h1>{title ?? t('draftAdmin.previewTitleShort')}</h1>
      {content}
    </div>
  );
}

function Preview({ docId, pv }: { docId: number; pv: VersionPreview }) {
  const { t } = useTranslation();
  const v = pv.version;
  const [onlyChanges, setOnlyChanges] = useState(true);
  const headings = v.blocks.filter((b) => b.kind === 'heading');
  const diff = onlyChanges ? pv.diff.filter((p) => p.change !== 'same') : pv.diff;
  return (
    <>
      {v.note && <p className="version-note">{v.note}</p>}
      <section aria-labelledby="preview-effects">
        <h2 id="preview-effects">{t('draftAdmin.effects')}</h2>
        <Changes pv={pv} />
        {pv.previous_number != null && <CommentFates pv={pv} />}
      </section>
      {v.dropped.length > 0 && <DroppedLines v={v} />}
      <PublishForm docId={docId} pv={pv} />
      {headings.length > 0 && (
        <section aria-labelledby="preview-outline">
          <h2 id="preview-outline">{t('draftAdmin.outline')}</h2>
          <p className="hint">{t('draftAdmin.outlineHint')}</p>
          <ul className="outline" lang={v.language}>
            {headings.map((h) => (
              // A heading's number (its section) is the start of its text, as the document wrote it.
              <li key={h.key} className={`outline-level-${Math.min(6, Math.max(1, h.level))}`}>
                {h.text}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="preview-text">
        <h2 id="preview-text">{t('draftAdmin.asReaders')}</h2>
        <div className="reader-text preview-text" lang={v.language}>
          <DocumentText
            version={v}
            interactive={false}
            openKey={null}
            selection={{ kind: 'none' }}
            onToggle={() => {}}
            onOpen={() => {}}
            onTakePhrase={() => {}}
            inlinePanel={() => null}
          />
        </div>
      </section>
      {pv.previous_number != null && (
        <section aria-labelledby="preview-diff">
          <h2 id="preview-diff">{t('draftAdmin.diffTitle', { number: pv.previous_number })}</h2>
          <Legend />
          <div className="field-inline">
            <input id="preview-only-changes" type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} />
            <label htmlFor="preview-only-changes">{t('diff.onlyChanges')}</label>
          </div>
          {diff.length === 0 ? (
            <p>{t('draftAdmin.noChange')}</p>
          ) : (
            <ol className="diff-list" lang={v.language} aria-labelledby="preview-diff">
              {diff.map((p) => (
                <DiffParagraph key={`${p.key}-${p.change}`} p={p} />
              ))}
            </ol>
          )}
        </section>
      )}
    </>
  );
}

/**
 * DroppedLines lists what the import left out of the text as page furniture
 * (running headers and footers, page numbers, contents and leader lines), so
 * that the owner can check that no line of the text is among them.
 */
function DroppedLines({ v }: { v: VersionPreview['version'] }) {
  const { t } = useTranslation();
  const total = v.dropped.reduce((n, d) => n + d.count, 0);
  return (
    <section aria-labelledby="preview-dropped">
      <h2 id="preview-dropped">{t('draftAdmin.dropped.title', { count: total })}</h2>
      <p className="hint">{t('draftAdmin.dropped.hint')}</p>
      <ul className="dropped-lines">
        {v.dropped.map((d, i) => (
          <li key={i}>
            <q lang={v.language}>{d.text}</q> <span className="dropped-why">{t('draftAdmin.dropped.why', { reason: t(`draftAdmin.dropped.reasons.${d.reason}`), times: t('draftAdmin.dropped.times', { count: d.count }) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Changes({ pv }: { pv: VersionPreview }) {
  const { t } = useTranslation();
  const c = pv.changes;
  if (pv.previous_number == null) return <p>{t('draftAdmin.firstVersion', { count: c.new })}</p>;
  const rows: [string, number][] = [
    ['new', c.new],
    ['edited', c.edited],
    ['moved', c.moved],
    ['deleted', c.deleted],
    ['same', c.same],
  ];
  return (
    <>
      <h3>{t('draftAdmin.changesTitle', { number: pv.previous_number })}</h3>
      <ul className="effect-counts">
        {rows.map(([k, n]) => (
          <li key={k}>
            <span className="effect-count">{n}</span> {t(`draftAdmin.changes.${k}`, { count: n })}
          </li>
        ))}
      </ul>
    </>
  );
}

function CommentFates({ pv }: { pv: VersionPreview }) {
  const { t } = useTranslation();
  const c = pv.comments;
  const total = c.exact + c.moved + c.fuzzy + c.orphaned;
  if (total === 0) return <p>{t('draftAdmin.noComments')}</p>;
  const rows: [string, number][] = [
    ['exact', c.exact],
    ['moved', c.moved],
    ['fuzzy', c.fuzzy],
    ['orphaned', c.orphaned],
  ];
  return (
    <>
      <h3>{t('draftAdmin.commentsTitle', { count: total })}</h3>
      <ul className="effect-counts">
        {rows.map(([k, n]) => (
          <li key={k}>
            <span className="effect-count">{n}</span> {t(`draftAdmin.fates.${k}`, { count: n })}
          </li>
        ))}
      </ul>
    </>
  );
}

function PublishForm({ docId, pv }: { docId: number; pv: VersionPreview }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const v = pv.version;
  const own = v.opens_at != null || v.closes_at != null;
  const [mode, setMode] = useState<'phase' | 'own'>(own ? 'own' : 'phase');
  const [opens, setOpens] = useState(toLocalInput(v.opens_at));
  const [closes, setCloses] = useState(toLocalInput(v.closes_at));
  const [confirming, setConfirming] = useState(false);
  const [checked, setChecked] = useState<FormCheck | null>(null);
  const publish = usePublishVersion(docId, v.number);
  const error = checked ?? publish.error;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function chosenWindow(): CommentWindow {
    return mode === 'own' ? { opens_at: fromLocalInput(opens), closes_at: fromLocalInput(closes) } : { opens_at: null, closes_at: null };
  }

  // The checks the server makes, before asking to confirm.
  function check(): FormCheck | null {
    if (mode !== 'own') return null;
    const fields = [];
    if (opens.trim() && !fromLocalInput(opens)) fields.push({ field: 'opens_at', code: 'date', message: '' });
    if (closes.trim() && !fromLocalInput(closes)) fields.push({ field: 'closes_at', code: 'date', message: '' });
    const w = chosenWindow();
    if (w.opens_at && w.closes_at && w.closes_at <= w.opens_at) fields.push({ field: 'closes_at', code: 'order', message: '' });
    if (!opens.trim() && !closes.trim()) fields.push({ field: 'opens_at', code: 'required', message: '' });
    return fields.length ? new FormCheck('document.invalid', fields) : null;
  }

  function ask() {
    const refused = check();
    setChecked(refused);
    if (!refused) {
      publish.reset();
      setConfirming(true);
    }
  }

  function confirm() {
    publish.mutate(chosenWindow(), { onSuccess: () => navigate(`/documents/${docId}`) });
  }

  const w = chosenWindow();
  const summary =
    mode === 'phase'
      ? t('draftAdmin.windowPhase')
      : t('draftAdmin.windowOwn', {
          opens: w.opens_at ? formatDateTime(w.opens_at, i18n.language) : t('draftAdmin.now'),
          closes: w.closes_at ? formatDateTime(w.closes_at, i18n.language) : t('draftAdmin.noEnd'),
        });
  return (
    <section aria-labelledby="preview-publish">
      <h2 id="preview-publish">{t('draftAdmin.publishTitle')}</h2>
      <form className="publish-form" onSubmit={handleSubmit(ask)} noValidate>
        <ErrorSummary error={confirming ? null : error} />
        <RadioGroup
          name="window"
          legend={t('draftAdmin.window')}
          value={mode}
          onChange={(m) => {
            setMode(m === 'own' ? 'own' : 'phase');
            setConfirming(false);
          }}
          choices={[
            { value: 'phase', label: t('draftAdmin.windowPhaseChoice'), hint: t('draftAdmin.windowPhaseHint') },
            { value: 'own', label: t('draftAdmin.windowOwnChoice'), hint: t('draftAdmin.windowOwnHint') },
          ]}
        />
        <div hidden={mode !== 'own'} className="window-dates">
          <DateTimeField
            name="opens_at"
            label={t('draftAdmin.opensAt')}
            hint={t('draftAdmin.zoneHint', { zone })}
            value={opens}
            onChange={(x) => {
              setOpens(x);
              setConfirming(false);
            }}
            error={fieldError(error, 'opens_at')}
          />
          <DateTimeField
            name="closes_at"
            label={t('draftAdmin.closesAt')}
            value={closes}
            onChange={(x) => {
              setCloses(x);
              setConfirming(false);
            }}
            error={fieldError(error, 'closes_at')}
          />
        </div>
        {!confirming && (
          <div className="form-actions">
            <button type="submit">{t('draftAdmin.publish', { number: v.number })}</button>
          </div>
        )}
      </form>
      {confirming && (
        <ConfirmStep
          question={t('draftAdmin.confirm', { number: v.number, window: summary })}
          confirmLabel={t('draftAdmin.confirmPublish', { number: v.number })}
          cancelLabel={t('draftAdmin.cancel')}
          pending={publish.isPending}
          error={publish.error}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
