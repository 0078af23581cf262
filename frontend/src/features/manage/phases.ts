// A process's phases as the set-up form edits them: one row per kind, in
// cycle order, included or not, with its first and last day in the owner's
// own calendar (a phase opens at the start of its first day and closes at the
// end of its last).
import type { Phase, PhaseKind } from '../../api/client';

export const phaseOrder: PhaseKind[] = ['agenda_setting', 'idea_collection', 'drafting', 'public_comment', 'response', 'implementation'];

/** PhaseRow is one kind of phase in the form. */
export interface PhaseRow {
  kind: PhaseKind;
  included: boolean;
  /** First day, YYYY-MM-DD ('' when not given). */
  opens: string;
  /** Last day, YYYY-MM-DD ('' when not given). */
  closes: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** dayOf is the local calendar day of an instant, YYYY-MM-DD. */
export function dayOf(t: Date): string {
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

/** startOf is the instant the local day begins (RFC 3339, UTC), or '' for a day that is not one. */
export function startOf(day: string, plusDays = 0): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return '';
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(t.getTime()) ? '' : t.toISOString().replace('.000Z', 'Z');
}

/** rowsOf lays out a process's phases as the form's rows, every kind in cycle order. */
export function rowsOf(phases: Phase[]): PhaseRow[] {
  return phaseOrder.map((kind) => {
    const ph = phases.find((p) => p.kind === kind);
    if (!ph) return { kind, included: false, opens: '', closes: '' };
    // The last day is the one the closing instant ends (a close at midnight ends the day before).
    return { kind, included: true, opens: dayOf(new Date(ph.opens_at)), closes: dayOf(new Date(new Date(ph.closes_at).getTime() - 1)) };
  });
}

/** PhaseInput is a phase as the API takes it. */
export interface PhaseInput {
  kind: PhaseKind;
  opens_at: string;
  closes_at: string;
}

/** phasesOf turns the included rows into the API's phases, in cycle order. */
export function phasesOf(rows: PhaseRow[]): PhaseInput[] {
  return rows.filter((r) => r.included).map((r) => ({ kind: r.kind, opens_at: startOf(r.opens), closes_at: startOf(r.closes, 1) }));
}

/** samePhases reports whether two sets of rows describe the same phases (unincluded rows' dates do not count). */
export function samePhases(a: PhaseRow[], b: PhaseRow[]): boolean {
  return JSON.stringify(phasesOf(a)) === JSON.stringify(phasesOf(b));
}

/** slugOf suggests a web address from a title: lower-case ASCII words joined by hyphens, at most 80 characters. */
export function slugOf(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** languagesOf reads the language codes typed in one field, separated by commas or spaces. */
export function languagesOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter((s) => s !== '');
}
