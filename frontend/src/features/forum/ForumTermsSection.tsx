import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CheckboxField, ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { QueryState } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { seatName } from './format';
import { useDeclare } from './mutations';
import { useForumTerms, useMeetingFrequency, type Declaration, type ForumMembership, type ForumTerms, type MeetingFrequency } from './queries';

/** QUARTERS_SHOWN is how many of the latest quarters the forum page lists. */
const QUARTERS_SHOWN = 8;

/**
 * ForumTermsSections show the forum as an institution: its terms of
 * reference, how often it met against its target, its members with how they
 * were selected, their terms and declarations of interests, and its past
 * members; a member files their own declaration here.
 */
export function ForumTermsSections({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const account = useAccount();
  const terms = useForumTerms(slug, account);
  const freq = useMeetingFrequency(slug);
  const d = terms.data;
  return (
    <>
      <section aria-labelledby="forum-terms" aria-busy={terms.isFetching}>
        <h2 id="forum-terms">{t('forumRules.terms.title')}</h2>
        <QueryState query={terms} />
        {d && <TermsText terms={d} slug={slug} />}
      </section>
      <section aria-labelledby="forum-meetings" aria-busy={freq.isFetching}>
        <h2 id="forum-meetings">{t('forumRules.frequency.title')}</h2>
        <QueryState query={freq} />
        {freq.data && <FrequencyTable frequency={freq.data} />}
        <p>
          <Link to={`/processes/${slug}/meetings`}>{t('forumRules.frequency.allMeetings')}</Link>
        </p>
      </section>
      {d && (
        <>
          <section aria-labelledby="forum-declarations">
            <h2 id="forum-declarations">{t('forumRules.members.title')}</h2>
            <p>{t('forumRules.members.intro')}</p>
            {d.members.length === 0 ? <p>{t('forum.page.noMembers')}</p> : <MembershipList memberships={d.members} />}
          </section>
          {d.viewer.membership_id != null && <DeclarationForm slug={slug} mine={d.members.find((m) => m.id === d.viewer.membership_id)} />}
          <section aria-labelledby="forum-past">
            <h2 id="forum-past">{t('forumRules.members.pastTitle')}</h2>
            {d.past_members.length === 0 ? <p>{t('forumRules.members.noPast')}</p> : <MembershipList memberships={d.past_members} past />}
          </section>
        </>
      )}
    </>
  );
}

/** TermsText shows the terms of reference as the owners wrote them (HTML rendered and sanitised by the server). */
function TermsText({ terms: d, slug }: { terms: ForumTerms; slug: string }) {
  const { t, i18n } = useTranslation();
  const parts = [
    { key: 'remit', html: d.remit_html },
    { key: 'quorum', html: d.quorum_html },
    { key: 'selection', html: d.selection_html },
    { key: 'memberTerms', html: d.member_terms_html },
  ].filter((p) => p.html.trim() !== '');
  return (
    <>
      {parts.length === 0 && <p>{t('forumRules.terms.none')}</p>}
      {parts.map((p) => (
        <div key={p.key}>
          <h3>{t(`forumRules.terms.${p.key}`)}</h3>
          {/* Markdown rendered and sanitised by the server (bluemonday). */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: p.html }} />
        </div>
      ))}
      <p>{t('forumRules.terms.perQuarter', { count: d.meetings_per_quarter })}</p>
      {d.updated_at && <p className="muted">{t('forumRules.terms.updated', { date: formatDate(d.updated_at, i18n.language) })}</p>}
      {d.viewer.manage && (
        <p>
          <Link to={`/processes/${slug}/forum/terms`}>{t('forumRules.terms.edit')}</Link>
        </p>
      )}
    </>
  );
}

/** FrequencyTable lists the latest quarters, newest first: forum meetings held against the target. */
function FrequencyTable({ frequency: f }: { frequency: MeetingFrequency }) {
  const { t } = useTranslation();
  const quarters = [...f.quarters].reverse().slice(0, QUARTERS_SHOWN);
  return (
    <>
      <p>{t('forumRules.frequency.target', { count: f.target_per_quarter })}</p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a wide table scrolls: keyboard users focus it to scroll (WCAG 2.1.1) */}
      <div className="table-scroll" role="region" aria-label={t('forumRules.tables.frequency')} tabIndex={0}>
        <table className="stats-table">
          <caption className="visually-hidden">{t('forumRules.frequency.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('forumRules.frequency.quarter')}</th>
              <th scope="col">{t('forumRules.frequency.held')}</th>
              <th scope="col">{t('forumRules.frequency.met')}</th>
            </tr>
          </thead>
          <tbody>
            {quarters.map((q) => (
              <tr key={`${q.year}-${q.quarter}`}>
                <th scope="row">{t('forumRules.frequency.quarterName', { year: q.year, quarter: q.quarter })}</th>
                <td>{q.held}</td>
                <td>{q.met ? t('forumRules.frequency.yes') : q.current ? t('forumRules.frequency.inProgress') : t('forumRules.frequency.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** selectionName names how a member was selected. */
function selectionName(t: (k: string) => string, s: string | null): string {
  return s ? t(`forumRules.selection.${s}`) : t('forumRules.selection.unknown');
}

/** MembershipList shows memberships with how each was selected, the term, the dates and the declaration of interests. */
function MembershipList({ memberships, past = false }: { memberships: ForumMembership[]; past?: boolean }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDate(iso, i18n.language);
  return (
    <ul className="membership-list">
      {memberships.map((m) => (
        <li key={m.id} className="membership">
          <h3 className="membership-name">
            {m.name} <span className="muted">· {seatName(t, m.seat)}</span>
          </h3>
          <dl className="facts">
            {m.organisation && (
              <>
                <dt>{t('forum.page.organisation')}</dt>
                <dd>{m.organisation}</dd>
              </>
            )}
            <dt>{t('forumRules.members.selection')}</dt>
            <dd>{selectionName(t, m.selection)}</dd>
            <dt>{t('forumRules.members.term')}</dt>
            <dd>
              {m.term_start || m.term_end
                ? t('forumRules.members.termDates', { from: m.term_start ? date(m.term_start) : '…', to: m.term_end ? date(m.term_end) : '…' })
                : t('forumRules.members.termUnknown')}
            </dd>
            <dt>{t('forumRules.members.membership')}</dt>
            <dd>
              {past && m.left_at
                ? t('forumRules.members.servedFromTo', { from: date(m.joined_at), to: date(m.left_at) })
                : t('forumRules.members.since', { date: date(m.joined_at) })}
            </dd>
            {m.member_ref && (
              <>
                <dt>{t('forum.page.memberId')}</dt>
                <dd>
                  <code>{m.member_ref}</code>
                </dd>
              </>
            )}
            <dt>{t('forumRules.declaration.title')}</dt>
            <dd>{m.declaration ? <DeclarationText declaration={m.declaration} /> : t('forumRules.declaration.notFiled')}</dd>
          </dl>
          {m.earlier_declarations.length > 0 && (
            <details>
              <summary>{t('forumRules.declaration.earlier', { count: m.earlier_declarations.length })}</summary>
              <ul>
                {m.earlier_declarations.map((d) => (
                  <li key={d.filed_at}>
                    <DeclarationText declaration={d} />
                  </li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

function DeclarationText({ declaration: d }: { declaration: Declaration }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {d.none ? <p>{t('forumRules.declaration.none')}</p> : <div className="prose" dangerouslySetInnerHTML={{ __html: d.body_html }} />}
      <p className="muted">{t('forumRules.declaration.filedOn', { date: formatDate(d.filed_at, i18n.language) })}</p>
    </>
  );
}

/** DeclarationForm lets a member file their declaration of interests: none, or a text. */
function DeclarationForm({ slug, mine }: { slug: string; mine: ForumMembership | undefined }) {
  const { t } = useTranslation();
  const [none, setNone] = useState(mine?.declaration?.none ?? false);
  const [body, setBody] = useState(mine?.declaration?.none === false ? mine.declaration.body : '');
  const [saved, setSaved] = useState(false);
  const save = useDeclare(slug);
  return (
    <section aria-labelledby="forum-my-declaration">
      <h2 id="forum-my-declaration">{t('forumRules.declaration.formTitle')}</h2>
      <p>{t('forumRules.declaration.formIntro')}</p>
      <form
        className="settings-form"
        noValidate
        onSubmit={handleSubmit(() => {
          setSaved(false);
          save.mutate({ none, body }, { onSuccess: () => setSaved(true) });
        })}
      >
        <ErrorSummary error={save.error} />
        <CheckboxField name="none" label={t('forumRules.declaration.noneLabel')} checked={none} onChange={setNone} />
        {!none && (
          <TextAreaField name="body" label={t('forumRules.declaration.bodyLabel')} hint={t('forumRules.declaration.bodyHint')} value={body} onChange={setBody} maxLength={5000} rows={5} error={fieldError(save.error, 'body')} />
        )}
        <div className="form-actions">
          <SubmitButton pending={save.isPending}>{t('forumRules.declaration.file')}</SubmitButton>
        </div>
        <p role="status" className="notice">
          {saved ? t('forumRules.declaration.filed') : ''}
        </p>
      </form>
    </section>
  );
}
