import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useCanManageProcess, useProcess, useProcessDocuments } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { useSaveImplementationSettings } from './mutations';
import { useImplementationSettings, type ImplementationSettings } from './queries';

/**
 * ImplementationSettingsPage is where an owner sets N of the status rule,
 * the public holidays the answer clocks skip and which draft is the
 * self-assessment report: /processes/:slug/commitments/settings.
 */
export function ImplementationSettingsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const settings = useImplementationSettings(slug);
  const manage = useCanManageProcess(slug, account);
  useDocumentTitle(t('commitments.settings.title'));
  if (settings.error instanceof AppError && settings.error.status === 404) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (settings.isPending || manage.checking) return <Loading />;
  if (settings.isError) return <ErrorMessage error={settings.error} />;
  if (!manage.allowed) {
    return (
      <div className="commitment-form-page">
        <h1>{t('commitments.settings.title')}</h1>
        <p>{t('commitments.settings.notOwner')}</p>
      </div>
    );
  }
  return <SettingsForm slug={slug} settings={settings.data} />;
}

function SettingsForm({ slug, settings }: { slug: string; settings: ImplementationSettings }) {
  const { t } = useTranslation();
  const process = useProcess(slug);
  const docs = useProcessDocuments(slug);
  const [days, setDays] = useState(String(settings.at_risk_days));
  const [holidays, setHolidays] = useState(settings.holidays);
  const [selfAssessment, setSelfAssessment] = useState(settings.self_assessment_id != null ? String(settings.self_assessment_id) : '');
  const [saved, setSaved] = useState(false);
  const save = useSaveImplementationSettings(slug);
  const error = save.error;
  const submit = () => {
    setSaved(false);
    // A number the server refuses (or none) is sent as 0, which it names as out of range.
    const n = /^\d{1,3}$/.test(days.trim()) ? Number(days.trim()) : NaN;
    save.mutate(
      { at_risk_days: Number.isNaN(n) ? 0 : n, holidays, self_assessment_id: selfAssessment ? Number(selfAssessment) : null },
      { onSuccess: () => setSaved(true) },
    );
  };
  return (
    <div className="commitment-form-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('commitments.settings.title')}</h1>
      <p className="lead">{t('commitments.settings.intro', { months: settings.update_interval_months, reminder: settings.reminder_days, target: settings.answer_target_days })}</p>
      <form className="commitment-form" onSubmit={handleSubmit(submit)} noValidate>
        <ErrorSummary error={error} />
        {saved && (
          <p role="status" className="notice">
            {t('commitments.settings.saved')}
          </p>
        )}
        <Field name="at_risk_days" type="number" min={1} max={365} label={t('commitments.settings.atRiskDays')} hint={t('commitments.settings.atRiskHint')}
          value={days} onChange={setDays} error={fieldError(error, 'at_risk_days')} />
        <SelectField name="self_assessment" label={t('commitments.settings.selfAssessment')} hint={t('commitments.settings.selfAssessmentHint')} required={false}
          value={selfAssessment} onChange={setSelfAssessment}
          options={[{ value: '', label: t('commitments.settings.noSelfAssessment') }, ...(docs.data ?? []).map((d) => ({ value: String(d.id), label: d.title }))]}
          error={fieldError(error, 'self_assessment_id')} />
        <fieldset>
          <legend>{t('commitments.settings.holidays')}</legend>
          <p className="hint">{t('commitments.settings.holidaysHint')}</p>
          <div className="repeat-rows">
            {holidays.map((h, i) => (
              <div key={i} className="row-grid">
                <Field name={`holiday-day-${i}`} type="date" label={t('commitments.settings.holidayDay', { n: i + 1 })} value={h.day}
                  onChange={(v) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, day: v } : x)))} error={fieldError(error, `holidays[${i}].day`)} />
                <Field name={`holiday-name-${i}`} label={t('commitments.settings.holidayName', { n: i + 1 })} value={h.name}
                  onChange={(v) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, name: v } : x)))} error={fieldError(error, `holidays[${i}].name`)} />
                <p>
                  <button type="button" className="secondary" onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}>
                    {t('commitments.settings.removeHoliday', { n: i + 1 })}
                  </button>
                </p>
              </div>
            ))}
          </div>
          <button type="button" className="secondary" onClick={() => setHolidays([...holidays, { day: '', name: '' }])}>
            {t('commitments.settings.addHoliday')}
          </button>
        </fieldset>
        <div className="form-actions">
          <SubmitButton pending={save.isPending}>{t('commitments.settings.save')}</SubmitButton>
          <Link to={`/processes/${slug}/commitments`}>{t('commitments.settings.back')}</Link>
        </div>
      </form>
    </div>
  );
}
