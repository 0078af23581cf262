import { formatDateTime } from '../../lib/format';
import type { Contribution, ContributionRef, Cover, ForumResponse, Seat, Signature } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** dispositionName is a disposition in the interface language ("Adopted"). */
export function dispositionName(t: T, d: string): string {
  return t(`forum.disposition.${d}`, { defaultValue: d });
}

/** seatName is a seat of the forum in the interface language ("Civil society"). */
export function seatName(t: T, seat: Seat | string): string {
  return t(`forum.seat.${seat}`, { defaultValue: seat });
}

/** shortHash shows the start of a hash; the full one goes in a title or a copy button. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

const seatOrder: Record<string, number> = { government: 0, civil_society: 1, other: 2 };

/**
 * signerOrganisations lists, once each, the organisations of those who signed
 * (not of those who dissented), government seats first: the server may give
 * signatures of the same instant in any order.
 */
export function signerOrganisations(signatures: Signature[]): string[] {
  const signed = signatures.filter((s) => s.kind === 'sign').sort((a, b) => (seatOrder[a.seat] ?? 3) - (seatOrder[b.seat] ?? 3));
  return Array.from(new Set(signed.map((s) => s.organisation)));
}

/** RuleLike is a decision rule as the API or the ledger gives it. */
export interface RuleLike {
  name: string;
  qualified_num?: number | null;
  qualified_den?: number | null;
  consensus_hours?: number | null;
  fraction?: string;
}

/** fractionOf is a qualified majority's fraction as written ("2/3"), or "". */
export function fractionOf(rule: RuleLike): string {
  if (rule.fraction) return rule.fraction;
  return rule.qualified_num != null && rule.qualified_den != null ? `${rule.qualified_num}/${rule.qualified_den}` : '';
}

/** ruleName names a decision rule in a few words ("Equal veto"). */
export function ruleName(t: T, name: string): string {
  return t(`forum.ruleName.${name}`, { defaultValue: name });
}

/** ruleText explains a decision rule in a sentence, with its fraction or hours. */
export function ruleText(t: T, rule: RuleLike): string {
  return t(`forum.rule.${rule.name}`, { fraction: fractionOf(rule), count: rule.consensus_hours ?? 0, defaultValue: rule.name });
}

/**
 * missingText says what a draft still needs before it is published: under
 * the single and joint rules, a signature (per missing seat); under the
 * others, what the rule's verdict says is missing, vetoed or awaited.
 */
export function missingText(t: T, r: Pick<ForumResponse, 'state' | 'missing_seats' | 'signatures'> & Partial<Pick<ForumResponse, 'signing_rule' | 'verdict' | 'decide_by'>>, lang = 'en'): string[] {
  if (r.state !== 'draft') return [];
  const v = r.verdict;
  if (!v || r.signing_rule === undefined || r.signing_rule === 'single' || r.signing_rule === 'joint') {
    if (r.missing_seats.length > 0) return r.missing_seats.map((s) => t(`forum.needs.${s}`, { defaultValue: t('forum.needs.any') }));
    if (!r.signatures.some((s) => s.kind === 'sign')) return [t('forum.needs.any')];
    return [];
  }
  const out: string[] = [];
  if (r.signing_rule === 'majority_each') out.push(...v.missing_seats.map((s) => t(`forum.needs.majority.${s}`, { defaultValue: t('forum.needs.any') })));
  else out.push(...v.missing_seats.map((s) => t(`forum.needs.${s}`, { defaultValue: t('forum.needs.any') })));
  out.push(...v.vetoed_seats.map((s) => t(`forum.needs.vetoed.${s}`, { defaultValue: s })));
  if (r.signing_rule === 'qualified' && v.needed > 0) out.push(t('forum.needs.more', { count: v.needed }));
  if (r.signing_rule === 'consensus') {
    if (v.needed > 0) out.push(t('forum.needs.any'));
    if (v.blocked) out.push(t('forum.needs.blocked'));
    else if (v.waiting && r.decide_by) out.push(t('forum.needs.waiting', { date: formatDateTime(r.decide_by, lang) }));
  }
  return out;
}

/** paragraphHref is the address of a draft's paragraph, which opens its thread. */
export function paragraphHref(documentId: number, key: string | null): string {
  return `/documents/${documentId}${key ? `#p-${key}` : ''}`;
}

/** contributionHref is where a contribution can be read: its paragraph's thread, or the idea (it is on). */
export function contributionHref(c: Contribution, slug: string): string | null {
  if (c.kind === 'idea') return `/processes/${slug}/ideas/${c.id}`;
  if (c.document_id != null) return paragraphHref(c.document_id, c.paragraph_key);
  if (c.idea_id != null) return `/processes/${slug}/ideas/${c.idea_id}`;
  return null;
}

/**
 * coverHref is where what a response covers can be read, when the cover says
 * enough to find it: a comment in its paragraph's thread, on its idea or on
 * its progress update; nowhere for a contribution the public may not read.
 */
export function coverHref(c: Pick<Cover, 'kind' | 'id' | 'idea_id' | 'document_id' | 'paragraph_key'> & Partial<Pick<Cover, 'progress_update_id' | 'visible'>>, slug: string): string | null {
  if (c.visible === false) return null;
  switch (c.kind) {
    case 'cluster':
      return c.id != null ? `/clusters/${c.id}` : null;
    case 'idea':
      return c.id != null ? `/processes/${slug}/ideas/${c.id}` : null;
    case 'comment':
      if (c.idea_id != null) return `/processes/${slug}/ideas/${c.idea_id}`;
      if (c.progress_update_id != null) return `/progress-updates/${c.progress_update_id}`;
      return c.document_id != null ? paragraphHref(c.document_id, c.paragraph_key) : null;
    case 'paragraph':
      return c.document_id != null ? paragraphHref(c.document_id, c.paragraph_key) : null;
  }
  return null;
}

/** coverKey tells two covers apart (the same comment, idea, cluster or paragraph is covered once). */
export function coverKey(c: { kind: string; id?: number | null; document_id?: number | null; paragraph_key?: string | null }): string {
  return c.kind === 'paragraph' ? `paragraph:${c.document_id}:${c.paragraph_key}` : `${c.kind}:${c.id}`;
}

/** ledgerCover reads a ledger entry's cover ("comment:12", "paragraph:7:k-intro") for display and a link. */
export function ledgerCover(text: string): { kind: string; id?: number; documentId?: number; key?: string } {
  const m = /^(comment|idea|cluster)[:/#](\d+)$/.exec(text);
  if (m) return { kind: m[1], id: Number(m[2]) };
  const p = /^paragraph[:/#](\d+)[:/#](.+)$/.exec(text);
  if (p) return { kind: 'paragraph', documentId: Number(p[1]), key: p[2] };
  return { kind: 'other' };
}

/** plainExcerpt turns Markdown into a short plain-text excerpt, for lists and summaries. */
export function plainExcerpt(markdown: string, max = 220): string {
  const flat = markdown
    .replace(/[#>*_`~[\]]/g, '')
    .replace(/\(https?:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const cps = Array.from(flat);
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : flat;
}

/** refOf names a contribution the way the API's requests do. */
export const refOf = (c: Contribution): ContributionRef => ({ kind: c.kind, id: c.id });

/** rowKey tells contributions apart in lists. */
export const rowKey = (c: { kind: string; id: number }) => `${c.kind}:${c.id}`;
