import { useTranslation } from 'react-i18next';
import type { Mandate } from '../../lib/process';
import { formatDate } from '../../lib/format';

/**
 * MandateSection tells the public, before they take part, what the process
 * is for and what their input can change: the engagement mandate. Parts its
 * owners left empty are left out; with none written, nothing shows.
 */
export function MandateSection({ mandate: m }: { mandate: Mandate }) {
  const { t, i18n } = useTranslation();
  if (m.missing.length === 10) return null;
  return (
    <section className="mandate" aria-labelledby="mandate-heading">
      <h2 id="mandate-heading">{t('mandate.title')}</h2>
      {m.purpose && (
        <>
          <h3>{t('mandate.purpose')}</h3>
          <p className="plain-text">{m.purpose}</p>
        </>
      )}
      {m.iap2_level && (
        <div className="mandate-level">
          <h3>{t('mandate.level')}</h3>
          <p>
            <strong>{t(`mandate.levels.${m.iap2_level}.name`)}</strong>
            {' — '}
            {t(`mandate.levels.${m.iap2_level}.promise`)}
          </p>
        </div>
      )}
      {(m.open_items.length > 0 || m.fixed_items.length > 0) && (
        <div className="mandate-scope">
          {m.open_items.length > 0 && (
            <div>
              <h3>{t('mandate.open')}</h3>
              <ul>
                {m.open_items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </div>
          )}
          {m.fixed_items.length > 0 && (
            <div>
              <h3>{t('mandate.fixed')}</h3>
              <ul>
                {m.fixed_items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      {m.use_of_input && (
        <>
          <h3>{t('mandate.useOfInput')}</h3>
          <p className="plain-text">{m.use_of_input}</p>
        </>
      )}
      {m.decision_maker && (
        <>
          <h3>{t('mandate.decisionMaker')}</h3>
          <p>{m.decision_maker}</p>
        </>
      )}
      {m.decision_points.length > 0 && (
        <>
          <h3>{t('mandate.decisionPoints')}</h3>
          <ol className="decision-points">
            {m.decision_points.map((dp, i) => (
              <li key={i}>
                <time dateTime={dp.date}>{formatDate(`${dp.date}T12:00:00Z`, i18n.language)}</time>
                {' — '}
                {dp.label}
              </li>
            ))}
          </ol>
        </>
      )}
      {(m.contact_name || m.contact_email) && (
        <>
          <h3>{t('mandate.contact')}</h3>
          <p>
            {m.contact_name}
            {m.contact_name && m.contact_email && <br />}
            {m.contact_email && <a href={`mailto:${m.contact_email}`}>{m.contact_email}</a>}
          </p>
        </>
      )}
      {m.privacy_html && (
        <details className="privacy-notice">
          <summary>{t('mandate.privacy')}</summary>
          {/* privacy_html is Markdown rendered and sanitised by the server (bluemonday). */}
          <div dangerouslySetInnerHTML={{ __html: m.privacy_html }} />
        </details>
      )}
    </section>
  );
}
