import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { CheckboxField, ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { RadioGroup } from '../../components/RadioGroup';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { reasonName } from './format';
import { useSaveModerationSettings } from './mutations';
import { modes, reasonCodes, useModerationSettings, type ModerationMode, type ModerationSettings } from './queries';
import { draftOf, type SettingsDraft } from './settingsDraft';

/** ModerationSettingsPage lets a process's owners set how its contributions are moderated: /processes/:slug/moderation/settings. */
export function ModerationSettingsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const settings = useModerationSettings(slug, account);
  const manage = useCanManageProcess(slug, account);
  const notFound = (settings.error instanceof AppError && settings.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('moderation.settings.title'), notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('moderation.settings.signIn')}
        </Link>
      </p>
    );
  } else if (settings.isPending || manage.checking || process.isPending) {
    content = <Loading />;
  } else if (settings.isError) {
    content = <ErrorMessage error={settings.error} />;
  } else if (settings.data === null || !manage.allowed) {
    content = <p className="notice-box">{t('moderation.settings.forbidden')}</p>;
  } else {
    content = <SettingsForm slug={slug} settings={settings.data} languages={process.data?.languages ?? []} />;
  }
  return (
    <div className="moderation-settings-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('moderation.settings.title')}</h1>
      <p>
        <Link to={`/processes/${slug}/moderation`}>{t('moderation.console.title')}</Link>
      </p>
      {content}
    </div>
  );
}

/** langPattern is a language code as the banned-terms lists are keyed: en, fr, pt-BR... */
const langPattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

function SettingsForm({ slug, settings, languages }: { slug: string; settings: ModerationSettings; languages: string[] }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings, languages));
  const set = (patch: Partial<SettingsDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const [newLang, setNewLang] = useState('');
  const [langError, setLangError] = useState<{ code: string } | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const termsBox = useRef<HTMLDivElement>(null);
  const focusLater = useFocusAfterRender();
  const save = useSaveModerationSettings(slug);
  const error = save.error;

  function send() {
    setSaved(false);
    save.mutate(draft, { onSuccess: () => setSaved(true) });
  }

  // A number field shows any refusal as "a whole number in the range given".
  const numberError = (name: string) => (fieldError(error, name) ? { code: 'number' } : undefined);
  const termsError = (lang: string) => {
    const err = error instanceof AppError ? error.fields.find((f) => f.field === `banned_terms.${lang}` || f.field.startsWith(`banned_terms[${lang}]`) || f.field.startsWith(`banned_terms.${lang}[`)) : undefined;
    return err ? { code: err.code } : undefined;
  };

  function addLanguage() {
    const lang = newLang.trim();
    if (!langPattern.test(lang)) {
      setLangError({ code: 'language' });
      return;
    }
    setLangError(undefined);
    if (!draft.terms.some((r) => r.lang === lang)) setDraft((d) => ({ ...d, terms: [...d.terms, { lang, text: '' }] }));
    setNewLang('');
    focusLater(() => termsBox.current?.querySelector<HTMLTextAreaElement>(`[data-lang="${lang}"] textarea`));
  }

  const languageName = (code: string) => {
    try {
      return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };

  return (
    <form className="settings-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={error} />
      <RadioGroup
        name="mode"
        legend={t('moderation.settings.mode')}
        choices={modes.map((m) => ({ value: m, label: t(`moderation.mode.${m}`), hint: t(`moderation.modeHint.${m}`) }))}
        value={draft.mode}
        onChange={(v) => set({ mode: v as ModerationMode })}
        error={fieldError(error, 'mode')}
      />
      <fieldset>
        <legend>{t('moderation.settings.holding')}</legend>
        <Field
          name="hold_first"
          type="number"
          min={0}
          max={100}
          label={t('moderation.settings.holdFirst')}
          hint={t('moderation.settings.holdFirstHint')}
          value={draft.holdFirst}
          onChange={(v) => set({ holdFirst: v })}
          error={numberError('hold_first')}
        />
        <Field
          name="timebox_hours"
          type="number"
          min={1}
          max={720}
          required={false}
          label={t('moderation.settings.timebox')}
          hint={t('moderation.settings.timeboxHint')}
          value={draft.timebox}
          onChange={(v) => set({ timebox: v })}
          error={numberError('timebox_hours')}
        />
        <Field
          name="flag_threshold"
          type="number"
          min={1}
          max={100}
          label={t('moderation.settings.threshold')}
          hint={t('moderation.settings.thresholdHint')}
          value={draft.threshold}
          onChange={(v) => set({ threshold: v })}
          error={numberError('flag_threshold')}
        />
      </fieldset>
      <fieldset>
        <legend>{t('moderation.settings.screen')}</legend>
        <CheckboxField name="rules.banned_terms" label={t('moderation.settings.rules.banned')} checked={draft.bannedOn} onChange={(v) => set({ bannedOn: v })} error={fieldError(error, 'rules.banned_terms')} />
        <CheckboxField name="rules.links_on" label={t('moderation.settings.rules.linksOn')} checked={draft.linksOn} onChange={(v) => set({ linksOn: v })} />
        {draft.linksOn && (
          <Field
            name="rules.links"
            type="number"
            min={0}
            max={100}
            label={t('moderation.settings.rules.links')}
            hint={t('moderation.settings.rules.linksHint')}
            value={draft.links}
            onChange={(v) => set({ links: v })}
            error={numberError('rules.links')}
          />
        )}
        <CheckboxField name="rules.duplicate" label={t('moderation.settings.rules.duplicate')} checked={draft.duplicate} onChange={(v) => set({ duplicate: v })} error={fieldError(error, 'rules.duplicate')} />
        <CheckboxField name="rules.campaign_on" label={t('moderation.settings.rules.campaignOn')} checked={draft.campaignOn} onChange={(v) => set({ campaignOn: v })} />
        {draft.campaignOn && (
          <Field
            name="rules.campaign"
            type="number"
            min={2}
            max={1000}
            label={t('moderation.settings.rules.campaign')}
            hint={t('moderation.settings.rules.campaignHint')}
            value={draft.campaign}
            onChange={(v) => set({ campaign: v })}
            error={numberError('rules.campaign')}
          />
        )}
        <CheckboxField name="rules.rate" label={t('moderation.settings.rules.rate')} checked={draft.rate} onChange={(v) => set({ rate: v })} error={fieldError(error, 'rules.rate')} />
        <CheckboxField name="rules.shouting" label={t('moderation.settings.rules.shouting')} checked={draft.shouting} onChange={(v) => set({ shouting: v })} error={fieldError(error, 'rules.shouting')} />
      </fieldset>
      <fieldset>
        <legend>{t('moderation.settings.terms')}</legend>
        <p className="hint">{t('moderation.settings.termsHint')}</p>
        <div ref={termsBox}>
          {draft.terms.map((r) => (
            <div key={r.lang} data-lang={r.lang}>
              <TextAreaField
                name={`banned_terms.${r.lang}`}
                label={t('moderation.settings.termsFor', { language: languageName(r.lang), code: r.lang })}
                required={false}
                rows={4}
                value={r.text}
                onChange={(text) => setDraft((d) => ({ ...d, terms: d.terms.map((x) => (x.lang === r.lang ? { ...x, text } : x)) }))}
                error={termsError(r.lang)}
              />
            </div>
          ))}
        </div>
        {/* Enter in the language code adds the language; it does not save the whole form. */}
        {/* eslint-disable-next-line jsx-a11y/no-static-element-interactions -- the keys come from the text field inside */}
        <div
          className="add-language"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
              e.preventDefault();
              addLanguage();
            }
          }}
        >
          <Field name="new_language" label={t('moderation.settings.newLanguage')} hint={t('moderation.settings.newLanguageHint')} required={false} maxLength={12} value={newLang} onChange={setNewLang} error={langError} />
          <button type="button" className="secondary" onClick={addLanguage}>
            {t('moderation.settings.addLanguage')}
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('moderation.settings.houseRules')}</legend>
        <p className="hint">{t('moderation.settings.houseRulesHint')}</p>
        {reasonCodes.map((code, i) => (
          <TextAreaField
            key={code}
            name={`house_rules[${i}].description`}
            label={reasonName(t, code)}
            rows={2}
            maxLength={1000}
            value={draft.descriptions[code]}
            onChange={(v) => setDraft((d) => ({ ...d, descriptions: { ...d.descriptions, [code]: v } }))}
            error={fieldError(error, `house_rules[${i}].description`)}
          />
        ))}
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{t('moderation.settings.save')}</SubmitButton>
      </div>
      {saved && <p role="status">{t('moderation.settings.saved')}</p>}
    </form>
  );
}
