import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SubmitButton } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { RadioGroup } from '../../components/RadioGroup';
import { QueryState, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { ruleName, ruleText, seatName } from './format';
import { ForumTermsSections } from './ForumTermsSection';
import { useSaveForumSettings } from './mutations';
import { rules, seats, useForum, type Forum, type SigningRule } from './queries';

/** ForumLinks leads to the forum's public pages and, for its members and owners, to the workspace. */
export function ForumLinks({ slug, forum, current }: { slug: string; forum: Forum | undefined; current?: 'forum' | 'ledger' | 'coverage' | 'workspace' }) {
  const { t } = useTranslation();
  const links = [
    { key: 'forum', to: `/processes/${slug}/forum`, label: t('forum.links.forum') },
    { key: 'ledger', to: `/processes/${slug}/ledger`, label: t('forum.links.ledger') },
    { key: 'coverage', to: `/processes/${slug}/coverage`, label: t('forum.links.coverage') },
  ];
  if (forum?.viewer?.member || forum?.viewer?.manage) links.push({ key: 'workspace', to: `/processes/${slug}/forum/workspace`, label: t('forum.links.workspace') });
  return (
    <nav aria-label={t('forum.links.label')}>
      <ul className="idea-links">
        {links
          .filter((l) => l.key !== current)
          .map((l) => (
            <li key={l.key}>
              <Link to={l.to}>{l.label}</Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** ForumPage shows a process's forum: its members, the balance of seats and how responses are signed: /processes/:slug/forum. */
export function ForumPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const process = useProcess(slug);
  const forum = useForum(slug, account);
  const notFound = (forum.error instanceof AppError && forum.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('forum.page.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  const f = forum.data;
  return (
    <div className="forum-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forum.page.title')}</h1>
      <p className="lead">{t('forum.page.intro')}</p>
      <ForumLinks slug={slug} forum={f} current="forum" />
      <QueryState query={forum} />
      {f && (
        <>
          {f.viewer.member && (
            <p className="notice-box">
              {t('forum.page.youAreMember', { ref: f.viewer.member_ref ?? '' })} <Link to={`/processes/${slug}/forum/workspace`}>{t('forum.links.workspace')}</Link>
            </p>
          )}
          <section aria-labelledby="forum-rule">
            <h2 id="forum-rule">{t('forum.page.howTitle')}</h2>
            <p>{ruleText(t, { ...f.rule, name: f.signing_rule })}</p>
            <p>{t('forum.page.target', { count: f.target_days })}</p>
          </section>
          <section aria-labelledby="forum-seats">
            <h2 id="forum-seats">{t('forum.page.seatsTitle')}</h2>
            <ul className="seat-balance">
              {seats.map((s) => (
                <li key={s}>{t('forum.page.seatCount', { seat: seatName(t, s), count: f.seats[s] })}</li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="forum-members">
            <h2 id="forum-members">{t('forum.page.membersTitle')}</h2>
            {f.members.length === 0 ? (
              <p>{t('forum.page.noMembers')}</p>
            ) : (
              // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a wide table scrolls: keyboard users focus it to scroll (WCAG 2.1.1)
              <div className="table-scroll" role="region" aria-label={t('forumRules.tables.members')} tabIndex={0}>
                <table className="stats-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('forum.page.name')}</th>
                      <th scope="col">{t('forum.page.seat')}</th>
                      <th scope="col">{t('forum.page.organisation')}</th>
                      <th scope="col">{t('forum.page.memberId')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.members.map((m) => (
                      <tr key={m.member_ref}>
                        <th scope="row">{m.name}</th>
                        <td>{seatName(t, m.seat)}</td>
                        <td>{m.organisation}</td>
                        <td>
                          <code>{m.member_ref}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <ForumTermsSections slug={slug} />
          {f.viewer.manage && <SettingsForm slug={slug} forum={f} />}
        </>
      )}
    </div>
  );
}

/** SettingsForm lets the process's owners choose the decision rule, with its fraction or hours, and the response target. */
function SettingsForm({ slug, forum }: { slug: string; forum: Forum }) {
  const { t } = useTranslation();
  const [rule, setRule] = useState<SigningRule>(forum.signing_rule);
  const [days, setDays] = useState(String(forum.target_days));
  const [num, setNum] = useState(String(forum.rule.qualified_num ?? 2));
  const [den, setDen] = useState(String(forum.rule.qualified_den ?? 3));
  const [hours, setHours] = useState(String(forum.rule.consensus_hours ?? 72));
  const [saved, setSaved] = useState(false);
  const save = useSaveForumSettings(slug);
  function send() {
    setSaved(false);
    save.mutate({ rule, days, num, den, hours }, { onSuccess: () => setSaved(true) });
  }
  const example = { name: rule, qualified_num: Number(num) || null, qualified_den: Number(den) || null, consensus_hours: Number(hours) || null };
  return (
    <section aria-labelledby="forum-settings">
      <h2 id="forum-settings">{t('forum.settings.title')}</h2>
      <form className="settings-form" onSubmit={handleSubmit(send)} noValidate>
        <ErrorSummary error={save.error} />
        <RadioGroup
          name="signing_rule"
          legend={t('forum.settings.rule')}
          value={rule}
          onChange={(v) => setRule(v as SigningRule)}
          error={fieldError(save.error, 'signing_rule')}
          choices={rules.map((r) => ({
            value: r,
            label: r === 'single' || r === 'joint' ? t(`forum.settings.${r}`) : ruleName(t, r),
            hint: ruleText(t, { ...example, name: r }),
          }))}
        />
        {rule === 'qualified' && (
          <fieldset className="fraction">
            <legend>{t('forumRules.settings.fraction')}</legend>
            <p className="hint">{t('forumRules.settings.fractionHint')}</p>
            <div className="fraction-fields">
              <Field name="qualified_num" type="number" min={1} max={100} label={t('forumRules.settings.numerator')} value={num} onChange={setNum} error={fieldError(save.error, 'qualified_fraction')} />
              <Field name="qualified_den" type="number" min={2} max={100} label={t('forumRules.settings.denominator')} value={den} onChange={setDen} error={fieldError(save.error, 'qualified_fraction')} />
            </div>
          </fieldset>
        )}
        {rule === 'consensus' && (
          <Field name="consensus_hours" type="number" min={1} max={720} label={t('forumRules.settings.hours')} hint={t('forumRules.settings.hoursHint')} value={hours} onChange={setHours} error={fieldError(save.error, 'consensus_hours')} />
        )}
        <p className="hint">{t('forumRules.settings.appliesLater')}</p>
        <Field name="target_days" type="number" min={1} max={365} label={t('forum.settings.target')} hint={t('forum.settings.targetHint')} value={days} onChange={setDays} error={fieldError(save.error, 'target_days')} />
        <div className="form-actions">
          <SubmitButton pending={save.isPending}>{t('forum.settings.save')}</SubmitButton>
        </div>
        <p role="status" className="notice">
          {saved ? t('forum.settings.saved') : ''}
        </p>
      </form>
    </section>
  );
}
