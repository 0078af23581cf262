import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { focusChoice, RadioGroup } from '../../components/RadioGroup';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { reasonChoices } from './format';
import { useFlag } from './mutations';
import { rulesInOrder, useHouseRules } from './queries';

/**
 * ReportForm reports a comment or an idea as breaking one of the process's
 * house rules, with an optional note for the moderators. Signed-out people get
 * a link to sign in instead. onDone receives what to tell the person: thanks,
 * or that they had already reported it.
 */
export function ReportForm({ target, slug, onDone, onCancel }: { target: { type: 'comment' | 'idea'; id: number }; slug: string | undefined; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const headingId = useId();
  const rules = useHouseRules(slug);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const group = useRef<HTMLFieldSetElement>(null);
  const signIn = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (account) focusChoice(group.current);
    else signIn.current?.focus();
  }, [account]);

  const report = useFlag(target);
  const send = () => report.mutate({ reason, note }, { onSuccess: (r) => onDone(r === 'already' ? t('report.already') : t('report.thanks')) });

  if (!account) {
    return (
      <div className="report-box">
        <p>
          <Link to="/login" state={{ from: location.pathname + location.hash }} ref={signIn}>
            {t('report.signIn')}
          </Link>{' '}
          <button type="button" className="link-button" onClick={onCancel}>
            {t('report.cancel')}
          </button>
        </p>
      </div>
    );
  }
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- Escape from the form's controls cancels
    <form
      className="report-box"
      aria-labelledby={headingId}
      onSubmit={handleSubmit(send)}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p id={headingId} className="report-title">
        {t(`report.title.${target.type}`)}
      </p>
      <ErrorSummary error={report.error} />
      <RadioGroup
        name="reason"
        legend={t('report.reason')}
        choices={reasonChoices(t, rulesInOrder(rules.data))}
        value={reason}
        onChange={setReason}
        error={fieldError(report.error, 'reason')}
        groupRef={group}
      />
      <TextAreaField name="note" label={t('report.note')} hint={t('report.noteHint')} required={false} value={note} maxLength={1000} rows={2} onChange={setNote} error={fieldError(report.error, 'note')} />
      <div className="form-actions">
        <SubmitButton pending={report.isPending}>{t('report.send')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('report.cancel')}
        </button>
      </div>
    </form>
  );
}
