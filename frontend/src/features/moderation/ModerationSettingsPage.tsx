import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError, type FieldError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { saveModerationSettings } from './actions';
import { reasonName } from './format';
import { modes, moderationKeys, reasonCodes, useModerationSettings, type ModerationMode, type ModerationSettings, type ReasonCode } from './queries';
import { CheckboxField, ErrorSummary, Field, SubmitButton, TextAreaField, useSubmit } from '../../components/form';
import { useAccount } from '../../lib/useAccount';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { useCanManageProcess, useProcess } from '../../lib/process';
import { RadioGroup } from '../../components/RadioGroup';

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

interface TermsRow {
  lang: string;
  text: string;
}

const termsOf = (s: ModerationSettings, languages: string[]): TermsRow[] => {
  const langs = [...new Set([...languages, ...Object.keys(s.banned_terms)])];
  return langs.map((lang) => ({ lang, text: (s.banned_terms[lang] ?? []).join('\n') }));
};

const descriptionsOf = (s: ModerationSettings) => Object.fromEntries(reasonCodes.map((c) => [c, s.house_rules.find((r) => r.code === c)?.description ?? ''])) as Record<ReasonCode, string>;

/** langPattern is a language code as the banned-terms lists are keyed: en, fr, pt-BR... */
const langPattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

function SettingsForm({ slug, settings, languages }: { slug: string; settings: ModerationSettings; languages: string[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const account = useAccount();
  const [mode, setMode] = useState<ModerationMode>(settings.mode);
  const [holdFirst, setHoldFirst] = useState(String(settings.hold_first));
  const [timebox, setTimebox] = useState(settings.timebox_hours == null ? '' : String(settings.timebox_hours));
  const [threshold, setThreshold] = useState(String(settings.flag_threshold));
  const [bannedOn, setBannedOn] = useState(settings.rules.banned_terms);
  const [linksOn, setLinksOn] = useState(settings.rules.links != null);
  const [links, setLinks] = useState(String(settings.rules.links ?? 2));
  const [duplicate, setDuplicate] = useState(settings.rules.duplicate);
  const [campaignOn, setCampaignOn] = useState(settings.rules.campaign != null);
  const [campaign, setCampaign] = useState(String(settings.rules.campaign ?? 3));
  const [rate, setRate] = useState(settings.rules.rate);
  const [shouting, setShouting] = useState(settings.rules.shouting);
  const [terms, setTerms] = useState<TermsRow[]>(termsOf(settings, languages));
  const [descriptions, setDescriptions] = useState(descriptionsOf(settings));
  const [newLang, setNewLang] = useState('');
  const [langError, setLangError] = useState<{ code: string } | undefined>(undefined);
  const [focusLang, setFocusLang] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const termsBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusLang === null) return;
    setFocusLang(null);
    termsBox.current?.querySelector<HTMLTextAreaElement>(`[data-lang="${focusLang}"] textarea`)?.focus();
  }, [focusLang]);

  const form = useSubmit(async () => {
    setSaved(false);
    const fields: FieldError[] = [];
    const whole = (v: string, field: string, min: number, max: number): number => {
      const n = /^\s*\d{1,6}\s*$/.test(v) ? Number(v) : NaN;
      if (!(n >= min && n <= max)) fields.push({ field, code: 'number', message: '' });
      return n;
    };
    const input: ModerationSettings = {
      mode,
      hold_first: whole(holdFirst, 'hold_first', 0, 100),
      timebox_hours: timebox.trim() === '' ? null : whole(timebox, 'timebox_hours', 1, 720),
      flag_threshold: whole(threshold, 'flag_threshold', 1, 100),
      rules: {
        banned_terms: bannedOn,
        links: linksOn ? whole(links, 'rules.links', 0, 100) : null,
        duplicate,
        campaign: campaignOn ? whole(campaign, 'rules.campaign', 2, 1000) : null,
        rate,
        shouting,
      },
      banned_terms: Object.fromEntries(
        terms.map((r) => [
          r.lang,
          r.text
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        ]),
      ),
      house_rules: reasonCodes.map((code) => ({ code, description: descriptions[code].trim() })),
    };
    if (fields.length > 0) throw new AppError('moderation.invalid', 422, fields);
    const stored = await saveModerationSettings(slug, input);
    client.setQueryData(moderationKeys.settings(slug, account?.id), stored);
    void client.invalidateQueries({ queryKey: moderationKeys.houseRules(slug) });
    setSaved(true);
  });

  // A number field shows any refusal as "a whole number in the range given".
  const numberError = (name: string) => (form.fieldError(name) ? { code: 'number' } : undefined);
  const termsError = (lang: string) => {
    const err = form.error instanceof AppError ? form.error.fields.find((f) => f.field === `banned_terms.${lang}` || f.field.startsWith(`banned_terms[${lang}]`) || f.field.startsWith(`banned_terms.${lang}[`)) : undefined;
    return err ? { code: err.code } : undefined;
  };

  function addLanguage() {
    const lang = newLang.trim();
    if (!langPattern.test(lang)) {
      setLangError({ code: 'language' });
      return;
    }
    setLangError(undefined);
    if (!terms.some((r) => r.lang === lang)) setTerms((rs) => [...rs, { lang, text: '' }]);
    setNewLang('');
    setFocusLang(lang);
  }

  const languageName = (code: string) => {
    try {
      return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };

  return (
    <form className="settings-form" onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      <RadioGroup
        name="mode"
        legend={t('moderation.settings.mode')}
        choices={modes.map((m) => ({ value: m, label: t(`moderation.mode.${m}`), hint: t(`moderation.modeHint.${m}`) }))}
        value={mode}
        onChange={(v) => setMode(v as ModerationMode)}
        error={form.fieldError('mode')}
      />
      <fieldset>
        <legend>{t('moderation.settings.holding')}</legend>
        <Field name="hold_first" type="number" min={0} max={100} label={t('moderation.settings.holdFirst')} hint={t('moderation.settings.holdFirstHint')} value={holdFirst} onChange={setHoldFirst} error={numberError('hold_first')} />
        <Field
          name="timebox_hours"
          type="number"
          min={1}
          max={720}
          required={false}
          label={t('moderation.settings.timebox')}
          hint={t('moderation.settings.timeboxHint')}
          value={timebox}
          onChange={setTimebox}
          error={numberError('timebox_hours')}
        />
        <Field name="flag_threshold" type="number" min={1} max={100} label={t('moderation.settings.threshold')} hint={t('moderation.settings.thresholdHint')} value={threshold} onChange={setThreshold} error={numberError('flag_threshold')} />
      </fieldset>
      <fieldset>
        <legend>{t('moderation.settings.screen')}</legend>
        <CheckboxField name="rules.banned_terms" label={t('moderation.settings.rules.banned')} checked={bannedOn} onChange={setBannedOn} error={form.fieldError('rules.banned_terms')} />
        <CheckboxField name="rules.links_on" label={t('moderation.settings.rules.linksOn')} checked={linksOn} onChange={setLinksOn} />
        {linksOn && (
          <Field name="rules.links" type="number" min={0} max={100} label={t('moderation.settings.rules.links')} hint={t('moderation.settings.rules.linksHint')} value={links} onChange={setLinks} error={numberError('rules.links')} />
        )}
        <CheckboxField name="rules.duplicate" label={t('moderation.settings.rules.duplicate')} checked={duplicate} onChange={setDuplicate} error={form.fieldError('rules.duplicate')} />
        <CheckboxField name="rules.campaign_on" label={t('moderation.settings.rules.campaignOn')} checked={campaignOn} onChange={setCampaignOn} />
        {campaignOn && (
          <Field
            name="rules.campaign"
            type="number"
            min={2}
            max={1000}
            label={t('moderation.settings.rules.campaign')}
            hint={t('moderation.settings.rules.campaignHint')}
            value={campaign}
            onChange={setCampaign}
            error={numberError('rules.campaign')}
          />
        )}
        <CheckboxField name="rules.rate" label={t('moderation.settings.rules.rate')} checked={rate} onChange={setRate} error={form.fieldError('rules.rate')} />
        <CheckboxField name="rules.shouting" label={t('moderation.settings.rules.shouting')} checked={shouting} onChange={setShouting} error={form.fieldError('rules.shouting')} />
      </fieldset>
      <fieldset>
        <legend>{t('moderation.settings.terms')}</legend>
        <p className="hint">{t('moderation.settings.termsHint')}</p>
        <div ref={termsBox}>
          {terms.map((r) => (
            <div key={r.lang} data-lang={r.lang}>
              <TextAreaField
                name={`banned_terms.${r.lang}`}
                label={t('moderation.settings.termsFor', { language: languageName(r.lang), code: r.lang })}
                required={false}
                rows={4}
                value={r.text}
                onChange={(text) => setTerms((rs) => rs.map((x) => (x.lang === r.lang ? { ...x, text } : x)))}
                error={termsError(r.lang)}
              />
            </div>
          ))}
        </div>
        <div
          className="add-language"
          onKeyDown={(e) => {
            // Enter in the language code adds the language; it does not save the whole form.
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
            value={descriptions[code]}
            onChange={(v) => setDescriptions((d) => ({ ...d, [code]: v }))}
            error={form.fieldError(`house_rules[${i}].description`)}
          />
        ))}
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{t('moderation.settings.save')}</SubmitButton>
      </div>
      {saved && <p role="status">{t('moderation.settings.saved')}</p>}
    </form>
  );
}
