import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { FilterSelect } from '../../components/filters';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { QueryState, useDocumentTitle } from '../../components/status';
import { useCanManageProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { statuses, useDashboard, type CommitmentStatus, type CommitmentSummary, type Dashboard } from './queries';
import { SelfAssessmentNotice } from './SelfAssessmentNotice';
import { reasonText, StatusBadge, statusName } from './status';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** day formats a calendar day (YYYY-MM-DD, UTC) as a long date. */
export function day(d: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
}

/** dueSoon reports whether a commitment's next update falls due within a fortnight of today (or is overdue). */
export function dueSoon(c: CommitmentSummary, today: string): boolean {
  if (c.status === 'withdrawn' || c.status === 'completed') return false;
  const days = (Date.parse(`${c.next_update_due_on}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= 14;
}

/**
 * DashboardPage shows the implementation of a process's plan at a glance:
 * /processes/:slug/commitments. Every commitment with its status in words,
 * icon and colour, how much is done, its last update and next milestone;
 * filters by theme, lead institution and status (kept in the address); the
 * summary as a chart with its data table beside it; overdue questions; the
 * open data.
 */
export function DashboardPage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const dashboard = useDashboard(slug);
  const manage = useCanManageProcess(slug, account);
  const [params, setParams] = useSearchParams();
  const notFound = dashboard.error instanceof AppError && dashboard.error.status === 404;
  useDocumentTitle(t('commitments.dashboard.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  const d = dashboard.data;
  const theme = params.get('theme') ?? '';
  const lead = params.get('lead') ?? '';
  const rawStatus = params.get('status') ?? '';
  const status = (statuses as string[]).includes(rawStatus) ? (rawStatus as CommitmentStatus) : '';
  const shown = (d?.commitments ?? []).filter((c) => (!theme || c.theme === theme) && (!lead || c.lead_institution === lead) && (!status || c.status === status));
  const setFilter = (name: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(name, v);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const themes = [...new Set((d?.commitments ?? []).map((c) => c.theme).filter(Boolean))].sort();
  const leads = [...new Set((d?.commitments ?? []).map((c) => c.lead_institution))].sort();
  const due = d && manage.allowed ? d.commitments.filter((c) => dueSoon(c, d.today)) : [];

  return (
    <div className="commitments-page">
      <ProcessCrumb slug={slug} title={d?.process_title} />
      <h1>{t('commitments.dashboard.title')}</h1>
      <p className="lead">{t('commitments.dashboard.intro')}</p>
      {manage.allowed && (
        <ul className="idea-links">
          <li>
            <Link to={`/processes/${slug}/commitments/new`}>{t('commitments.dashboard.add')}</Link>
          </li>
          <li>
            <Link to={`/processes/${slug}/commitments/settings`}>{t('commitments.dashboard.settings')}</Link>
          </li>
        </ul>
      )}
      <QueryState query={dashboard} />
      {d && (
        <>
          <Summary dashboard={d} />
          {d.self_assessment && <SelfAssessmentNotice selfAssessment={d.self_assessment} />}
          {due.length > 0 && (
            <section className="notice-box" aria-labelledby="due-heading">
              <h2 id="due-heading">{t('commitments.dashboard.dueTitle')}</h2>
              <ul>
                {due.map((c) => (
                  <li key={c.id}>
                    <Link to={`/processes/${slug}/commitments/${c.id}`}>{c.title}</Link>: {t('commitments.dashboard.dueOn', { date: day(c.next_update_due_on, i18n.language) })}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {d.overdue_questions.length > 0 && <OverdueQuestions dashboard={d} />}
          <section aria-labelledby="list-heading">
            <h2 id="list-heading">{t('commitments.dashboard.listTitle', { count: d.total })}</h2>
            <div className="filters-row">
              <FilterSelect label={t('commitments.filter.theme')} value={theme} onChange={(v) => setFilter('theme', v)}
                options={[{ value: '', label: t('commitments.filter.allThemes') }, ...themes.map((v) => ({ value: v, label: v }))]} />
              <FilterSelect label={t('commitments.filter.lead')} value={lead} onChange={(v) => setFilter('lead', v)}
                options={[{ value: '', label: t('commitments.filter.allLeads') }, ...leads.map((v) => ({ value: v, label: v }))]} />
              <FilterSelect label={t('commitments.filter.status')} value={status} onChange={(v) => setFilter('status', v)}
                options={[{ value: '', label: t('commitments.filter.allStatuses') }, ...statuses.map((s) => ({ value: s, label: statusName(t, s) }))]} />
            </div>
            <p role="status" aria-live="polite" className="muted">
              {t('commitments.dashboard.showing', { count: shown.length, total: d.total })}
            </p>
            {d.total === 0 ? (
              <p>{t('commitments.dashboard.empty')}</p>
            ) : (
              <ul className="commitment-list">
                {shown.map((c) => (
                  <CommitmentCard key={c.id} c={c} slug={slug} />
                ))}
              </ul>
            )}
          </section>
          <OpenData slug={slug} />
        </>
      )}
    </div>
  );
}

/** Summary is how many commitments have each status: a bar chart, and the same figures as a table beside it. */
function Summary({ dashboard: d }: { dashboard: Dashboard }) {
  const { t } = useTranslation();
  const captionId = useId();
  const max = Math.max(1, ...d.summary.map((s) => s.count));
  const rowH = 22;
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t('commitments.dashboard.summaryTitle')}</h2>
      <div className="summary-grid">
        {/* The chart repeats the table for the eye; the table is what a screen reader reads. */}
        <svg className="summary-chart" viewBox={`0 0 320 ${d.summary.length * rowH}`} aria-hidden="true" focusable="false">
          {d.summary.map((s, i) => (
            <g key={s.status} transform={`translate(0 ${i * rowH})`}>
              <text x="0" y="15">{statusName(t, s.status)}</text>
              <rect className={`cbar-${s.status}`} x="110" y="4" height="14" width={Math.max(s.count > 0 ? 3 : 0, (s.count / max) * 180)} />
              <text x={116 + (s.count / max) * 180} y="15">{s.count}</text>
            </g>
          ))}
        </svg>
        <table className="summary-table" aria-describedby={captionId}>
          <caption id={captionId} className="visually-hidden">
            {t('commitments.dashboard.summaryCaption', { count: d.total })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('commitments.dashboard.statusColumn')}</th>
              <th scope="col">{t('commitments.dashboard.countColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {d.summary.map((s) => (
              <tr key={s.status}>
                <th scope="row">
                  <StatusBadge status={s.status} />
                </th>
                <td className="num">{s.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t('commitments.dashboard.rule', { days: d.at_risk_days })}</p>
    </section>
  );
}

/** CommitmentCard is one commitment of the list: its status and why, how much is done, and what comes next. */
function CommitmentCard({ c, slug }: { c: CommitmentSummary; slug: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const headingId = useId();
  return (
    <li className="commitment-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <Link to={`/processes/${slug}/commitments/${c.id}`}>{c.title}</Link>
        </h3>
        <p>
          <StatusBadge status={c.status} /> <span>{reasonText(t as T, c.status_reason, c.status_days)}</span>
        </p>
        <p className="progress-line">
          <span>{t('commitments.card.done', { done: c.milestones_done, total: c.milestones_total, percent: c.percent_done })}</span>
          <span className="progress-track" aria-hidden="true">
            <span className="progress-fill" style={{ width: `${c.percent_done}%`, display: 'block' }} />
          </span>
        </p>
        <dl className="facts">
          <dt>{t('commitments.card.lead')}</dt>
          <dd>{c.lead_institution}</dd>
          {c.theme && (
            <>
              <dt>{t('commitments.card.theme')}</dt>
              <dd>{c.theme}</dd>
            </>
          )}
          <dt>{t('commitments.card.lastUpdate')}</dt>
          <dd>{c.last_update_on ? day(c.last_update_on, lang) : t('commitments.card.noUpdate')}</dd>
          {c.next_milestone && (
            <>
              <dt>{t('commitments.card.nextMilestone')}</dt>
              <dd>{t('commitments.card.milestoneDue', { title: c.next_milestone.title, date: day(c.next_milestone.due_on, lang) })}</dd>
            </>
          )}
          {c.overdue_questions > 0 && (
            <>
              <dt>{t('commitments.card.questions')}</dt>
              <dd className="late">{t('commitments.card.overdueQuestions', { count: c.overdue_questions })}</dd>
            </>
          )}
        </dl>
      </article>
    </li>
  );
}

/** OverdueQuestions lists, publicly, the questions left unanswered past their due day. */
function OverdueQuestions({ dashboard: d }: { dashboard: Dashboard }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="overdue-heading">
      <h2 id="overdue-heading">{t('commitments.dashboard.overdueTitle', { count: d.overdue_questions.length })}</h2>
      <p>{t('commitments.dashboard.overdueIntro', { days: d.answer_target_days })}</p>
      <ul>
        {d.overdue_questions.map((q) => (
          <li key={q.id}>
            <Link to={`/processes/${d.process}/commitments/${q.commitment_id}#question-${q.id}`}>{q.commitment_title}</Link>
            {': '}
            {t('commitments.question.overdueSince', { date: day(q.due_on, i18n.language), count: q.late_days })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** OpenData links the dashboard's data: JSON, each CSV table, and the ledger. */
function OpenData({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const base = `/api/v1/processes/${encodeURIComponent(slug)}/commitments/export`;
  return (
    <section aria-labelledby="open-data-heading">
      <h2 id="open-data-heading">{t('commitments.openData.title')}</h2>
      <ul className="open-data-links">
        <li>
          <a href={base} download>
            {t('commitments.openData.json')}
          </a>
        </li>
        {(['commitments', 'milestones', 'updates'] as const).map((table) => (
          <li key={table}>
            <a href={`${base}?format=csv&table=${table}`} download>
              {t(`commitments.openData.csv.${table}`)}
            </a>
          </li>
        ))}
        <li>
          <Link to={`/processes/${slug}/ledger?kind=progress_update`}>{t('commitments.openData.ledger')}</Link>
        </li>
      </ul>
    </section>
  );
}
