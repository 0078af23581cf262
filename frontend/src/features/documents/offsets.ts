// Phrase selection: turning a DOM selection inside one block's text into the
// quote the API takes, with offsets counted in Unicode code points of the
// block's text (not the UTF-16 units JavaScript strings and DOM ranges use).

/** Quote is a phrase of a block: its text and its code-point offsets [start, end). */
export interface Quote {
  exact: string;
  start: number;
  end: number;
}

/** codePointLength counts the Unicode code points of s (an emoji counts once). */
export function codePointLength(s: string): number {
  return Array.from(s).length;
}

function isHigh(c: number) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * snap moves a UTF-16 offset that falls between the two halves of a surrogate
 * pair to the start of the character (back) or past its end (forward).
 */
function snap(text: string, i: number, dir: 'back' | 'forward'): number {
  if (i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i))) {
    return dir === 'back' ? i - 1 : i + 1;
  }
  return i;
}

/** toCodePointOffset converts a UTF-16 offset into text to a code-point offset. */
export function toCodePointOffset(text: string, utf16: number): number {
  return codePointLength(text.slice(0, snap(text, Math.max(0, Math.min(utf16, text.length)), 'back')));
}

/**
 * quoteFromOffsets builds the quote for text[startUtf16:endUtf16], without
 * the whitespace at its ends; null when nothing but whitespace is selected.
 */
export function quoteFromOffsets(text: string, startUtf16: number, endUtf16: number): Quote | null {
  let s = snap(text, Math.max(0, Math.min(startUtf16, endUtf16)), 'back');
  let e = snap(text, Math.min(text.length, Math.max(startUtf16, endUtf16)), 'forward');
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s >= e) return null;
  const exact = text.slice(s, e);
  const start = codePointLength(text.slice(0, s));
  return { exact, start, end: start + codePointLength(exact) };
}

/** The attributes that mark a block's text element in the reading view. */
export const TEXT_KEY_ATTR = 'data-text-key';
export const TEXT_KIND_ATTR = 'data-text-kind';

/** PhraseResult says what a selection is: a phrase of one block, or why not. */
export type PhraseResult =
  | { kind: 'phrase'; key: string; quote: Quote }
  | { kind: 'none' } // nothing selected in the text
  | { kind: 'several' } // the selection spans more than one block
  | { kind: 'table' }; // inside a table row, where phrases are not taken

/** offsetWithin is the UTF-16 offset of the boundary point (node, offset) in root's text. */
export function offsetWithin(root: Node, node: Node, offset: number): number {
  const r = root.ownerDocument!.createRange();
  r.setStart(root, 0);
  r.setEnd(node, offset);
  return r.toString().length;
}

/** selectedIn gives the UTF-16 offsets of the part of el's text that range covers. */
function selectedIn(el: HTMLElement, range: Range): [number, number] {
  const whole = el.ownerDocument.createRange();
  whole.selectNodeContents(el);
  const len = (el.textContent ?? '').length;
  const s = range.compareBoundaryPoints(Range.START_TO_START, whole) <= 0 ? 0 : offsetWithin(el, range.startContainer, range.startOffset);
  const e = range.compareBoundaryPoints(Range.END_TO_END, whole) >= 0 ? len : offsetWithin(el, range.endContainer, range.endOffset);
  return [s, e];
}

/**
 * phraseFromRange reads a range as a phrase of one block's text element (marked
 * with data-text-key). texts gives each block's text by key, as the API sent it;
 * offsets are computed against it. Only the words of block texts count: a
 * range that also runs over buttons, or ends at the very start of the next
 * block (as a triple click makes), is still a phrase of the one block whose
 * words it covers.
 */
export function phraseFromRange(range: Range | null, texts: ReadonlyMap<string, string>): PhraseResult {
  if (!range || range.collapsed) return { kind: 'none' };
  const doc = range.startContainer.ownerDocument ?? (range.startContainer as Document);
  const hits: { el: HTMLElement; s: number; e: number }[] = [];
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>(`[${TEXT_KEY_ATTR}]`))) {
    if (!range.intersectsNode(el)) continue;
    const [s, e] = selectedIn(el, range);
    if ((el.textContent ?? '').slice(s, e).trim() !== '') hits.push({ el, s, e });
  }
  if (hits.length === 0) return { kind: 'none' };
  if (hits.length > 1) return { kind: 'several' };
  const { el, s, e } = hits[0];
  if (el.getAttribute(TEXT_KIND_ATTR) === 'table_row') return { kind: 'table' };
  const key = el.getAttribute(TEXT_KEY_ATTR)!;
  const text = texts.get(key);
  if (text === undefined || el.textContent !== text) return { kind: 'none' };
  const quote = quoteFromOffsets(text, s, e);
  return quote ? { kind: 'phrase', key, quote } : { kind: 'none' };
}

/** phraseFromSelection reads the document's current selection as a phrase. */
export function phraseFromSelection(sel: Selection | null, texts: ReadonlyMap<string, string>): PhraseResult {
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return { kind: 'none' };
  return phraseFromRange(sel.getRangeAt(0), texts);
}
