import { useTranslation } from 'react-i18next';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { RadioGroup } from '../../components/RadioGroup';
import { fieldError, handleSubmit } from '../../lib/forms';
import { day } from './DashboardPage';
import { milestoneStates, type Commitment, type MilestoneState, type ProgressUpdate, type ProgressUpdateInput } from './queries';

/** UpdateDraft is the editor's text, as typed. */
export interface UpdateDraft {
  kind: 'government' | 'joint';
  progress: string;
  delayReasons: string;
  nextSteps: string;
  states: Record<number, { state: MilestoneState; completedOn: string }>;
  evidence: { url: string; item: string }[];
  correctionReason: string;
}

/** initialDraft is a new update's text (every milestone as the commitment has it) or a draft's. */
export function initialDraft(c: Commitment, u?: ProgressUpdate): UpdateDraft {
  const states: UpdateDraft['states'] = {};
  for (const m of c.milestones) {
    const was = u?.milestones.find((s) => s.milestone_id === m.id);
    states[m.id] = was
      ? { state: was.state, completedOn: was.completed_on ?? '' }
      : { state: m.completed_on ? 'completed' : 'in_progress', completedOn: m.completed_on ?? '' };
  }
  return {
    kind: u?.kind ?? 'joint',
    progress: u?.progress ?? '',
    delayReasons: u?.delay_reasons ?? '',
    nextSteps: u?.next_steps ?? '',
    states,
    evidence: u ? u.evidence.map((e) => ({ url: e.url ?? '', item: e.repository_item ? String(e.repository_item.id) : '' })) : [],
    correctionReason: u?.correction_reason ?? '',
  };
}

/** inputOf is the request of a draft's text. */
export function inputOf(c: Commitment, d: UpdateDraft, extra: Partial<ProgressUpdateInput> = {}): ProgressUpdateInput {
  return {
    kind: d.kind,
    progress: d.progress,
    delay_reasons: d.delayReasons,
    next_steps: d.nextSteps,
    milestones: c.milestones.map((m) => {
      const s = d.states[m.id] ?? { state: 'in_progress', completedOn: '' };
      return s.state === 'completed' ? { milestone_id: m.id, state: s.state, completed_on: s.completedOn } : { milestone_id: m.id, state: s.state };
    }),
    evidence: d.evidence
      .filter((e) => e.url.trim() !== '' || e.item.trim() !== '')
      .map((e) => (e.item.trim() !== '' && /^\d+$/.test(e.item.trim()) ? { repository_item_id: Number(e.item.trim()) } : { url: e.url.trim() })),
    ...extra,
  };
}

/**
 * UpdateEditor writes a progress update of a commitment: government or
 * joint, progress, a state for each milestone (with the day a completed one
 * was done), the reasons for a delay (required when a milestone is late),
 * next steps and evidence. A refusal shows in place, each field's problem by
 * the field, and what was typed stays.
 */
export function UpdateEditor({ commitment: c, value, onChange, onSubmit, pending, error, submitLabel, correcting, onCancel }: {
  commitment: Commitment;
  value: UpdateDraft;
  onChange: (d: UpdateDraft) => void;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  /** The draft corrects a published update: its reason is asked for. */
  correcting: boolean;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const d = value;
  const set = (patch: Partial<UpdateDraft>) => onChange({ ...d, ...patch });
  const late = c.milestones.filter((m) => m.due_on < c.today && d.states[m.id]?.state !== 'completed');
  return (
    <form className="commitment-form update-editor" onSubmit={handleSubmit(onSubmit)} noValidate>
      <ErrorSummary error={error} />
      {correcting && (
        <TextAreaField name="correction_reason" label={t('commitments.editor.correctionReason')} hint={t('commitments.editor.correctionHint')}
          value={d.correctionReason} onChange={(v) => set({ correctionReason: v })} rows={3} maxLength={2000} error={fieldError(error, 'correction_reason')} />
      )}
      <RadioGroup
        name="kind"
        legend={t('commitments.editor.kind')}
        value={d.kind}
        onChange={(v) => set({ kind: v as UpdateDraft['kind'] })}
        error={fieldError(error, 'kind')}
        choices={[
          { value: 'joint', label: t('commitments.updateKind.joint'), hint: t('commitments.editor.jointHint') },
          { value: 'government', label: t('commitments.updateKind.government'), hint: t('commitments.editor.governmentHint') },
        ]}
      />
      <TextAreaField name="progress" label={t('commitments.editor.progress')} hint={t('commitments.editor.markdownHint')} value={d.progress}
        onChange={(v) => set({ progress: v })} rows={6} maxLength={20000} error={fieldError(error, 'progress')} />
      <fieldset>
        <legend>{t('commitments.editor.milestones')}</legend>
        {fieldError(error, 'milestones') && (
          <p className="field-error" role="alert">
            {t(`fieldErrors.${fieldError(error, 'milestones')!.code}`, { defaultValue: t('fieldErrors.invalid') })}
          </p>
        )}
        <div className="repeat-rows">
          {c.milestones.map((m, i) => {
            const s = d.states[m.id] ?? { state: 'in_progress' as MilestoneState, completedOn: '' };
            const setState = (patch: Partial<typeof s>) => set({ states: { ...d.states, [m.id]: { ...s, ...patch } } });
            return (
              <div key={m.id} className="row-grid">
                <SelectField name={`state-${m.id}`} label={t('commitments.editor.stateOf', { title: m.title, date: day(m.due_on, i18n.language) })} value={s.state}
                  options={milestoneStates.map((v) => ({ value: v, label: t(`commitments.milestoneState.${v}`) }))}
                  onChange={(v) => setState({ state: v as MilestoneState, completedOn: v === 'completed' ? s.completedOn || m.completed_on || '' : '' })}
                  error={fieldError(error, `milestones[${i}].state`)} />
                {s.state === 'completed' && (
                  <Field name={`completed-${m.id}`} type="date" label={t('commitments.editor.completedOn', { title: m.title })} value={s.completedOn}
                    onChange={(v) => setState({ completedOn: v })} error={fieldError(error, `milestones[${i}].completed_on`)} />
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
      <TextAreaField name="delay_reasons" label={t('commitments.editor.delayReasons')}
        hint={late.length > 0 ? t('commitments.editor.delayRequired', { list: late.map((m) => m.title).join(', ') }) : t('commitments.editor.delayHint')}
        required={late.length > 0} value={d.delayReasons} onChange={(v) => set({ delayReasons: v })} rows={4} maxLength={10000} error={fieldError(error, 'delay_reasons')} />
      <TextAreaField name="next_steps" label={t('commitments.editor.nextSteps')} value={d.nextSteps} onChange={(v) => set({ nextSteps: v })} rows={4}
        maxLength={10000} error={fieldError(error, 'next_steps')} />
      <fieldset>
        <legend>{t('commitments.editor.evidence')}</legend>
        <p className="hint">{t('commitments.editor.evidenceHint')}</p>
        <div className="repeat-rows">
          {d.evidence.map((e, i) => (
            <div key={i} className="row-grid">
              <Field name={`evidence-url-${i}`} type="url" required={false} label={t('commitments.editor.evidenceUrl', { n: i + 1 })} value={e.url}
                onChange={(v) => set({ evidence: d.evidence.map((x, j) => (j === i ? { ...x, url: v } : x)) })} error={fieldError(error, `evidence[${i}].url`)} />
              <Field name={`evidence-item-${i}`} required={false} label={t('commitments.editor.evidenceItem', { n: i + 1 })} value={e.item}
                onChange={(v) => set({ evidence: d.evidence.map((x, j) => (j === i ? { ...x, item: v } : x)) })} error={fieldError(error, `evidence[${i}].item_id`)} />
              <p>
                <button type="button" className="secondary" onClick={() => set({ evidence: d.evidence.filter((_, j) => j !== i) })}>
                  {t('commitments.editor.removeEvidence', { n: i + 1 })}
                </button>
              </p>
            </div>
          ))}
        </div>
        {d.evidence.length < 10 && (
          <button type="button" className="secondary" onClick={() => set({ evidence: [...d.evidence, { url: '', item: '' }] })}>
            {t('commitments.editor.addEvidence')}
          </button>
        )}
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('commitments.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
