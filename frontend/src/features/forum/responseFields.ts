// The response editor's form: its fields, how they start, when they differ
// from the draft as saved, and what the server is sent of them.
import type { FieldError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { coverKey } from './format';
import type { ResponseSave } from './mutations';
import type { CoverInput, Disposition, ForumResponse } from './queries';

/** EditorCover is something the response being edited covers, with what the list shows of it. */
export interface EditorCover {
  kind: CoverInput['kind'];
  id?: number;
  document_id?: number;
  paragraph_key?: string;
  label: string;
  /** The contributions it stands for (1 for a comment or an idea). */
  count: number;
}

export interface Fields {
  disposition: Disposition | '';
  reasoning: string;
  ledTo: string;
  covers: EditorCover[];
  /** Why a correction corrects the response it supersedes (empty when the draft corrects nothing). */
  reason: string;
}

/** toCoverInput is what the server is sent of a cover: an id, or a draft's paragraph. */
export function toCoverInput(c: EditorCover): CoverInput {
  return c.kind === 'paragraph' ? { kind: 'paragraph', document_id: c.document_id, paragraph_key: c.paragraph_key } : { kind: c.kind, id: c.id };
}

/** fieldsOf is a draft's text as the form shows it. */
export function fieldsOf(r: ForumResponse): Fields {
  return {
    disposition: r.disposition,
    reasoning: r.reasoning,
    ledTo: r.led_to,
    reason: r.correction_reason ?? '',
    covers: r.covers.map((c) => ({
      kind: c.kind,
      id: c.id ?? undefined,
      document_id: c.document_id ?? undefined,
      paragraph_key: c.paragraph_key ?? undefined,
      label: c.label,
      count: c.count,
    })),
  };
}

export const sameFields = (a: Fields, b: Fields) =>
  a.disposition === b.disposition &&
  a.reasoning === b.reasoning &&
  a.ledTo === b.ledTo &&
  a.reason === b.reason &&
  a.covers.map(coverKey).join() === b.covers.map(coverKey).join();

/** initialFields is what a new editor starts from: a published response to correct, or the covers chosen. */
export function initialFields(corrects: ForumResponse | undefined, covers: EditorCover[] | undefined): Fields {
  if (corrects) return { ...fieldsOf(corrects), reason: '' };
  return { disposition: '', reasoning: '', ledTo: '', covers: covers ?? [], reason: '' };
}

/**
 * responseSave is what saving the form sends: a new draft (which may correct
 * the published response supersedes), or the draft being edited on the
 * revision it read; null while that draft has not loaded. Fields the server
 * would refuse are refused here first.
 */
export function responseSave(fields: Fields, supersedes: number | null, id: number | null, draft: ForumResponse | undefined): ResponseSave | null {
  const problems: FieldError[] = [];
  if (fields.disposition === '') problems.push({ field: 'disposition', code: 'choose', message: '' });
  if (fields.reasoning.trim() === '') problems.push(required('reasoning'));
  if (fields.covers.length === 0) problems.push(required('covers'));
  if (supersedes != null && fields.reason.trim() === '') problems.push(required('correction_reason'));
  if (problems.length > 0) throw new FormCheck('forum.invalid', problems);
  const body = {
    disposition: fields.disposition as Disposition,
    reasoning: fields.reasoning,
    led_to: fields.ledTo.trim(),
    covers: fields.covers.map(toCoverInput),
  };
  if (id == null) return { id: null, input: supersedes != null ? { ...body, supersedes, correction_reason: fields.reason.trim() } : body };
  if (!draft) return null;
  return { id, input: { revision: draft.revision, ...body, correction_reason: draft.supersedes != null ? fields.reason.trim() : draft.correction_reason } };
}

/** paragraphLabel shortens a paragraph's text for a choice list. */
export function paragraphLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
}
