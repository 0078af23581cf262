import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { CheckboxField, ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, errorText, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useCanManageProcess, useIdeaSettings, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { useSaveIdeaSettings } from './mutations';
import { type IdeaSettings, type IdeaSettingsInput, type IdeaTheme } from './queries';

/** IdeaSettingsPage lets a process's owners set the support rules and the themes of ideas: /processes/:slug/ideas/settings. */
export function IdeaSettingsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const settings = useIdeaSettings(slug);
  const manage = useCanManageProcess(slug, account);
  const notFound = settings.error instanceof AppError && settings.error.status === 404;
  useDocumentTitle(t('ideaSettings.title'), notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('ideaSettings.signIn')}
        </Link>
      </p>
    );
  } else if (settings.isPending || manage.checking) {
    content = <Loading />;
  } else if (settings.isError) {
    content = <ErrorMessage error={settings.error} />;
  } else if (!manage.allowed) {
    content = <p className="notice-box">{t('ideaSettings.forbidden')}</p>;
  } else {
    content = <SettingsForm slug={slug} settings={settings.data} />;
  }
  return (
    <div className="idea-settings-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('ideaSettings.title')}</h1>
      <p>
        <Link to={`/processes/${slug}/ideas`}>{t('idea.backToIdeasShort')}</Link>
      </p>
      {content}
    </div>
  );
}

interface ThemeRow {
  /** Tells rows apart for React, also new ones. */
  key: string;
  id?: number;
  name: string;
  description: string;
}

let nextRow = 0;
const rowsOf = (themes: IdeaTheme[]): ThemeRow[] => themes.map((th) => ({ key: `t${th.id}`, id: th.id, name: th.name, description: th.description }));

function SettingsForm({ slug, settings }: { slug: string; settings: IdeaSettings }) {
  const { t } = useTranslation();
  const [stored, setStored] = useState(settings);
  const [limit, setLimit] = useState(String(settings.support_limit));
  const [onePerTheme, setOnePerTheme] = useState(settings.one_per_theme);
  const [rows, setRows] = useState<ThemeRow[]>(rowsOf(settings.themes));
  const [saved, setSaved] = useState(false);
  const focusLater = useFocusAfterRender();
  const list = useRef<HTMLOListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const removed = stored.themes.filter((th) => !rows.some((r) => r.id === th.id));

  const save = useSaveIdeaSettings(slug);

  function send() {
    setSaved(false);
    const input: IdeaSettingsInput = {
      support_limit: /^\d{1,4}$/.test(limit.trim()) ? Number(limit.trim()) : -1,
      one_per_theme: onePerTheme,
      themes: rows.map((r) => ({ ...(r.id !== undefined ? { id: r.id } : {}), name: r.name.trim(), description: r.description.trim() })),
    };
    save.mutate(input, {
      onSuccess: (next) => {
        setStored(next);
        setRows(rowsOf(next.themes));
        setSaved(true);
      },
    });
  }

  // A new theme's name, or after a removal the next theme (else "Add a theme"), takes the focus.
  function focusRow(key: string) {
    focusLater(() => list.current?.querySelector<HTMLInputElement>(`[data-row="${key}"] input`) ?? addButton.current);
  }

  function change(key: string, patch: Partial<ThemeRow>) {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  }
  function remove(i: number) {
    const after = rows[i + 1] ?? rows[i - 1];
    setRows((rs) => rs.filter((_, j) => j !== i));
    focusRow(after ? after.key : '');
  }
  function add() {
    const key = `new${++nextRow}`;
    setRows((rs) => [...rs, { key, name: '', description: '' }]);
    focusRow(key);
  }
  function restore() {
    // Stored themes back in their places; new ones after them.
    const position = (r: ThemeRow) => stored.themes.find((th) => th.id === r.id)?.position ?? Number.MAX_SAFE_INTEGER;
    setRows((rs) => [...rs, ...rowsOf(removed)].sort((a, b) => position(a) - position(b)));
  }

  const error = save.error;
  const inUse = error instanceof AppError && error.code === 'idea.theme_in_use';
  return (
    <form className="settings-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={error}>
        <p>{inUse && removed.length > 0 ? t('ideaSettings.themeInUse', { count: removed.length, names: removed.map((th) => `“${th.name}”`).join(', ') }) : errorText(t, error)}</p>
        {inUse && removed.length > 0 && (
          <button type="button" className="secondary" onClick={restore}>
            {t('ideaSettings.restore', { count: removed.length })}
          </button>
        )}
      </ErrorSummary>
      <fieldset>
        <legend>{t('ideaSettings.supports')}</legend>
        <Field
          name="support_limit"
          type="number"
          min={0}
          max={1000}
          label={t('ideaSettings.limit')}
          hint={t('ideaSettings.limitHint')}
          value={limit}
          onChange={setLimit}
          error={fieldError(error, 'support_limit')}
        />
        <CheckboxField name="one_per_theme" label={t('ideaSettings.onePerTheme')} checked={onePerTheme} onChange={setOnePerTheme} error={fieldError(error, 'one_per_theme')} />
      </fieldset>
      <fieldset>
        <legend>{t('ideaSettings.themes')}</legend>
        {rows.length === 0 && <p>{t('ideaSettings.noThemes')}</p>}
        <ol className="theme-rows" ref={list}>
          {rows.map((r, i) => (
            <li key={r.key} data-row={r.key}>
              <fieldset>
                <legend>{r.name.trim() || t('ideaSettings.themeN', { n: i + 1 })}</legend>
                <Field name={`themes[${i}].name`} label={t('ideaSettings.themeName')} value={r.name} maxLength={80} onChange={(name) => change(r.key, { name })} error={fieldError(error, `themes[${i}].name`)} />
                <TextAreaField
                  name={`themes[${i}].description`}
                  label={t('ideaSettings.themeDescription')}
                  required={false}
                  rows={2}
                  maxLength={1000}
                  value={r.description}
                  onChange={(description) => change(r.key, { description })}
                  error={fieldError(error, `themes[${i}].description`)}
                />
                <button type="button" className="secondary" onClick={() => remove(i)}>
                  {t('ideaSettings.remove', { name: r.name.trim() || t('ideaSettings.themeN', { n: i + 1 }) })}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" ref={addButton} onClick={add}>
          {t('ideaSettings.add')}
        </button>
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{t('ideaSettings.save')}</SubmitButton>
      </div>
      {saved && <p role="status">{t('ideaSettings.saved')}</p>}
    </form>
  );
}
