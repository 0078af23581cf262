import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { AppError } from '../../api/client';
import { flag } from './actions';
import { reasonChoices } from './format';
import { rulesInOrder, useHouseRules, type ReasonCode } from './queries';
import { ErrorSummary, SubmitButton, TextAreaField, useSubmit } from '../../components/form';
import { useAccount } from '../../lib/useAccount';
import { focusChoice, RadioGroup } from '../../components/RadioGroup';

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

  const form = useSubmit(async () => {
    if (reason === '') throw new AppError('moderation.invalid', 422, [{ field: 'reason', code: 'choose', message: '' }]);
    try {
      await flag(target, { reason: reason as ReasonCode, ...(note.trim() ? { note: note.trim() } : {}) });
    } catch (err) {
      if (err instanceof AppError && err.code === 'moderation.already_flagged') {
        onDone(t('report.already'));
        return;
      }
      throw err;
    }
    onDone(t('report.thanks'));
  });

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
    <form
      className="report-box"
      aria-labelledby={headingId}
      onSubmit={form.onSubmit}
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
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <RadioGroup
        name="reason"
        legend={t('report.reason')}
        choices={reasonChoices(t, rulesInOrder(rules.data))}
        value={reason}
        onChange={setReason}
        error={form.fieldError('reason')}
        groupRef={group}
      />
      <TextAreaField name="note" label={t('report.note')} hint={t('report.noteHint')} required={false} value={note} maxLength={1000} rows={2} onChange={setNote} error={form.fieldError('note')} />
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('report.send')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('report.cancel')}
        </button>
      </div>
    </form>
  );
}
