import { useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppError } from '../../api/client';
import { errorText } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { RedactForm, RejectForm } from './DecisionForms';
import { ageText, leasedNow, placeOf, reasonName } from './format';
import type { HouseRule, ModerationDecisionInput, ModerationItemDetail } from './queries';

/** Picker is the decision form open in the item view, if any. */
export type Picker = 'reject' | 'redact' | null;

/** Decider records a decision on the open item; from a form, failures other than "stale" are thrown back to it. */
export type Decider = (outcome: ModerationDecisionInput['outcome'], extra?: Omit<ModerationDecisionInput, 'outcome' | 'version'>, fromForm?: boolean) => Promise<void>;

/**
 * ItemView shows the open item in its context, with everything a moderator
 * weighs (the screen's verdicts, the flags, earlier decisions, the author's
 * history) and a button for each decision.
 */
export function ItemView({ slug, detail: d, rules, picker, setPicker, error, busy, headingRef, onDecide }: {
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
  const it = d.item;
  const kind = it.target.type;
  const place = placeOf(it.target, slug);
  const lang = i18n.language;
  const rejectButton = useRef<HTMLButtonElement>(null);
  const redactButton = useRef<HTMLButtonElement>(null);
  const stale = error instanceof AppError && error.code === 'moderation.stale';

  function closePicker(back: RefObject<HTMLButtonElement | null>) {
    setPicker(null);
    setTimeout(() => (back.current ?? headingRef.current)?.focus(), 0);
  }

  let lease: string;
  if (it.claimed_by_me && it.lease_until) lease = t('moderation.item.leaseMine', { time: formatDateTime(it.lease_until, lang) });
  else if (it.lease_until && leasedNow(it.lease_until)) lease = t('moderation.item.leaseOther', { time: formatDateTime(it.lease_until, lang) });
  else lease = t('moderation.item.leaseNone');

  return (
    <section className="item-view" aria-labelledby="item-heading">
      <h2 id="item-heading" tabIndex={-1} ref={headingRef}>
        {t(`moderation.item.heading.${kind}`, { name: it.author.name })}
      </h2>
      <p className="item-tags">
        <span className="status-tag">{t(`moderation.cause.${it.cause}`)}</span>
        <span className="status-tag">{t(`moderation.status.${it.status}`)}</span>
        {it.campaign && <span className="tag-campaign">{t('moderation.queue.campaign')}</span>}
        <span className="item-age">{t('moderation.item.waiting', { age: ageText(t, it.created_at) })}</span>
      </p>
      <p className="lease">{lease}</p>
      {error != null && (
        <div role="alert" className="error">
          <p>{errorText(t, error)}</p>
          {stale && <p>{t('moderation.item.reloaded')}</p>}
        </div>
      )}

      {d.context !== '' && d.context !== it.title && (
        <div className="item-context">
          <p className="quote-label">
            {t(kind === 'agenda_input' ? 'moderation.item.onMeeting' : kind === 'survey_text' ? 'moderation.item.onSurvey' : it.target.document_id != null ? 'moderation.item.onParagraph' : kind === 'idea' ? 'moderation.item.context' : it.target.progress_update_id != null ? 'commitments.moderation.onUpdate' : 'moderation.item.onIdea')}
          </p>
          <blockquote>
            <p>{d.context}</p>
          </blockquote>
        </div>
      )}
      {it.edit && <h3 className="item-edit-heading">{t('moderation.item.editNew')}</h3>}
      <div className="item-contribution">
        {it.title && <h3 className="item-title">{it.title}</h3>}
        {/* body_html is Markdown rendered and sanitised by the server. */}
        <div className="item-body user-text" dangerouslySetInnerHTML={{ __html: it.body_html }} />
      </div>
      {it.edit && (
        <div className="item-previous">
          <h3>{t('moderation.item.editPrevious')}</h3>
          <blockquote>
            {it.edit.previous_title != null && <p className="item-title">{it.edit.previous_title}</p>}
            {/* previous_body_html is Markdown rendered and sanitised by the server. */}
            <div className="user-text" dangerouslySetInnerHTML={{ __html: it.edit.previous_body_html }} />
          </blockquote>
          {it.cause === 'edit' && it.status === 'published' && <p className="hint">{t('moderation.item.editHint')}</p>}
        </div>
      )}
      {place && (
        <p>
          <Link to={place}>{t(`moderation.item.see.${kind}`)}</Link>
        </p>
      )}

      <div className="decision-actions" role="group" aria-label={t('moderation.item.decide')}>
        {/* (not disabled while a decision is sent: a disabled button would drop the focus) */}
        <button type="button" aria-keyshortcuts="a" aria-busy={busy} onClick={() => void onDecide('approve')}>
          {t('moderation.item.approve')}
        </button>
        <button type="button" className="secondary" ref={rejectButton} aria-keyshortcuts="r" aria-expanded={picker === 'reject'} onClick={() => setPicker(picker === 'reject' ? null : 'reject')}>
          {t('moderation.item.reject')}
        </button>
        <button type="button" className="secondary" ref={redactButton} aria-expanded={picker === 'redact'} onClick={() => setPicker(picker === 'redact' ? null : 'redact')}>
          {t('moderation.item.redact')}
        </button>
        {it.state !== 'escalated' && (
          <button type="button" className="secondary" aria-keyshortcuts="e" aria-busy={busy} onClick={() => void onDecide('escalate')}>
            {t('moderation.item.escalate')}
          </button>
        )}
      </div>
      {picker === 'reject' && <RejectForm rules={rules} onDecide={onDecide} onCancel={() => closePicker(rejectButton)} />}
      {picker === 'redact' && <RedactForm body={it.body} rules={rules} onDecide={onDecide} onCancel={() => closePicker(redactButton)} />}

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
