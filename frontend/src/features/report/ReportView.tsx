import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../../lib/format';
import { BarChart, useCellText } from './BarChart';
import { FeedbackSection } from './FeedbackSection';
import type { CloseOutReport } from './queries';

/**
 * ReportView is a close-out report as a page: "we asked", "you said", "we
 * did", moderation in numbers and feedback on the process (absent from
 * reports published before it existed), each chart with its table; the same page
 * prints as the report's A4 version (report.css).
 */
export function ReportView({ report: r }: { report: CloseOutReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const text = useCellText();
  const fmt = new Intl.NumberFormat(lang);
  const slug = r.process.slug;
  const days = (d: number | null) => (d == null ? t('closeout.none') : t('closeout.did.days', { count: d, value: fmt.format(d) }));
  const a = r.we_asked;
  const y = r.you_said;
  const d = r.we_did;
  const m = r.moderation;
  return (
    <div className="report-body">
      <p className="report-scope">
        {r.scope.phase && r.scope.from && r.scope.until
          ? t('closeout.scopePhase', { phase: t(`phase.${r.scope.phase}`), from: formatDate(r.scope.from, lang), until: formatDate(r.scope.until, lang) })
          : t('closeout.scopeWhole')}{' '}
        {t('closeout.generated', { date: formatDate(r.generated_at, lang) })}
      </p>
      <p className="report-privacy">{t('closeout.minGroup', { count: r.min_group_size })}</p>

      <section aria-labelledby="report-asked" className="report-section">
        <h2 id="report-asked">{t('closeout.asked.title')}</h2>
        {a.purpose && <p>{a.purpose}</p>}
        {a.open_items.length > 0 && (
          <>
            <h3>{t('closeout.asked.open')}</h3>
            <ul>
              {a.open_items.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </>
        )}
        {a.fixed_items.length > 0 && (
          <>
            <h3>{t('closeout.asked.fixed')}</h3>
            <ul>
              {a.fixed_items.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </>
        )}
        {a.decision_maker && <p>{t('closeout.asked.decisionMaker', { who: a.decision_maker })}</p>}
        {a.themes.length > 0 && <p>{t('closeout.asked.themes', { list: a.themes.join(', ') })}</p>}
        <table className="stats-table report-table">
          <caption>{t('closeout.asked.phases')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('closeout.asked.phase')}</th>
              <th scope="col">{t('closeout.asked.opens')}</th>
              <th scope="col">{t('closeout.asked.closes')}</th>
            </tr>
          </thead>
          <tbody>
            {a.phases.map((ph) => (
              <tr key={ph.kind}>
                <th scope="row">{t(`phase.${ph.kind}`)}</th>
                <td>{formatDate(ph.opens_at, lang)}</td>
                <td>{formatDate(ph.closes_at, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {a.documents.length > 0 && (
          <>
            <h3>{t('closeout.asked.documents')}</h3>
            <ul>
              {a.documents.map((doc) => (
                <li key={doc.id}>
                  <Link to={`/documents/${doc.id}`}>{doc.title}</Link>:{' '}
                  {doc.versions.map((v) => t('closeout.asked.version', { number: v.number, date: formatDate(v.published_at, lang) })).join('; ')}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="report-said" className="report-section">
        <h2 id="report-said">{t('closeout.said.title')}</h2>
        <p className="report-lead">{t('closeout.said.participants', { value: text(y.participants) })}</p>
        <BarChart
          title={t('closeout.said.kinds')}
          bars={(['comments', 'replies', 'ideas', 'votes', 'supports', 'offline'] as const).map((k) => ({ label: t(`closeout.said.kind.${k}`), value: y.contributions[k] }))}
        />
        <BarChart
          title={t('closeout.said.channels')}
          bars={y.by_channel.flatMap((c) => [
            { label: t('closeout.said.channelComments', { channel: t(`closeout.channel.${c.channel}`) }), value: c.comments },
            { label: t('closeout.said.channelIdeas', { channel: t(`closeout.channel.${c.channel}`) }), value: c.ideas },
          ])}
        />
        {y.by_week.length > 0 && (
          <BarChart title={t('closeout.said.weeks')} bars={y.by_week.map((w) => ({ label: t('closeout.said.week', { date: formatDate(w.week, lang) }), value: w.contributions }))} />
        )}
        {y.by_theme.length > 0 && <BarChart title={t('closeout.said.themes')} bars={y.by_theme.map((th) => ({ label: th.theme, value: th.ideas }))} />}
        {y.paragraphs.length > 0 && (
          <>
            <h3>{t('closeout.said.paragraphs')}</h3>
            <ol className="report-paragraphs">
              {y.paragraphs.map((p) => (
                <li key={`${p.document}-${p.key}`}>
                  <blockquote>
                    <Link to={`/documents/${p.document}#p-${p.key}`}>{p.text}</Link>
                  </blockquote>
                  <p>{t('closeout.said.paragraphComments', { value: text(p.comments) })}</p>
                </li>
              ))}
            </ol>
          </>
        )}
        {y.clusters.length > 0 && (
          <BarChart title={t('closeout.said.clusters')} bars={y.clusters.map((c) => ({ label: c.title, value: c.contributions }))} valueHeading={t('closeout.said.clusterCount')} />
        )}
        {y.representative.length > 0 && (
          <>
            <h3>{t('closeout.said.representative')}</h3>
            <ul className="report-quotes">
              {y.representative.map((q) => (
                <li key={q.ref}>
                  <blockquote>{q.text}</blockquote>
                  <p className="quote-source">
                    {q.author || t('closeout.said.anonymous')}, {t(`closeout.channel.${q.channel}`)}, {formatDate(q.created_at, lang)}
                  </p>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="report-did" className="report-section">
        <h2 id="report-did">{t('closeout.did.title')}</h2>
        <p className="report-lead">
          {t('closeout.did.coverage', { answered: fmt.format(d.coverage.answered), total: fmt.format(d.coverage.contributions), percent: fmt.format(d.coverage.percent) })}
        </p>
        <BarChart title={t('closeout.did.dispositions')} bars={d.by_disposition.map((b) => ({ label: t(`closeout.disposition.${b.disposition}`), value: b.responses }))} />
        <ul className="report-ledger-links">
          {d.by_disposition
            .filter((b) => b.responses > 0)
            .map((b) => (
              <li key={b.disposition}>
                <Link to={`/processes/${slug}/ledger?disposition=${b.disposition}`}>{t('closeout.did.ledgerLink', { disposition: t(`closeout.disposition.${b.disposition}`) })}</Link>
              </li>
            ))}
        </ul>
        <table className="stats-table report-table">
          <caption>{t('closeout.did.times', { count: d.response_times.target_days })}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('closeout.did.median')}</th>
              <td>{days(d.response_times.median_days)}</td>
            </tr>
            <tr>
              <th scope="row">{t('closeout.did.p90')}</th>
              <td>{days(d.response_times.p90_days)}</td>
            </tr>
            <tr>
              <th scope="row">{t('closeout.did.late')}</th>
              <td>{fmt.format(d.response_times.answered_late)}</td>
            </tr>
            <tr>
              <th scope="row">{t('closeout.did.overdue')}</th>
              <td>{fmt.format(d.response_times.unanswered_overdue)}</td>
            </tr>
          </tbody>
        </table>
        {d.draft_changes.length > 0 && (
          <table className="stats-table report-table">
            <caption>{t('closeout.did.changes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('closeout.did.document')}</th>
                <th scope="col">{t('closeout.did.unchanged')}</th>
                <th scope="col">{t('closeout.did.edited')}</th>
                <th scope="col">{t('closeout.did.added')}</th>
                <th scope="col">{t('closeout.did.removed')}</th>
              </tr>
            </thead>
            <tbody>
              {d.draft_changes.map((c) => (
                <tr key={c.document}>
                  <th scope="row">{t('closeout.did.versions', { title: c.title, first: c.first_version, final: c.final_version })}</th>
                  <td>{fmt.format(c.unchanged)}</td>
                  <td>{fmt.format(c.edited)}</td>
                  <td>{fmt.format(c.added)}</td>
                  <td>{fmt.format(c.removed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t('closeout.did.commitments')}</h3>
        {d.commitments.length === 0 ? (
          <p>{t('closeout.none')}</p>
        ) : (
          <ul>
            {d.commitments.map((c) => (
              <li key={c.id}>
                <Link to={`/processes/${slug}/commitments/${c.id}`}>{c.title}</Link> ({c.lead_institution}){c.withdrawn ? `, ${t('closeout.did.withdrawn')}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="report-moderation" className="report-section">
        <h2 id="report-moderation">{t('closeout.moderation.title')}</h2>
        <p className="report-lead">{t('closeout.moderation.summary', { held: fmt.format(m.held), published: fmt.format(m.published), pending: fmt.format(m.pending) })}</p>
        <BarChart title={t('closeout.moderation.rejected')} bars={m.rejected.map((c) => ({ label: t(`closeout.reason.${c.reason}`), value: c.items }))} />
        <table className="stats-table report-table">
          <caption>{t('closeout.moderation.appeals')}</caption>
          <tbody>
            {(['made', 'upheld', 'overturned', 'pending'] as const).map((k) => (
              <tr key={k}>
                <th scope="row">{t(`closeout.moderation.appeal.${k}`)}</th>
                <td>{text(m.appeals[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {r.feedback && <FeedbackSection surveys={r.feedback} />}
    </div>
  );
}
