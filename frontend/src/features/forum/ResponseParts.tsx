import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listOf } from '../../lib/format';
import { coverHref, dispositionName, missingText, plainExcerpt, seatName, signerOrganisations } from './format';
import { useResponse, type Cover, type ForumResponse } from './queries';
import { formatDate } from '../../lib/format';

/** DispositionTag shows a response's disposition as a tag. */
export function DispositionTag({ disposition }: { disposition: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status-tag disposition-${disposition}`}>
      <span className="visually-hidden">{t('forum.response.dispositionLabel')} </span>
      {dispositionName(t, disposition)}
    </span>
  );
}

/**
 * SignatureList shows who signed a response and who dissented, with their
 * notes; names show on drafts only, published responses name members by id.
 */
export function SignatureList({ response: r, level = 3 }: { response: ForumResponse; level?: 2 | 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const H = level === 2 ? 'h2' : level === 3 ? 'h3' : 'h4';
  const signed = r.signatures.filter((s) => s.kind === 'sign');
  const dissents = r.signatures.filter((s) => s.kind === 'dissent');
  const recusals = r.signatures.filter((s) => s.kind === 'recuse');
  const who = (s: ForumResponse['signatures'][number]) =>
    [s.name, t('forum.memberRef', { ref: s.member_ref }), seatName(t, s.seat), s.organisation].filter(Boolean).join(' · ');
  return (
    <>
      <H>{t('forum.response.signatures')}</H>
      {signed.length === 0 ? (
        <p>{t('forum.response.noSignatures')}</p>
      ) : (
        <ul className="signature-list">
          {signed.map((s) => (
            <li key={`sign-${s.member_ref}`}>
              {who(s)}
              {s.signed_at && (
                <>
                  {' '}
                  <span className="muted">{t('forum.response.signedOn', { date: formatDate(s.signed_at, i18n.language) })}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {dissents.length > 0 && (
        <>
          <H>{t('forum.response.dissents')}</H>
          <ul className="signature-list">
            {dissents.map((s) => (
              <li key={`dissent-${s.member_ref}`}>
                <p className="dissent-who">{who(s)}</p>
                {s.note && <blockquote className="preserve">{s.note}</blockquote>}
              </li>
            ))}
          </ul>
        </>
      )}
      {recusals.length > 0 && (
        <>
          <H>{t('forum.response.recusals')}</H>
          <ul className="signature-list">
            {recusals.map((s) => (
              <li key={`recuse-${s.member_ref}`}>
                <p className="dissent-who">{who(s)}</p>
                {s.note && <blockquote className="preserve">{s.note}</blockquote>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** MissingSeats says which signatures a draft still needs ("Needs a civil-society signature."). */
export function MissingSeats({ response, id }: { response: ForumResponse; id?: string }) {
  const { t, i18n } = useTranslation();
  const lines = missingText(t, response, i18n.language);
  if (lines.length === 0) return null;
  return (
    <ul className="missing-seats" id={id}>
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

/** signedBy is the sentence naming a published response's date and its signers' organisations. */
function signedBy(t: (k: string, o?: Record<string, unknown>) => string, r: ForumResponse, lang: string): string {
  const orgs = signerOrganisations(r.signatures);
  const date = r.published_at ? formatDate(r.published_at, lang) : null;
  if (date && orgs.length > 0) return t('forum.answered.onBy', { date, orgs: listOf(orgs, lang) });
  if (date) return t('forum.answered.on', { date });
  if (orgs.length > 0) return t('forum.answered.by', { orgs: listOf(orgs, lang) });
  return '';
}

/**
 * AnsweredBadge marks a comment that a published response answered: its
 * disposition, date and signers, with a link to the response. The response is
 * fetched once per id, whatever the number of comments it answered.
 */
export function AnsweredBadge({ responseId }: { responseId: number }) {
  const { t, i18n } = useTranslation();
  const r = useResponse(responseId);
  const d = r.data;
  return (
    <p className="answered-badge">
      <Link to={`/responses/${responseId}`}>{d ? t('forum.answered.title', { disposition: dispositionName(t, d.disposition).toLowerCase() }) : t('forum.answered.titleShort')}</Link>
      {d && signedBy(t, d, i18n.language) && <span className="answered-meta"> {signedBy(t, d, i18n.language)}</span>}
    </p>
  );
}

/** ResponseSummary shows, on an idea's page, the response that set its status, with a link to it. */
export function ResponseSummary({ responseId }: { responseId: number }) {
  const { t, i18n } = useTranslation();
  const r = useResponse(responseId);
  const d = r.data;
  return (
    <section className="response-summary" aria-labelledby="response-summary-heading">
      <h2 id="response-summary-heading">{t('forum.summary.title')}</h2>
      {d && (
        <>
          <p>
            <DispositionTag disposition={d.disposition} /> {signedBy(t, d, i18n.language)}
          </p>
          <p>{plainExcerpt(d.reasoning)}</p>
        </>
      )}
      <p>
        <Link to={`/responses/${responseId}`}>{t('idea.readResponse')}</Link>
      </p>
    </section>
  );
}

/**
 * CoverItem is one thing a response covers: a cluster or a draft's paragraph
 * linked, with the contributions it stands for; a comment or an idea named
 * ("Comment 12") and, while the public may read it, linked to where it sits
 * with the start of its text (plain text from the server). One the public
 * may not read is named alone.
 */
export function CoverItem({ cover: c, slug }: { cover: Cover; slug: string }) {
  const { t } = useTranslation();
  const href = coverHref(c, slug);
  if (c.kind === 'comment' || c.kind === 'idea') {
    const name = t(`forum.cover.${c.kind}`, { id: c.id });
    return (
      <>
        {href ? <Link to={href}>{name}</Link> : name}
        {c.visible && c.excerpt && (
          <>
            {' '}
            <q className="cover-excerpt">{c.excerpt}</q>
          </>
        )}
      </>
    );
  }
  return (
    <>
      <span className="cover-kind">{t(`forum.coverKind.${c.kind}`)}:</span> {href ? <Link to={href}>{c.label}</Link> : c.label}
      <span className="muted"> {t('forum.response.contributionsParen', { count: c.count })}</span>
    </>
  );
}

/** CoverList lists what a response covers, each linked to where it can be read. */
export function CoverList({ covers, slug }: { covers: Cover[]; slug: string }) {
  const { t } = useTranslation();
  if (covers.length === 0) return <p>{t('forum.response.noCovers')}</p>;
  return (
    <ul className="cover-list">
      {covers.map((c) => (
        <li key={`${c.kind}-${c.id ?? ''}-${c.document_id ?? ''}-${c.paragraph_key ?? ''}`}>
          <CoverItem cover={c} slug={slug} />
        </li>
      ))}
    </ul>
  );
}
