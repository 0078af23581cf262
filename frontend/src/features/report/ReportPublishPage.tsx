import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, errorText, useDocumentTitle } from '../../components/status';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { parseRefs, usePublishReport, useReportPreview, type ReportJob } from './queries';
import { ReportView } from './ReportView';
import './report.css';

/**
 * ReportPublishPage is where a process's owners prepare its close-out report
 * (/processes/:slug/reports/new): choose the scope and the representative
 * contributions, preview the report computed live, then publish it frozen.
 * Both are made in the background (Prefer: respond-async); the page follows
 * the job and shows its progress step by step.
 */
export function ReportPublishPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const process = useProcess(slug);
  const manage = useCanManageProcess(slug, account);
  const [phase, setPhase] = useState('');
  const [refs, setRefs] = useState('');
  const [asked, setAsked] = useState<{ phase: string; refs: string } | null>(null);
  const preview = useReportPreview(slug, asked?.phase ?? '', asked?.refs ?? '', asked != null && manage.allowed);
  const publish = usePublishReport(slug);
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(t('closeout.prepare.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (process.isPending || manage.checking) return <Loading />;
  if (!manage.allowed) {
    return (
      <div>
        <ProcessCrumb slug={slug} title={process.data?.title} />
        <h1>{t('closeout.prepare.title')}</h1>
        <p role="alert">{account ? t('errors.report.not_owner') : t('closeout.prepare.signIn')}</p>
      </div>
    );
  }

  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    publish.reset();
    setAsked({ phase, refs: parseRefs(refs).join(',') });
  };
  const stale = asked != null && (asked.phase !== phase || asked.refs !== parseRefs(refs).join(','));
  const fieldError = (field: string) => {
    const err = preview.error ?? publish.error;
    if (!(err instanceof AppError)) return undefined;
    const f = err.fields.find((x) => x.field === field || x.field.startsWith(`${field}[`));
    return f ? { code: f.code } : undefined;
  };
  const phases = process.data?.phases ?? [];
  return (
    <div className="report-prepare">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('closeout.prepare.title')}</h1>
      <p className="lead">{t('closeout.prepare.intro')}</p>
      <form onSubmit={onPreview} noValidate className="report-form">
        <SelectField
          name="phase"
          label={t('closeout.prepare.scope')}
          value={phase}
          onChange={setPhase}
          required={false}
          error={fieldError('phase')}
          options={[{ value: '', label: t('closeout.wholeProcess') }, ...phases.map((ph) => ({ value: ph.kind, label: t(`phase.${ph.kind}`) }))]}
        />
        <TextAreaField
          name="representative"
          label={t('closeout.prepare.representative')}
          hint={t('closeout.prepare.representativeHint')}
          value={refs}
          onChange={setRefs}
          required={false}
          rows={3}
          error={fieldError('representative')}
        />
        <SubmitButton pending={preview.working}>{t('closeout.prepare.preview')}</SubmitButton>
      </form>
      <div role="status" aria-live="polite">
        {preview.working && <JobProgress job={preview.job} label={t('closeout.prepare.generating')} />}
        {preview.report && !publish.working && publish.number == null && <p className="visually-hidden">{t('closeout.prepare.previewReady')}</p>}
        {publish.number != null && (
          <div className="notice-box">
            <p>{t('closeout.prepare.published', { number: publish.number })}</p>
            <p>
              <Link to={`/processes/${slug}/reports/${publish.number}`}>{t('closeout.prepare.readPublished', { number: publish.number })}</Link>
            </p>
          </div>
        )}
      </div>
      {preview.error && <ErrorSummary error={preview.error}>{<p>{fieldMessage(t, preview.error)}</p>}</ErrorSummary>}
      {preview.report && publish.number == null && (
        <section aria-labelledby="preview-heading" className="report-preview">
          <h2 id="preview-heading">{t('closeout.prepare.previewTitle')}</h2>
          {stale && <p className="notice-box">{t('closeout.prepare.stale')}</p>}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!asked) return;
              publish.mutate({ phase: asked.phase || null, representative: asked.refs ? asked.refs.split(',') : [] });
            }}
          >
            <p>{t('closeout.prepare.publishNote')}</p>
            {publish.error && <ErrorMessage error={publish.error} />}
            <SubmitButton pending={publish.working}>{t('closeout.prepare.publish')}</SubmitButton>
            {publish.working && <JobProgress job={publish.job} label={t('closeout.prepare.publishing')} />}
          </form>
          <ReportView report={preview.report} />
        </section>
      )}
    </div>
  );
}

/** JobProgress shows how far a report job got: a progress bar and its step count in words. */
function JobProgress({ job, label }: { job: ReportJob | undefined; label: string }) {
  const { t } = useTranslation();
  const total = job?.progress.total ?? 0;
  const step = job?.progress.step ?? 0;
  return (
    <p className="loading">
      {total > 0 ? <progress aria-label={label} max={total} value={step} /> : <progress aria-label={label} />}
      {label}{' '}
      {job?.state === 'queued' ? t('closeout.prepare.queued') : total > 0 ? t('closeout.prepare.progress', { step, total }) : null}
    </p>
  );
}

/** fieldMessage says which representative contribution was refused, or what went wrong. */
function fieldMessage(t: (key: string, opts?: Record<string, unknown>) => string, err: unknown): string {
  if (err instanceof AppError && err.fields.length > 0) {
    return err.fields.map((f) => t(`closeout.prepare.field.${f.code}`, { field: f.field, defaultValue: errorText(t, err) })).join(' ');
  }
  return errorText(t, err);
}
