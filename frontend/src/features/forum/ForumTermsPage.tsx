import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { seatName } from './format';
import { useSaveMembership, useSaveTerms, type MembershipDraft, type TermsDraft } from './mutations';
import { useForumTerms, type ForumMembership, type ForumTerms } from './queries';

/**
 * ForumTermsPage is where a process's owners write the forum's terms of
 * reference and record how each member was selected and their term:
 * /processes/:slug/forum/terms.
 */
export function ForumTermsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const process = useProcess(slug);
  const terms = useForumTerms(slug, account);
  const notFound = terms.error instanceof AppError && terms.error.status === 404;
  useDocumentTitle(t('forumRules.termsPage.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  return (
    <div className="forum-terms-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forumRules.termsPage.title')}</h1>
      <p className="lead">{t('forumRules.termsPage.intro')}</p>
      <p>
        <Link to={`/processes/${slug}/forum`}>{t('forumRules.termsPage.back')}</Link>
      </p>
      {terms.isPending && <Loading />}
      {terms.isError && <ErrorMessage error={terms.error} />}
      {terms.data && !terms.data.viewer.manage && <p>{t('forumRules.termsPage.notOwner')}</p>}
      {terms.data?.viewer.manage && (
        <>
          <TermsForm slug={slug} terms={terms.data} />
          <section aria-labelledby="terms-members">
            <h2 id="terms-members">{t('forumRules.termsPage.membersTitle')}</h2>
            <p>{t('forumRules.termsPage.membersIntro')}</p>
            {[...terms.data.members, ...terms.data.past_members].map((m) => (
              <MembershipForm key={m.id} slug={slug} membership={m} past={m.left_at != null} />
            ))}
          </section>
        </>
      )}
    </div>
  );
}

/** TermsForm writes the terms of reference (Markdown) and the meetings a quarter. */
function TermsForm({ slug, terms }: { slug: string; terms: ForumTerms }) {
  const { t } = useTranslation();
  const [d, setD] = useState<TermsDraft>({ remit: terms.remit, quorum: terms.quorum, selection: terms.selection, memberTerms: terms.member_terms, perQuarter: String(terms.meetings_per_quarter) });
  const [saved, setSaved] = useState(false);
  const save = useSaveTerms(slug);
  const set = (k: keyof TermsDraft) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  return (
    <section aria-labelledby="terms-form">
      <h2 id="terms-form">{t('forumRules.termsPage.formTitle')}</h2>
      <form
        className="settings-form"
        noValidate
        onSubmit={handleSubmit(() => {
          setSaved(false);
          save.mutate(d, { onSuccess: () => setSaved(true) });
        })}
      >
        <ErrorSummary error={save.error} />
        <TextAreaField name="remit" label={t('forumRules.terms.remit')} hint={t('forumRules.termsPage.markdown')} value={d.remit} onChange={set('remit')} required={false} maxLength={20000} error={fieldError(save.error, 'remit')} />
        <TextAreaField name="quorum" label={t('forumRules.terms.quorum')} value={d.quorum} onChange={set('quorum')} required={false} maxLength={5000} rows={3} error={fieldError(save.error, 'quorum')} />
        <TextAreaField name="selection" label={t('forumRules.terms.selection')} value={d.selection} onChange={set('selection')} required={false} maxLength={20000} error={fieldError(save.error, 'selection')} />
        <TextAreaField name="member_terms" label={t('forumRules.terms.memberTerms')} value={d.memberTerms} onChange={set('memberTerms')} required={false} maxLength={5000} rows={3} error={fieldError(save.error, 'member_terms')} />
        <Field name="meetings_per_quarter" type="number" min={0} max={13} label={t('forumRules.termsPage.perQuarter')} hint={t('forumRules.termsPage.perQuarterHint')} value={d.perQuarter} onChange={set('perQuarter')} error={fieldError(save.error, 'meetings_per_quarter')} />
        <div className="form-actions">
          <SubmitButton pending={save.isPending}>{t('forumRules.termsPage.save')}</SubmitButton>
        </div>
        <p role="status" className="notice">
          {saved ? t('forum.settings.saved') : ''}
        </p>
      </form>
    </section>
  );
}

/** MembershipForm records how one member was selected and their term of office. */
function MembershipForm({ slug, membership: m, past }: { slug: string; membership: ForumMembership; past: boolean }) {
  const { t } = useTranslation();
  const [d, setD] = useState<MembershipDraft>({ id: m.id, selection: m.selection ?? '', termStart: m.term_start ?? '', termEnd: m.term_end ?? '' });
  const [saved, setSaved] = useState(false);
  const save = useSaveMembership(slug);
  const headingId = `membership-${m.id}`;
  return (
    <form
      className="settings-form membership-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={handleSubmit(() => {
        setSaved(false);
        save.mutate(d, { onSuccess: () => setSaved(true) });
      })}
    >
      <h3 id={headingId}>
        {m.name} · {seatName(t, m.seat)}
        {past && <span className="muted"> ({t('forumRules.termsPage.past')})</span>}
      </h3>
      <ErrorSummary error={save.error} />
      <SelectField
        name="selection"
        label={t('forumRules.members.selection')}
        value={d.selection}
        onChange={(v) => setD((x) => ({ ...x, selection: v as MembershipDraft['selection'] }))}
        required={false}
        options={[
          { value: '', label: t('forumRules.selection.unknown') },
          { value: 'appointed', label: t('forumRules.selection.appointed') },
          { value: 'elected', label: t('forumRules.selection.elected') },
          { value: 'open_call', label: t('forumRules.selection.open_call') },
        ]}
        error={fieldError(save.error, 'selection')}
      />
      <Field name="term_start" type="date" label={t('forumRules.termsPage.termStart')} value={d.termStart} onChange={(v) => setD((x) => ({ ...x, termStart: v }))} required={false} error={fieldError(save.error, 'term_start')} />
      <Field name="term_end" type="date" label={t('forumRules.termsPage.termEnd')} value={d.termEnd} onChange={(v) => setD((x) => ({ ...x, termEnd: v }))} required={false} error={fieldError(save.error, 'term_end')} />
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{t('forumRules.termsPage.saveMember', { name: m.name })}</SubmitButton>
      </div>
      <p role="status" className="notice">
        {saved ? t('forum.settings.saved') : ''}
      </p>
    </form>
  );
}
