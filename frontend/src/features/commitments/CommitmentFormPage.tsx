import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { CheckboxField, ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess, useProcessDocuments } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { useCreateCommitment, useReplaceCommitment } from './mutations';
import { ogpValues, useCommitment, useParagraphs, type Commitment, type CommitmentInput, type Seat } from './queries';

/** CommitmentForm is the form's text, as typed. */
export interface CommitmentForm {
  title: string;
  description: string;
  lead: string;
  otherActors: string;
  theme: string;
  startsOn: string;
  endsOn: string;
  values: string[];
  members: { name: string; organisation: string; seat: Seat; email: string }[];
  milestones: { id?: number; title: string; dueOn: string; completedOn: string; evidenceUrl: string; evidenceItem: string }[];
  sources: { kind: 'paragraph' | 'idea' | 'response'; id: string; documentId: string; paragraphKey: string }[];
}

const emptyMilestone = () => ({ title: '', dueOn: '', completedOn: '', evidenceUrl: '', evidenceItem: '' });

/** formOf is a new commitment's form, or a commitment's as it is. */
export function formOf(c?: Commitment): CommitmentForm {
  if (!c) {
    return { title: '', description: '', lead: '', otherActors: '', theme: '', startsOn: '', endsOn: '', values: [], members: [], milestones: [emptyMilestone()], sources: [] };
  }
  return {
    title: c.title,
    description: c.description,
    lead: c.lead_institution,
    otherActors: c.other_actors.join('\n'),
    theme: c.theme,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    values: c.values,
    members: c.members.map((m) => ({ name: m.name, organisation: m.organisation, seat: m.seat, email: m.account_email ?? '' })),
    milestones: c.milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on, completedOn: m.completed_on ?? '', evidenceUrl: m.evidence_url ?? '',
      evidenceItem: m.evidence_item_id != null ? String(m.evidence_item_id) : '' })),
    sources: c.sources.map((s) => ({ kind: s.kind, id: s.id != null ? String(s.id) : '', documentId: s.document_id != null ? String(s.document_id) : '', paragraphKey: s.paragraph_key ?? '' })),
  };
}

/** inputOf is the request of a form (every field; revision for a replacement). */
export function inputOf(f: CommitmentForm, revision?: number): CommitmentInput {
  const num = (s: string) => (/^\d{1,18}$/.test(s.trim()) ? Number(s.trim()) : undefined);
  return {
    ...(revision != null ? { revision } : {}),
    title: f.title,
    description: f.description,
    lead_institution: f.lead,
    other_actors: f.otherActors.split('\n').map((a) => a.trim()).filter(Boolean),
    theme: f.theme,
    starts_on: f.startsOn,
    ends_on: f.endsOn,
    values: f.values,
    members: f.members.map((m) => ({ name: m.name, organisation: m.organisation, seat: m.seat, account_email: m.email })),
    milestones: f.milestones.map((m) => ({
      ...(m.id != null ? { id: m.id } : {}),
      title: m.title,
      due_on: m.dueOn,
      ...(m.completedOn ? { completed_on: m.completedOn } : {}),
      ...(m.evidenceUrl.trim() ? { evidence_url: m.evidenceUrl.trim() } : {}),
      ...(num(m.evidenceItem) != null ? { evidence_item_id: num(m.evidenceItem) } : {}),
    })),
    sources: f.sources.map((s) =>
      s.kind === 'paragraph' ? { kind: s.kind, document_id: num(s.documentId), paragraph_key: s.paragraphKey } : { kind: s.kind, id: num(s.id) },
    ),
  };
}

/**
 * CommitmentFormPage creates a commitment (/processes/:slug/commitments/new)
 * or edits one (/processes/:slug/commitments/:commitmentID/edit): its fields,
 * working group, milestones and what led to it. The server checks
 * everything; its refusal shows by each field, with a summary, and what was
 * typed stays.
 */
export function CommitmentFormPage() {
  const { slug = '', commitmentID } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const editing = commitmentID != null;
  const valid = !editing || /^[1-9]\d{0,17}$/.test(commitmentID);
  const c = useCommitment(Number(commitmentID ?? 0), account?.id, editing && valid);
  useDocumentTitle(editing ? t('commitments.form.editTitle') : t('commitments.form.newTitle'));
  if (!valid || (c.error instanceof AppError && c.error.status === 404)) return <NotFound title={t('commitments.notFoundTitle')} body={t('commitments.notFoundBody')} />;
  if (editing && c.isPending) return <Loading />;
  if (editing && c.isError) return <ErrorMessage error={c.error} />;
  if (editing && c.data && !c.data.viewer.manage) {
    return (
      <div className="commitment-form-page">
        <h1>{t('commitments.form.editTitle')}</h1>
        <p>{t('commitments.form.notOwner')}</p>
      </div>
    );
  }
  return <FormBody key={commitmentID ?? 'new'} slug={slug} commitment={c.data} />;
}

function FormBody({ slug, commitment }: { slug: string; commitment?: Commitment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const process = useProcess(slug);
  const [form, setForm] = useState<CommitmentForm>(() => formOf(commitment));
  const create = useCreateCommitment(slug);
  const replace = useReplaceCommitment(slug, commitment?.id ?? 0);
  const save = commitment ? replace : create;
  const error = save.error;
  const set = (patch: Partial<CommitmentForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = () =>
    save.mutate(inputOf(form, commitment?.revision), {
      onSuccess: (c) => navigate(`/processes/${slug}/commitments/${c.id}`, { state: { notice: commitment ? 'commitments.form.saved' : 'commitments.form.created' } }),
    });
  return (
    <div className="commitment-form-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{commitment ? t('commitments.form.editTitle') : t('commitments.form.newTitle')}</h1>
      <p className="lead">{t('commitments.form.intro')}</p>
      <form className="commitment-form" onSubmit={handleSubmit(submit)} noValidate>
        <ErrorSummary error={error} />
        <Field name="title" label={t('commitments.form.title')} value={form.title} onChange={(v) => set({ title: v })} maxLength={200} error={fieldError(error, 'title')} />
        <TextAreaField name="description" label={t('commitments.form.description')} hint={t('commitments.editor.markdownHint')} required={false}
          value={form.description} onChange={(v) => set({ description: v })} rows={5} maxLength={5000} error={fieldError(error, 'description')} />
        <Field name="lead_institution" label={t('commitments.form.lead')} value={form.lead} onChange={(v) => set({ lead: v })} maxLength={200} error={fieldError(error, 'lead_institution')} />
        <TextAreaField name="other_actors" label={t('commitments.form.otherActors')} hint={t('commitments.form.otherActorsHint')} required={false}
          value={form.otherActors} onChange={(v) => set({ otherActors: v })} rows={3} error={fieldError(error, 'other_actors')} />
        <Field name="theme" label={t('commitments.form.theme')} required={false} value={form.theme} onChange={(v) => set({ theme: v })} maxLength={80} error={fieldError(error, 'theme')} />
        <div className="row-grid">
          <Field name="starts_on" type="date" label={t('commitments.form.startsOn')} value={form.startsOn} onChange={(v) => set({ startsOn: v })} error={fieldError(error, 'starts_on')} />
          <Field name="ends_on" type="date" label={t('commitments.form.endsOn')} value={form.endsOn} onChange={(v) => set({ endsOn: v })} error={fieldError(error, 'ends_on')} />
        </div>
        <fieldset>
          <legend>{t('commitments.form.values')}</legend>
          {ogpValues.map((v, i) => (
            <CheckboxField key={v} name={`value-${v}`} label={t(`commitments.value.${v}`)} checked={form.values.includes(v)}
              onChange={(on) => set({ values: on ? [...form.values, v] : form.values.filter((x) => x !== v) })} error={fieldError(error, `values[${i}]`)} />
          ))}
        </fieldset>
        <Members form={form} set={set} error={error} />
        <Milestones form={form} set={set} error={error} />
        <Sources slug={slug} form={form} set={set} error={error} />
        <div className="form-actions">
          <SubmitButton pending={save.isPending}>{commitment ? t('commitments.form.save') : t('commitments.form.create')}</SubmitButton>
          <Link to={commitment ? `/processes/${slug}/commitments/${commitment.id}` : `/processes/${slug}/commitments`}>{t('commitments.cancel')}</Link>
        </div>
      </form>
    </div>
  );
}

type Part = { form: CommitmentForm; set: (p: Partial<CommitmentForm>) => void; error: unknown };

/** Members is the working group: named people or organisations, their seat, and the account that writes updates. */
function Members({ form, set, error }: Part) {
  const { t } = useTranslation();
  const seats: Seat[] = ['government', 'civil_society', 'other'];
  const update = (i: number, patch: Partial<CommitmentForm['members'][number]>) => set({ members: form.members.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  return (
    <fieldset>
      <legend>{t('commitments.form.members')}</legend>
      <p className="hint">{t('commitments.form.membersHint')}</p>
      <div className="repeat-rows">
        {form.members.map((m, i) => (
          <fieldset key={i}>
            <legend>{t('commitments.form.member', { n: i + 1 })}</legend>
            <div className="row-grid">
              <Field name={`member-name-${i}`} label={t('commitments.form.memberName')} value={m.name} onChange={(v) => update(i, { name: v })} error={fieldError(error, `members[${i}].name`)} />
              <Field name={`member-org-${i}`} label={t('commitments.form.memberOrganisation')} required={false} value={m.organisation}
                onChange={(v) => update(i, { organisation: v })} error={fieldError(error, `members[${i}].organisation`)} />
              <SelectField name={`member-seat-${i}`} label={t('commitments.form.memberSeat')} value={m.seat} onChange={(v) => update(i, { seat: v as Seat })}
                options={seats.map((s) => ({ value: s, label: t(`commitments.seat.${s}`) }))} error={fieldError(error, `members[${i}].seat`)} />
              <Field name={`member-email-${i}`} type="email" label={t('commitments.form.memberEmail')} hint={t('commitments.form.memberEmailHint')} required={false}
                value={m.email} onChange={(v) => update(i, { email: v })} error={fieldError(error, `members[${i}].account_email`)} />
            </div>
            <button type="button" className="secondary" onClick={() => set({ members: form.members.filter((_, j) => j !== i) })}>
              {t('commitments.form.removeMember', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
      </div>
      <button type="button" className="secondary" onClick={() => set({ members: [...form.members, { name: '', organisation: '', seat: 'government', email: '' }] })}>
        {t('commitments.form.addMember')}
      </button>
    </fieldset>
  );
}

/** Milestones are the commitment's dated milestones, each inside its dates, with a completion day and evidence once done. */
function Milestones({ form, set, error }: Part) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<CommitmentForm['milestones'][number]>) => set({ milestones: form.milestones.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const listError = fieldError(error, 'milestones');
  return (
    <fieldset>
      <legend>{t('commitments.form.milestones')}</legend>
      <p className="hint">{t('commitments.form.milestonesHint')}</p>
      {listError && (
        <p className="field-error">{t(`fieldErrors.${listError.code}`, { defaultValue: t('fieldErrors.invalid') })}</p>
      )}
      <div className="repeat-rows">
        {form.milestones.map((m, i) => (
          <fieldset key={m.id ?? `new-${i}`}>
            <legend>{t('commitments.form.milestone', { n: i + 1 })}</legend>
            <div className="row-grid">
              <Field name={`milestone-title-${i}`} label={t('commitments.form.milestoneTitle')} value={m.title} onChange={(v) => update(i, { title: v })}
                maxLength={300} error={fieldError(error, `milestones[${i}].title`)} />
              <Field name={`milestone-due-${i}`} type="date" label={t('commitments.form.milestoneDue')} value={m.dueOn} onChange={(v) => update(i, { dueOn: v })}
                error={fieldError(error, `milestones[${i}].due_on`)} />
              <Field name={`milestone-done-${i}`} type="date" label={t('commitments.form.milestoneDone')} required={false} value={m.completedOn}
                onChange={(v) => update(i, { completedOn: v })} error={fieldError(error, `milestones[${i}].completed_on`)} />
              <Field name={`milestone-url-${i}`} type="url" label={t('commitments.form.milestoneEvidence')} required={false} value={m.evidenceUrl}
                onChange={(v) => update(i, { evidenceUrl: v })} error={fieldError(error, `milestones[${i}].evidence_url`)} />
              <Field name={`milestone-item-${i}`} label={t('commitments.form.milestoneItem')} hint={t('commitments.form.milestoneItemHint')} required={false}
                value={m.evidenceItem} onChange={(v) => update(i, { evidenceItem: v })} error={fieldError(error, `milestones[${i}].evidence_item_id`)} />
            </div>
            {form.milestones.length > 1 && (
              <button type="button" className="secondary" onClick={() => set({ milestones: form.milestones.filter((_, j) => j !== i) })}>
                {t('commitments.form.removeMilestone', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
      </div>
      <button type="button" className="secondary" onClick={() => set({ milestones: [...form.milestones, emptyMilestone()] })}>
        {t('commitments.form.addMilestone')}
      </button>
    </fieldset>
  );
}

/** Sources are what led to the commitment: paragraphs of the final draft, ideas and responses. */
function Sources({ slug, form, set, error }: Part & { slug: string }) {
  const { t } = useTranslation();
  const docs = useProcessDocuments(slug);
  const update = (i: number, patch: Partial<CommitmentForm['sources'][number]>) => set({ sources: form.sources.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <fieldset>
      <legend>{t('commitments.form.sources')}</legend>
      <p className="hint">{t('commitments.form.sourcesHint')}</p>
      <div className="repeat-rows">
        {form.sources.map((s, i) => (
          <fieldset key={i}>
            <legend>{t('commitments.form.source', { n: i + 1 })}</legend>
            {fieldError(error, `sources[${i}]`) && <p className="field-error">{t('commitments.form.sourceUnknown')}</p>}
            <div className="row-grid">
              <SelectField name={`source-kind-${i}`} label={t('commitments.form.sourceKind')} value={s.kind} onChange={(v) => update(i, { kind: v as typeof s.kind })}
                options={(['paragraph', 'idea', 'response'] as const).map((k) => ({ value: k, label: t(`commitments.form.sourceKinds.${k}`) }))} />
              {s.kind === 'paragraph' ? (
                <>
                  <SelectField name={`source-doc-${i}`} label={t('commitments.form.sourceDocument')} value={s.documentId}
                    onChange={(v) => update(i, { documentId: v, paragraphKey: '' })}
                    options={[{ value: '', label: t('commitments.form.chooseDocument') }, ...(docs.data ?? []).map((d) => ({ value: String(d.id), label: d.title }))]}
                    error={fieldError(error, `sources[${i}].document_id`)} />
                  <ParagraphSelect index={i} documentId={s.documentId} value={s.paragraphKey} onChange={(v) => update(i, { paragraphKey: v })} error={fieldError(error, `sources[${i}].paragraph_key`)} />
                </>
              ) : (
                <Field name={`source-id-${i}`} label={t(`commitments.form.sourceNumber.${s.kind}`)} value={s.id} onChange={(v) => update(i, { id: v })}
                  error={fieldError(error, `sources[${i}].id`)} />
              )}
            </div>
            <button type="button" className="secondary" onClick={() => set({ sources: form.sources.filter((_, j) => j !== i) })}>
              {t('commitments.form.removeSource', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
      </div>
      <button type="button" className="secondary" onClick={() => set({ sources: [...form.sources, { kind: 'paragraph', id: '', documentId: '', paragraphKey: '' }] })}>
        {t('commitments.form.addSource')}
      </button>
    </fieldset>
  );
}

function ParagraphSelect({ index, documentId, value, onChange, error }: { index: number; documentId: string; value: string; onChange: (v: string) => void; error?: { code: string } }) {
  const { t } = useTranslation();
  const paragraphs = useParagraphs(/^\d+$/.test(documentId) ? Number(documentId) : null);
  const cut = (s: string) => (Array.from(s).length > 90 ? `${Array.from(s).slice(0, 89).join('')}…` : s);
  return (
    <SelectField name={`source-paragraph-${index}`} label={t('commitments.form.sourceParagraph')} value={value} onChange={onChange}
      options={[{ value: '', label: paragraphs.isFetching ? t('app.loading') : t('commitments.form.chooseParagraph') }, ...(paragraphs.data ?? []).map((p) => ({ value: p.key, label: cut(p.text) }))]}
      error={error} />
  );
}
