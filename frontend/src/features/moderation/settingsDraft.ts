// The moderation settings form: what it holds (text, as typed) and the
// settings it sends, refused first for what the server would refuse.
import type { FieldError } from '../../api/client';
import { FormCheck } from '../../lib/forms';
import { reasonCodes, type ModerationMode, type ModerationSettings, type ReasonCode } from './queries';

/** TermsRow is one language's banned terms, one per line. */
export interface TermsRow {
  lang: string;
  text: string;
}

/** SettingsDraft is the settings form as the person left it. */
export interface SettingsDraft {
  mode: ModerationMode;
  holdFirst: string;
  timebox: string;
  threshold: string;
  bannedOn: boolean;
  linksOn: boolean;
  links: string;
  duplicate: boolean;
  campaignOn: boolean;
  campaign: string;
  rate: boolean;
  shouting: boolean;
  terms: TermsRow[];
  descriptions: Record<ReasonCode, string>;
}

/** draftOf is the form for stored settings; the process's languages each get a row of banned terms. */
export function draftOf(s: ModerationSettings, languages: string[]): SettingsDraft {
  const langs = [...new Set([...languages, ...Object.keys(s.banned_terms)])];
  return {
    mode: s.mode,
    holdFirst: String(s.hold_first),
    timebox: s.timebox_hours == null ? '' : String(s.timebox_hours),
    threshold: String(s.flag_threshold),
    bannedOn: s.rules.banned_terms,
    linksOn: s.rules.links != null,
    links: String(s.rules.links ?? 2),
    duplicate: s.rules.duplicate,
    campaignOn: s.rules.campaign != null,
    campaign: String(s.rules.campaign ?? 3),
    rate: s.rules.rate,
    shouting: s.rules.shouting,
    terms: langs.map((lang) => ({ lang, text: (s.banned_terms[lang] ?? []).join('\n') })),
    descriptions: Object.fromEntries(reasonCodes.map((c) => [c, s.house_rules.find((r) => r.code === c)?.description ?? ''])) as Record<ReasonCode, string>,
  };
}

/** toSettings is what the form sends; a number out of its range refuses the form (code "number"). */
export function toSettings(d: SettingsDraft): ModerationSettings {
  const fields: FieldError[] = [];
  const whole = (v: string, field: string, min: number, max: number): number => {
    const n = /^\s*\d{1,6}\s*$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) fields.push({ field, code: 'number', message: '' });
    return n;
  };
  const input: ModerationSettings = {
    mode: d.mode,
    hold_first: whole(d.holdFirst, 'hold_first', 0, 100),
    timebox_hours: d.timebox.trim() === '' ? null : whole(d.timebox, 'timebox_hours', 1, 720),
    flag_threshold: whole(d.threshold, 'flag_threshold', 1, 100),
    rules: {
      banned_terms: d.bannedOn,
      links: d.linksOn ? whole(d.links, 'rules.links', 0, 100) : null,
      duplicate: d.duplicate,
      campaign: d.campaignOn ? whole(d.campaign, 'rules.campaign', 2, 1000) : null,
      rate: d.rate,
      shouting: d.shouting,
    },
    banned_terms: Object.fromEntries(
      d.terms.map((r) => [
        r.lang,
        r.text
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      ]),
    ),
    house_rules: reasonCodes.map((code) => ({ code, description: d.descriptions[code].trim() })),
  };
  if (fields.length > 0) throw new FormCheck('moderation.invalid', fields);
  return input;
}
