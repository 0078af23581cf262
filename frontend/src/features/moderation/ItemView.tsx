import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppError, type FieldError } from '../../api/client';
import { errorText } from '../../components/status';
import { ageText, placeOf, reasonChoices, reasonName } from './format';
import type { HouseRule, ModerationDecisionInput, ModerationItemDetail, ReasonCode } from './queries';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, useSubmit } from '../../components/form';
import { formatDateTime } from '../../lib/format';
import { focusChoice, RadioGroup } from '../../components/RadioGroup';

/** Picker is the decision form open in the item view, if any. */
export type Picker = 'reject' | 'redact' | null;

/** Decider records a decision on the open item; from a form, failures other than "stale" are thrown back to it. */
export type Decider = (outcome: ModerationDecisionInput['outcome'], extra?: Omit<ModerationDecisionInput, 'outcome' | 'version'>, fromForm?: boolean) => Promise<void>;

/**
 * ItemView shows the open item in its context, with everything a moderator
 * weighs (the screen's verdicts, the flags, earlier decisions, the author's
 * history) and a button for each decision.
 */
export function ItemView(props: {
  slug: string;
  detail: ModerationItemDetail;
  rules: HouseRule[];
  picker: Picker;
  setPicker: (p: Picker) => void;
  error: unknown;
  busy: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onDecide: Decider;
}) {
  const { t, i18n } = useTranslation();
  const { detail: d, picker } = props;
  const it = d.item;
  const kind = it.target.type;
  const place = placeOf(it.target, props.slug);
  const lang = i18n.language;
  const rejectButton = useRef<HTMLButtonElement>(null);
  const redactButton = useRef<HTMLButtonElement>(null);
  const stale = props.error instanceof AppError && props.error.code === 'moderation.stale';

  function closePicker(back: RefObject<HTMLButtonElement | null>) {
    props.setPicker(null);
    setTimeout(() => (back.current ?? props.headingRef.current)?.focus(), 0);
  }

  let lease: string;
  if (it.claimed_by_me && it.lease_until) lease = t('moderation.item.leaseMine', { time: formatDateTime(it.lease_until, lang) });
  else if (it.lease_until && Date.parse(it.lease_until) > Date.now()) lease = t('moderation.item.leaseOther', { time: formatDateTime(it.lease_until, lang) });
  else lease = t('moderation.item.leaseNone');

  return (
    <section className="item-view" aria-labelledby="item-heading">
      <h2 id="item-heading" tabIndex={-1} ref={props.headingRef}>
        {t(`moderation.item.heading.${kind}`, { name: it.author.name })}
      </h2>
      <p className="item-tags">
        <span className="status-tag">{t(`moderation.cause.${it.cause}`)}</span>
        <span className="status-tag">{t(`moderation.status.${it.status}`)}</span>
        {it.campaign && <span className="tag-campaign">{t('moderation.queue.campaign')}</span>}
        <span className="item-age">{t('moderation.item.waiting', { age: ageText(t, it.created_at) })}</span>
      </p>
      <p className="lease">{lease}</p>
      {props.error != null && (
        <div role="alert" className="error">
          <p>{errorText(t, props.error)}</p>
          {stale && <p>{t('moderation.item.reloaded')}</p>}
        </div>
      )}

      {d.context !== '' && d.context !== it.title && (
        <div className="item-context">
          <p className="quote-label">{t(it.target.document_id != null ? 'moderation.item.onParagraph' : kind === 'idea' ? 'moderation.item.context' : 'moderation.item.onIdea')}</p>
          <blockquote>
            <p>{d.context}</p>
          </blockquote>
        </div>
      )}
      <div className="item-contribution">
        {it.title && <h3 className="item-title">{it.title}</h3>}
        {/* body_html is Markdown rendered and sanitised by the server. */}
        <div className="item-body" dangerouslySetInnerHTML={{ __html: it.body_html }} />
      </div>
      {place && (
        <p>
          <Link to={place}>{t(`moderation.item.see.${kind}`)}</Link>
        </p>
      )}

      <div className="decision-actions" role="group" aria-label={t('moderation.item.decide')}>
        {/* (not disabled while a decision is sent: a disabled button would drop the focus) */}
        <button type="button" aria-keyshortcuts="a" aria-busy={props.busy} onClick={() => void props.onDecide('approve')}>
          {t('moderation.item.approve')}
        </button>
        <button type="button" className="secondary" ref={rejectButton} aria-keyshortcuts="r" aria-expanded={picker === 'reject'} onClick={() => props.setPicker(picker === 'reject' ? null : 'reject')}>
          {t('moderation.item.reject')}
        </button>
        <button type="button" className="secondary" ref={redactButton} aria-expanded={picker === 'redact'} onClick={() => props.setPicker(picker === 'redact' ? null : 'redact')}>
          {t('moderation.item.redact')}
        </button>
        {it.state !== 'escalated' && (
          <button type="button" className="secondary" aria-keyshortcuts="e" aria-busy={props.busy} onClick={() => void props.onDecide('escalate')}>
            {t('moderation.item.escalate')}
          </button>
        )}
      </div>
      {picker === 'reject' && <RejectForm rules={props.rules} onDecide={props.onDecide} onCancel={() => closePicker(rejectButton)} />}
      {picker === 'redact' && <RedactForm body={it.body} rules={props.rules} onDecide={props.onDecide} onCancel={() => closePicker(redactButton)} />}

      {d.appeal_note != null && (
        <div className="item-appeal">
          <h3>{t('moderation.item.appealNote')}</h3>
          <p>{d.appeal_note}</p>
        </div>
      )}
      {d.original_body != null && (
        <div className="item-original">
          <h3>{t('moderation.item.original')}</h3>
          <blockquote>
            <p className="preserve">{d.original_body}</p>
          </blockquote>
        </div>
      )}

      <h3>{t('moderation.item.screen')}</h3>
      {it.screen.length === 0 ? (
        <p>{t('moderation.item.screenNone')}</p>
      ) : (
        <ul>
          {it.screen.map((v, i) => (
            <li key={i}>
              {t(`moderation.screenRule.${v.rule}`, { defaultValue: v.rule })}
              {v.detail && `: ${v.detail}`}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('moderation.item.flags', { count: d.flag_list.length })}</h3>
      {d.flag_list.length === 0 ? (
        <p>{t('moderation.item.flagsNone')}</p>
      ) : (
        <ul className="flag-list">
          {d.flag_list.map((f, i) => (
            <li key={i}>
              <strong>{reasonName(t, f.reason)}</strong> {t('moderation.item.weight', { weight: f.weight })} · <time dateTime={f.created_at}>{formatDateTime(f.created_at, lang)}</time>
              {f.note && <p className="flag-note">{f.note}</p>}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('moderation.item.decisions')}</h3>
      {d.decisions.length === 0 ? (
        <p>{t('moderation.item.decisionsNone')}</p>
      ) : (
        <ol className="decision-list">
          {d.decisions.map((dec) => (
            <li key={dec.id}>
              <strong>{t(`moderation.outcome.${dec.outcome}`)}</strong>
              {dec.reason && ` (${reasonName(t, dec.reason)})`}
              {dec.on_appeal && ` · ${t('moderation.item.onAppeal')}`}
              {dec.moderator_id == null && ` · ${t('moderation.item.automatic')}`} · <time dateTime={dec.created_at}>{formatDateTime(dec.created_at, lang)}</time>
              {dec.explanation && <p className="decision-explanation">{dec.explanation}</p>}
            </li>
          ))}
        </ol>
      )}

      <h3>{t('moderation.item.history')}</h3>
      <p>{t('moderation.item.historyCounts', { approved: d.history.approved, rejected: d.history.rejected })}</p>
      {d.history.recent.length > 0 && (
        <ul className="history-list">
          {d.history.recent.map((h) => (
            <li key={`${h.type}-${h.id}`}>
              {t(`moderation.kind.${h.type}`)}: “{h.excerpt}” · {t(`moderation.status.${h.status}`, { defaultValue: h.status })} · <time dateTime={h.created_at}>{formatDateTime(h.created_at, lang)}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * RejectForm is the reject reason picker: the focus starts on the reasons
 * (arrow keys choose), Enter on a reason or Ctrl+Enter in the explanation
 * confirms, Escape cancels.
 */
function RejectForm({ rules, onDecide, onCancel }: { rules: HouseRule[]; onDecide: Decider; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [explanation, setExplanation] = useState('');
  const group = useRef<HTMLFieldSetElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => focusChoice(group.current), []);
  const form = useSubmit(async () => {
    const fields: FieldError[] = [];
    if (reason === '') fields.push({ field: 'reason', code: 'choose', message: '' });
    if (explanation.trim() === '') fields.push({ field: 'explanation', code: 'required', message: '' });
    if (fields.length > 0) throw new AppError('moderation.invalid', 422, fields);
    await onDecide('reject', { reason: reason as ReasonCode, explanation: explanation.trim() }, true);
  });
  return (
    <form
      className="decision-form"
      ref={formRef}
      data-shortcuts="off"
      aria-labelledby="reject-heading"
      onSubmit={form.onSubmit}
      noValidate
      onKeyDown={(e) => {
        const target = e.target as HTMLElement;
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        } else if (e.key === 'Enter' && (target instanceof HTMLInputElement && target.type === 'radio' ? true : target instanceof HTMLTextAreaElement && (e.ctrlKey || e.metaKey))) {
          e.preventDefault();
          formRef.current?.requestSubmit();
        }
      }}
    >
      <h3 id="reject-heading">{t('moderation.reject.title')}</h3>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <RadioGroup name="reason" legend={t('moderation.reject.reason')} choices={reasonChoices(t, rules)} value={reason} onChange={setReason} error={form.fieldError('reason')} groupRef={group} />
      <TextAreaField
        name="explanation"
        label={t('moderation.reject.explanation')}
        hint={t('moderation.reject.explanationHint')}
        value={explanation}
        maxLength={2000}
        rows={3}
        onChange={setExplanation}
        error={form.fieldError('explanation')}
      />
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('moderation.reject.confirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}

/** RedactForm publishes the contribution with personal data taken out: the text starts as the author wrote it. */
function RedactForm({ body, rules, onDecide, onCancel }: { body: string; rules: HouseRule[]; onDecide: Decider; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(body);
  const [reason, setReason] = useState<string>('personal_data');
  const [explanation, setExplanation] = useState('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  const form = useSubmit(async () => {
    if (text.trim() === '') throw new AppError('moderation.invalid', 422, [{ field: 'redacted_body', code: 'required', message: '' }]);
    await onDecide('redact', { reason: reason as ReasonCode, redacted_body: text, explanation: explanation.trim() || undefined }, true);
  });
  return (
    <form
      className="decision-form"
      data-shortcuts="off"
      aria-labelledby="redact-heading"
      onSubmit={form.onSubmit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <h3 id="redact-heading">{t('moderation.redact.title')}</h3>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <div ref={box}>
        <TextAreaField name="redacted_body" label={t('moderation.redact.body')} hint={t('moderation.redact.bodyHint')} value={text} maxLength={10000} rows={6} onChange={setText} error={form.fieldError('redacted_body')} />
      </div>
      <SelectField name="reason" label={t('moderation.redact.reason')} value={reason} options={rules.map((r) => ({ value: r.code, label: reasonName(t, r.code) }))} onChange={setReason} error={form.fieldError('reason')} />
      <TextAreaField name="explanation" label={t('moderation.redact.explanation')} required={false} value={explanation} maxLength={2000} rows={2} onChange={setExplanation} error={form.fieldError('explanation')} />
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('moderation.redact.confirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}
