import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/status';
import { promptOf, useSurveyResults } from './queries';

/**
 * SurveyResultsView shows a survey's results: per question a table of the
 * count of each value (and a scale's mean), the free texts a moderator
 * published, and "fewer than 5" wherever too few answered to count.
 */
export function SurveyResultsView({ slug, phase }: { slug: string; phase: string }) {
  const { t, i18n } = useTranslation();
  const results = useSurveyResults(slug, phase);
  const r = results.data;
  const number = (n: number) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(n);
  const valueLabel = (kind: string, v: string) => (kind === 'yes_no' ? t(`survey.form.${v}`) : v);
  return (
    <section aria-labelledby="survey-results-heading" aria-busy={results.isPending} className="survey-results">
      <h2 id="survey-results-heading">{t('survey.results.title')}</h2>
      <QueryState query={results} />
      {r && r.fewer_than_min && <p>{t('survey.results.fewerThan', { min: r.min_group })}</p>}
      {r && !r.fewer_than_min && (
        <>
          <p>{t('survey.results.answers', { count: r.answers ?? 0 })}</p>
          {r.questions.map((q, n) => (
            <section key={q.id} aria-labelledby={`survey-result-${q.id}`}>
              <h3 id={`survey-result-${q.id}`}>{t('survey.form.legend', { n: n + 1, prompt: promptOf(t, r, q) })}</h3>
              {q.fewer_than_min ? (
                <p>{t('survey.results.questionFewerThan', { min: r.min_group })}</p>
              ) : q.kind === 'text' ? (
                q.texts.length === 0 ? (
                  <p>{t('survey.results.noTexts')}</p>
                ) : (
                  <ul className="survey-texts">
                    {q.texts.map((x) => (
                      // body_html is Markdown rendered and sanitised by the server (bluemonday).
                      <li key={x.id} className="user-text" dangerouslySetInnerHTML={{ __html: x.body_html }} />
                    ))}
                  </ul>
                )
              ) : (
                <table className="survey-counts">
                  <caption>{t('survey.results.caption', { count: q.answered ?? 0 })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('survey.results.value')}</th>
                      <th scope="col">{t('survey.results.count')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.counts.map((c) => (
                      <tr key={c.value}>
                        <th scope="row">{valueLabel(q.kind, c.value)}</th>
                        <td>{number(c.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                  {q.mean != null && (
                    <tfoot>
                      <tr>
                        <th scope="row">{t('survey.results.mean')}</th>
                        <td>{number(q.mean)}</td>
                      </tr>
                    </tfoot>
                  )}
                </table>
              )}
            </section>
          ))}
        </>
      )}
    </section>
  );
}
