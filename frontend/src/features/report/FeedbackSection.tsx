import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import type { CloseOutReport } from './queries';

type Survey = NonNullable<CloseOutReport['feedback']>[number];
type Question = Survey['questions'][number];

/**
 * FeedbackSection is "feedback on the process": per phase in the report's
 * scope, each survey question's counts (with a scale's mean) as a table, the
 * free texts a moderator approved, and "fewer than 5" where too few answered.
 */
export function FeedbackSection({ surveys }: { surveys: Survey[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const prompt = (s: Survey, q: Question) => (s.edited ? q.prompt : t(`survey.defaults.${q.id}`, { defaultValue: q.prompt }));
  const value = (q: Question, v: string) => (q.kind === 'yes_no' ? t(`closeout.feedback.${v === 'yes' ? 'yes' : 'no'}`) : v);
  return (
    <section aria-labelledby="report-feedback" className="report-section">
      <h2 id="report-feedback">{t('closeout.feedback.title')}</h2>
      {surveys.length === 0 && <p>{t('closeout.feedback.none')}</p>}
      {surveys.map((s) => {
        const phase = t(`phase.${s.phase}`);
        return (
          <section key={s.phase} aria-labelledby={`report-feedback-${s.phase}`}>
            <h3 id={`report-feedback-${s.phase}`}>{t('closeout.feedback.phase', { phase })}</h3>
            <p>
              {s.answers == null
                ? t('closeout.feedback.fewerAnswers', { from: formatDate(s.opens_at, lang), until: formatDate(s.closes_at, lang) })
                : t('closeout.feedback.answers', { count: s.answers, value: fmt.format(s.answers), from: formatDate(s.opens_at, lang), until: formatDate(s.closes_at, lang) })}
            </p>
            {s.answers != null &&
              s.questions.map((q, n) => {
                const title = t('closeout.feedback.question', { n: n + 1, prompt: prompt(s, q) });
                if (q.fewer_than_min || q.answered == null) {
                  return (
                    <div key={q.id} className="report-feedback-question">
                      <h4>{title}</h4>
                      <p>{t('closeout.feedback.questionFewer')}</p>
                    </div>
                  );
                }
                if (q.kind === 'text') {
                  return (
                    <div key={q.id} className="report-feedback-question">
                      <h4>{title}</h4>
                      {q.texts.length === 0 ? (
                        <p>{t('closeout.feedback.noTexts')}</p>
                      ) : (
                        <ul className="report-quotes" aria-label={t('closeout.feedback.texts', { prompt: prompt(s, q) })}>
                          {q.texts.map((x) => (
                            // body_html is Markdown rendered and sanitised by the server.
                            <li key={x.id} className="user-text" dangerouslySetInnerHTML={{ __html: x.body_html }} />
                          ))}
                        </ul>
                      )}
                    </div>
                  );
                }
                return (
                  <table key={q.id} className="stats-table report-table">
                    <caption>
                      {title} {t('closeout.feedback.answered', { count: q.answered, value: fmt.format(q.answered) })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('closeout.feedback.value')}</th>
                        <th scope="col">{t('closeout.feedback.count')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {q.counts.map((c) => (
                        <tr key={c.value}>
                          <th scope="row">{value(q, c.value)}</th>
                          <td>{fmt.format(c.count)}</td>
                        </tr>
                      ))}
                    </tbody>
                    {q.mean != null && (
                      <tfoot>
                        <tr>
                          <th scope="row">{t('closeout.feedback.mean')}</th>
                          <td>{fmt.format(q.mean)}</td>
                        </tr>
                      </tfoot>
                    )}
                  </table>
                );
              })}
          </section>
        );
      })}
    </section>
  );
}
