import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { QueryState } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { day } from './DashboardPage';
import { useAskQuestion, useQuestionAction } from './mutations';
import { useQuestions, type Commitment, type Question } from './queries';

/**
 * QuestionsSection lists a commitment's questions with their answer clocks
 * (working days, a target of 20, one pause with its public reason), lets a
 * signed-in person ask one, the lead institution or the forum answer or
 * pause the clock, and a moderator hide one.
 */
export function QuestionsSection({ slug, commitment: d }: { slug: string; commitment: Commitment }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const questions = useQuestions(d.id);
  const [body, setBody] = useState('');
  const [asked, setAsked] = useState(false);
  const ask = useAskQuestion(slug, d.id);
  const items = questions.data ?? [];
  return (
    <section aria-labelledby="questions-heading" aria-busy={questions.isFetching}>
      <h2 id="questions-heading">{t('commitments.question.title')}</h2>
      <p>{t('commitments.question.intro')}</p>
      <QueryState query={questions} empty={items.length === 0 && t('commitments.question.empty')} />
      {items.length > 0 && (
        <ul className="question-list">
          {items.map((q) => (
            <QuestionItem key={q.id} q={q} slug={slug} commitment={d} />
          ))}
        </ul>
      )}
      {account ? (
        <form
          className="ask-form"
          onSubmit={handleSubmit(() =>
            ask.mutate(body, {
              onSuccess: () => {
                setBody('');
                setAsked(true);
              },
            }),
          )}
          noValidate
        >
          <ErrorSummary error={ask.error} />
          {asked && (
            <p role="status" className="notice">
              {t('commitments.question.asked')}
            </p>
          )}
          <TextAreaField name="question" label={t('commitments.question.ask')} hint={t('commitments.question.askHint')} value={body}
            onChange={(v) => {
              setBody(v);
              setAsked(false);
            }}
            maxLength={5000} rows={4} error={fieldError(ask.error, 'body')} />
          <SubmitButton pending={ask.isPending}>{t('commitments.question.send')}</SubmitButton>
        </form>
      ) : (
        <p>
          <Link to="/login" state={{ from: location.pathname }}>
            {t('commitments.question.signIn')}
          </Link>
        </p>
      )}
    </section>
  );
}

type Mode = 'view' | 'answer' | 'pause' | 'hide';

/** QuestionItem is one question: its text, its clock, its pause and its answer, and the forms of those who may act on it. */
function QuestionItem({ q, slug, commitment: d }: { q: Question; slug: string; commitment: Commitment }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [mode, setMode] = useState<Mode>('view');
  const headingId = useId();
  const open = q.answered_at == null && q.hidden == null;
  return (
    <li className="question" id={`question-${q.id}`}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="visually-hidden">
          {t('commitments.question.heading', { id: q.id })}
        </h3>
        {q.hidden ? (
          <p className="muted">{t('commitments.question.hidden', { reason: q.hidden.reason })}</p>
        ) : (
          <>
            <p className="muted">{t('commitments.question.byline', { name: q.author?.name ?? '', date: formatDate(q.asked_at, lang) })}</p>
            {/* body_html is Markdown rendered and sanitised by the server. */}
            <div dangerouslySetInnerHTML={{ __html: q.body_html }} />
          </>
        )}
        {!q.hidden && (
          <p className="question-clock">
            {q.answered_at
              ? q.late_days > 0
                ? t('commitments.question.answeredLate', { count: q.late_days, days: q.working_days })
                : t('commitments.question.answeredIn', { count: q.working_days })
              : q.overdue
                ? <span className="late">{t('commitments.question.overdueSince', { date: day(q.due_on, lang), count: q.late_days })}</span>
                : t('commitments.question.dueOn', { date: day(q.due_on, lang), count: q.working_days })}
          </p>
        )}
        {q.pause && <p className="notice-box">{t('commitments.question.paused', { from: day(q.pause.from, lang), until: day(q.pause.until, lang), reason: q.pause.reason })}</p>}
        {q.answer_html && (
          <div className="answer">
            <p className="muted">
              {t(`commitments.question.answeredBy.${q.answered_as ?? 'lead_institution'}`, { lead: d.lead_institution, date: q.answered_at ? formatDate(q.answered_at, lang) : '' })}
            </p>
            {/* answer_html is Markdown rendered and sanitised by the server. */}
            <div dangerouslySetInnerHTML={{ __html: q.answer_html }} />
          </div>
        )}
        {open && (d.viewer.answer || d.viewer.moderate) && mode === 'view' && (
          <div className="form-actions">
            {d.viewer.answer && (
              <button type="button" onClick={() => setMode('answer')}>
                {t('commitments.question.answer')}
              </button>
            )}
            {d.viewer.answer && !q.pause && (
              <button type="button" className="secondary" onClick={() => setMode('pause')}>
                {t('commitments.question.pause')}
              </button>
            )}
            {d.viewer.moderate && (
              <button type="button" className="secondary" onClick={() => setMode('hide')}>
                {t('commitments.question.hide')}
              </button>
            )}
          </div>
        )}
        {mode !== 'view' && <QuestionForm mode={mode} q={q} slug={slug} commitmentId={d.id} onDone={() => setMode('view')} />}
      </article>
    </li>
  );
}

/** QuestionForm answers, pauses or hides a question; a refusal shows in place and what was typed stays. */
function QuestionForm({ mode, q, slug, commitmentId, onDone }: { mode: Exclude<Mode, 'view'>; q: Question; slug: string; commitmentId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [until, setUntil] = useState('');
  const action = useQuestionAction(slug, commitmentId, q.id);
  const first = useRef<HTMLDivElement>(null);
  const send = () => {
    const a = mode === 'answer' ? { kind: 'answer' as const, body: text } : mode === 'pause' ? { kind: 'pause' as const, reason: text, resumesOn: until } : { kind: 'hide' as const, reason: text };
    action.mutate(a, { onSuccess: onDone });
  };
  return (
    <form className="question-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={action.error} />
      <div ref={first}>
        <TextAreaField name={mode === 'answer' ? 'answer' : 'reason'} label={t(`commitments.question.${mode}Label`)} hint={t(`commitments.question.${mode}Hint`)}
          value={text} onChange={setText} rows={mode === 'answer' ? 5 : 2} maxLength={mode === 'answer' ? 10000 : 1000}
          error={fieldError(action.error, mode === 'answer' ? 'body' : 'reason')} />
      </div>
      {mode === 'pause' && (
        <Field name="resumes_on" type="date" label={t('commitments.question.resumesOn')} hint={t('commitments.question.resumesOnHint')} value={until} onChange={setUntil}
          error={fieldError(action.error, 'resumes_on')} />
      )}
      <div className="form-actions">
        <SubmitButton pending={action.isPending}>{t(`commitments.question.${mode}Send`)}</SubmitButton>
        <button type="button" className="secondary" onClick={onDone}>
          {t('commitments.cancel')}
        </button>
      </div>
    </form>
  );
}
