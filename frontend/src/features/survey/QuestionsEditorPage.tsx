import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { useSaveSurveyQuestions } from './mutations';
import { promptOf, type QuestionKind, type Survey, useSurvey } from './queries';
import './survey.css';

/** The bounds the server checks, told to the owner before they save. */
const MAX_QUESTIONS = 10;
const MAX_PROMPT = 300;

const kinds: QuestionKind[] = ['scale', 'yes_no', 'choice', 'text'];

interface Draft {
  key: number; // stable across removals, for React and for labels' ids
  kind: QuestionKind;
  prompt: string;
  options: string; // one per line
}

/**
 * QuestionsEditorPage is where an owner replaces a phase's survey questions,
 * until the first answer arrives: /processes/:slug/surveys/:phase/questions.
 */
export function QuestionsEditorPage() {
  const { slug = '', phase = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const manage = useCanManageProcess(slug, account);
  const survey = useSurvey(slug, phase);
  const title = t('survey.editor.title', { phase: t(`phase.${phase}`, { defaultValue: phase }) });
  useDocumentTitle(title);
  if (survey.error instanceof AppError && survey.error.status === 404) return <NotFound title={t('survey.page.notFoundTitle')} body={t('survey.page.notFoundBody')} />;
  if (survey.isPending || manage.checking) return <Loading />;
  if (survey.isError) return <ErrorMessage error={survey.error} />;
  if (!manage.allowed) {
    return (
      <article className="survey-page">
        <h1>{title}</h1>
        <p className="notice-box">{t('survey.editor.notOwner')}</p>
      </article>
    );
  }
  return <Editor slug={slug} survey={survey.data} title={title} />;
}

function Editor({ slug, survey, title }: { slug: string; survey: Survey; title: string }) {
  const { t } = useTranslation();
  const process = useProcess(slug);
  const [drafts, setDrafts] = useState<Draft[]>(() =>
    survey.questions.map((q, n) => ({ key: n, kind: q.kind, prompt: promptOf(t, survey, q), options: q.options.join('\n') })),
  );
  const [next, setNext] = useState(survey.questions.length);
  const [saved, setSaved] = useState(false);
  const [said, announce] = useAnnouncer();
  const save = useSaveSurveyQuestions(slug, survey.phase);
  const error = save.error;

  const change = (key: number, patch: Partial<Draft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const add = () => {
    setDrafts((ds) => [...ds, { key: next, kind: 'scale', prompt: '', options: '' }]);
    setNext(next + 1);
    announce(t('survey.editor.added', { n: drafts.length + 1 }));
  };
  const remove = (key: number, n: number) => {
    setDrafts((ds) => ds.filter((d) => d.key !== key));
    announce(t('survey.editor.removed', { n }));
  };
  const submit = () => {
    setSaved(false);
    save.mutate(
      {
        questions: drafts.map((d) => ({
          kind: d.kind,
          prompt: d.prompt,
          options: d.kind === 'choice' ? d.options.split('\n').map((o) => o.trim()).filter((o) => o !== '') : undefined,
        })),
      },
      { onSuccess: () => setSaved(true) },
    );
  };

  if (survey.answered) {
    return (
      <article className="survey-page">
        <ProcessCrumb slug={slug} title={process.data?.title} />
        <h1>{title}</h1>
        <p className="notice-box">{t('errors.survey.answered')}</p>
      </article>
    );
  }
  return (
    <article className="survey-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{title}</h1>
      <p className="lead">{t('survey.editor.intro', { max: MAX_QUESTIONS })}</p>
      <form onSubmit={handleSubmit(submit)} noValidate>
        <ErrorSummary error={error} />
        {saved && (
          <p role="status" className="notice">
            {t('survey.editor.saved')} <Link to={`/processes/${slug}/surveys/${survey.phase}`}>{t('survey.editor.see')}</Link>
          </p>
        )}
        {fieldError(error, 'questions') && <p className="field-error">{t('survey.editor.count', { max: MAX_QUESTIONS })}</p>}
        {drafts.map((d, n) => (
          <fieldset key={d.key} className="survey-question-editor">
            <legend>{t('survey.editor.question', { n: n + 1 })}</legend>
            <SelectField name={`kind-${d.key}`} label={t('survey.editor.kind')} value={d.kind} onChange={(v) => change(d.key, { kind: v as QuestionKind })}
              options={kinds.map((k) => ({ value: k, label: t(`survey.kinds.${k}`) }))} error={fieldError(error, `questions[${n}].kind`)} />
            <Field name={`prompt-${d.key}`} label={t('survey.editor.prompt')} value={d.prompt} maxLength={MAX_PROMPT}
              onChange={(v) => change(d.key, { prompt: v })} error={fieldError(error, `questions[${n}].prompt`)} />
            {d.kind === 'choice' && (
              <TextAreaField name={`options-${d.key}`} label={t('survey.editor.options')} hint={t('survey.editor.optionsHint')} rows={4}
                value={d.options} onChange={(v) => change(d.key, { options: v })} error={fieldError(error, `questions[${n}].options`)} />
            )}
            <button type="button" className="secondary" onClick={() => remove(d.key, n + 1)}>
              {t('survey.editor.remove', { n: n + 1 })}
            </button>
          </fieldset>
        ))}
        <p>
          <button type="button" className="secondary" onClick={add} disabled={drafts.length >= MAX_QUESTIONS}>
            {t('survey.editor.add')}
          </button>
        </p>
        <SubmitButton pending={save.isPending}>{t('survey.editor.save')}</SubmitButton>
        <p role="status" className="visually-hidden">
          {said}
        </p>
      </form>
    </article>
  );
}
