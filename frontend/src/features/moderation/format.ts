import type { HouseRule, ModerationItem, ReasonCode } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** ageText says how long an item has waited, in minutes, hours or days. */
export function ageText(t: T, iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return t('moderation.age.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('moderation.age.hours', { count: hours });
  return t('moderation.age.days', { count: Math.floor(hours / 24) });
}

/** reasonName is a house rule's short name in the interface language. */
export function reasonName(t: T, code: ReasonCode | string): string {
  return t(`moderation.reason.${code}`, { defaultValue: code });
}

/** reasonChoices turns house rules into a picker's choices: the name, explained by the process's description. */
export function reasonChoices(t: T, rules: HouseRule[]) {
  return rules.map((r) => ({ value: r.code, label: reasonName(t, r.code), hint: r.description || undefined }));
}

/** sentence ends a piece of text with a full stop unless it already ends a sentence. */
export function sentence(text: string): string {
  const s = text.trim();
  return s === '' || /[.!?…:;»"”)]$/.test(s) ? s : `${s}.`;
}

/**
 * placeOf is where a contribution can be seen: a draft's paragraph, an
 * idea's page (the latter needs the process's slug), the meeting whose
 * agenda it is input to, or the survey a free-text answer answers.
 */
export function placeOf(target: ModerationItem['target'], slug: string | undefined): string | null {
  if (target.type === 'agenda_input') return target.meeting_id != null ? `/meetings/${target.meeting_id}` : null;
  if (target.type === 'survey_text') return target.survey_phase && slug ? `/processes/${slug}/surveys/${target.survey_phase}` : null;
  if (target.document_id != null) return `/documents/${target.document_id}${target.paragraph_key ? `#p-${target.paragraph_key}` : ''}`;
  if (target.idea_id != null && slug) return `/processes/${slug}/ideas/${target.idea_id}`;
  return null;
}

/** leasedNow says whether an item's claim (its lease) still runs; the page shows it as of its last render. */
export function leasedNow(leaseUntil: string | null | undefined, now = Date.now()): boolean {
  return leaseUntil != null && Date.parse(leaseUntil) > now;
}
