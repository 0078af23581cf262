import type { Meeting } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** kindName names a kind of meeting ("Open meeting with civil society"). */
export function kindName(t: T, kind: string): string {
  return t(`meetings.kind.${kind}`, { defaultValue: kind });
}

/** browserZone is the IANA time zone the browser is set to. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** timeZones lists the IANA zones the browser knows, UTC included, sorted; the given zone is kept in the list. */
export function timeZones(keep: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const all = new Set([...zones, 'UTC', keep].filter(Boolean));
  return Array.from(all).sort();
}

/** when says a meeting's date and hours in its own time zone ("Tuesday 4 May 2027, 18:30 – 20:30, Europe/Paris"). */
export function whenText(m: Pick<Meeting, 'starts_at' | 'ends_at' | 'time_zone'>, lang: string, zone = m.time_zone): string {
  try {
    const day = new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeZone: zone });
    const hour = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: zone });
    const start = new Date(m.starts_at);
    const end = new Date(m.ends_at);
    const sameDay = day.format(start) === day.format(end);
    const range = sameDay ? `${day.format(start)}, ${hour.format(start)} – ${hour.format(end)}` : `${day.format(start)}, ${hour.format(start)} – ${day.format(end)}, ${hour.format(end)}`;
    return `${range} (${zone})`;
  } catch {
    return `${m.starts_at} – ${m.ends_at}`;
  }
}

/** differentZone says whether the browser's zone shows the meeting at other hours than its own zone. */
export function differentZone(m: Pick<Meeting, 'starts_at' | 'time_zone'>, lang: string): boolean {
  const mine = browserZone();
  if (mine === m.time_zone) return false;
  try {
    const f = (zone: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone: zone }).format(new Date(m.starts_at));
    return f(mine) !== f(m.time_zone);
  } catch {
    return false;
  }
}
