import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError, type FieldError } from '../../api/client';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { RadioGroup } from '../../components/RadioGroup';
import { FormCheck, handleSubmit, required } from '../../lib/forms';
import { useAnswerSurvey } from './mutations';
import { promptOf, type Survey, type SurveyAnswerInput, type SurveyQuestion } from './queries';

/** MAX_TEXT is the longest free-text answer the server takes. */
export const MAX_TEXT = 2000;

type Answer = SurveyAnswerInput['answers'][number];

/** toAnswer is a question's value as the API takes it, or null when left blank. */
function toAnswer(q: SurveyQuestion, v: string | undefined): Answer | null {
  if (v === undefined || v.trim() === '') return null;
  switch (q.kind) {
    case 'scale':
      return { question: q.id, scale: Number(v) };
    case 'yes_no':
      return { question: q.id, yes: v === 'yes' };
    case 'choice':
      return { question: q.id, choice: v };
    default:
      return { question: q.id, text: v };
  }
}

/**
 * SurveyForm is a participant's answer to a survey: each question a fieldset
 * with its legend (radio buttons for scales, yes/no and choices, a text area
 * for free text). Every question may be left blank but one must be answered;
 * what the server refuses is shown on the question it concerns and announced.
 */
export function SurveyForm({ slug, survey, onDone }: { slug: string; survey: Survey; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<string[]>([]); // the question id of each answer sent, by position
  const [checkError, setCheckError] = useState<AppError | null>(null);
  const answer = useAnswerSurvey(slug, survey.phase, onDone);
  const error = checkError ?? answer.error;

  const submit = () => {
    setCheckError(null);
    const answers = survey.questions.map((q) => toAnswer(q, values[q.id])).filter((a): a is Answer => a !== null);
    if (answers.length === 0) {
      setCheckError(new FormCheck('survey.invalid', [required('answers')]));
      return;
    }
    setSent(answers.map((a) => a.question));
    answer.mutate({ answers });
  };

  /** errorOf is what was refused about question q (its fields are answers[i].*). */
  const errorOf = (q: SurveyQuestion): FieldError | undefined => {
    if (!(error instanceof AppError)) return undefined;
    const i = sent.indexOf(q.id);
    return i < 0 ? undefined : error.fields.find((f) => f.field === `answers[${i}]` || f.field.startsWith(`answers[${i}].`));
  };
  const nothing = error instanceof AppError && error.fields.some((f) => f.field === 'answers');
  const set = (id: string) => (v: string) => setValues((old) => ({ ...old, [id]: v }));

  const scale = [1, 2, 3, 4, 5].map((n) => ({
    value: String(n),
    label: n === 1 ? t('survey.form.scaleLow', { n }) : n === 5 ? t('survey.form.scaleHigh', { n }) : String(n),
  }));
  return (
    <form className="survey-form" onSubmit={handleSubmit(submit)} noValidate>
      <ErrorSummary error={error}>{nothing ? <p>{t('survey.form.nothing')}</p> : undefined}</ErrorSummary>
      <p className="hint">{t('survey.form.intro')}</p>
      {survey.questions.map((q, n) => {
        const legend = t('survey.form.legend', { n: n + 1, prompt: promptOf(t, survey, q) });
        const err = errorOf(q);
        switch (q.kind) {
          case 'scale':
            return <RadioGroup key={q.id} name={q.id} legend={legend} choices={scale} value={values[q.id] ?? ''} onChange={set(q.id)} error={err} className="survey-scale" />;
          case 'yes_no':
            return (
              <RadioGroup key={q.id} name={q.id} legend={legend} value={values[q.id] ?? ''} onChange={set(q.id)} error={err}
                choices={[{ value: 'yes', label: t('survey.form.yes') }, { value: 'no', label: t('survey.form.no') }]} />
            );
          case 'choice':
            return <RadioGroup key={q.id} name={q.id} legend={legend} value={values[q.id] ?? ''} onChange={set(q.id)} error={err} choices={q.options.map((o) => ({ value: o, label: o }))} />;
          default:
            return (
              <fieldset key={q.id} className="survey-text">
                <legend>{legend}</legend>
                <TextAreaField name={q.id} label={t('survey.form.yourText')} hint={t('survey.form.textHint', { max: MAX_TEXT })} required={false}
                  maxLength={MAX_TEXT} rows={5} value={values[q.id] ?? ''} onChange={set(q.id)} error={err} />
              </fieldset>
            );
        }
      })}
      <SubmitButton pending={answer.isPending}>{t('survey.form.submit')}</SubmitButton>
    </form>
  );
}
