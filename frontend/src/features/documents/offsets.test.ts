import { afterEach, describe, expect, it } from 'vitest';
import { codePointLength, phraseFromRange, quoteFromOffsets, toCodePointOffset } from './offsets';

describe('code-point offsets', () => {
  it('counts astral characters (emoji) once, unlike UTF-16 length', () => {
    expect('🌍'.length).toBe(2);
    expect(codePointLength('🌍')).toBe(1);
    expect(codePointLength('Cities 🏙️ and 🌍 rivers')).toBe(22); // 🏙️ is two code points (with its variation selector)
    expect(toCodePointOffset('a🌍b', 3)).toBe(2); // after the emoji
    expect(toCodePointOffset('a🌍b', 4)).toBe(3);
  });

  it('builds the quote the API wants, with offsets in code points', () => {
    const text = 'Parks 🌳 for everyone 👩‍👩‍👧 in every district';
    const from = text.indexOf('for everyone');
    const q = quoteFromOffsets(text, from, from + 'for everyone'.length);
    expect(q).toEqual({ exact: 'for everyone', start: 8, end: 20 });
    // The same check the server makes: the code points at [start, end) are the quote.
    expect(Array.from(text).slice(q!.start, q!.end).join('')).toBe(q!.exact);

    // After a multi-code-point emoji (a family: 5 code points, 8 UTF-16 units).
    const later = text.indexOf('in every');
    const q2 = quoteFromOffsets(text, later, later + 'in every'.length)!;
    expect(Array.from(text).slice(q2.start, q2.end).join('')).toBe('in every');
    expect(q2.start).toBe(later - 4); // two emoji before it: 1 + 3 fewer code points than units
  });

  it('keeps an emoji whole when an offset falls inside its surrogate pair', () => {
    const text = 'x🌍y';
    expect(quoteFromOffsets(text, 2, 4)).toEqual({ exact: '🌍y', start: 1, end: 3 });
    expect(quoteFromOffsets(text, 0, 2)).toEqual({ exact: 'x🌍', start: 0, end: 2 });
  });

  it('trims the whitespace at both ends, and refuses a blank selection', () => {
    expect(quoteFromOffsets('one  two three', 3, 9)).toEqual({ exact: 'two', start: 5, end: 8 });
    expect(quoteFromOffsets('one two', 3, 4)).toBeNull();
    // Backwards selections (focus before anchor) give the same quote.
    expect(quoteFromOffsets('one two', 7, 4)).toEqual({ exact: 'two', start: 4, end: 7 });
  });
});

describe('right-to-left text', () => {
  // Arabic with its short vowels (combining marks, one code point each), a
  // Latin word and digits inside: offsets count code points in logical
  // (typed) order, whatever order the screen shows them in.
  const text = 'نَشْرُ الميزانية العامة لعام 2027 عبر API مفتوحة 🌍 للجميع';

  it('gives code-point offsets of an Arabic phrase in logical order', () => {
    const from = text.indexOf('الميزانية العامة');
    const q = quoteFromOffsets(text, from, from + 'الميزانية العامة'.length)!;
    expect(q).toEqual({ exact: 'الميزانية العامة', start: 7, end: 23 });
    expect(Array.from(text).slice(q.start, q.end).join('')).toBe(q.exact);
  });

  it('counts each combining mark once, and the emoji once, before a later phrase', () => {
    const from = text.indexOf('للجميع');
    const q = quoteFromOffsets(text, from, from + 'للجميع'.length)!;
    expect(q.start).toBe(from - 1); // the emoji is two UTF-16 units, one code point
    expect(Array.from(text).slice(q.start, q.end).join('')).toBe('للجميع');
  });

  it('takes a phrase mixing Arabic, digits and Latin, selected backwards', () => {
    const from = text.indexOf('لعام 2027 عبر API');
    const to = from + 'لعام 2027 عبر API'.length;
    expect(quoteFromOffsets(text, to, from)).toEqual(quoteFromOffsets(text, from, to));
    const q = quoteFromOffsets(text, to, from)!;
    expect(Array.from(text).slice(q.start, q.end).join('')).toBe('لعام 2027 عبر API');
  });

  it('reads a selection inside a dir="rtl" block as a phrase of it', () => {
    document.body.innerHTML = `<div dir="rtl" lang="ar"><p data-text-key="r" data-text-kind="paragraph">${text}</p></div>`;
    const p = document.querySelector('[data-text-key="r"]')!;
    const r = document.createRange();
    const from = text.indexOf('العامة');
    r.setStart(p.firstChild!, from);
    r.setEnd(p.firstChild!, from + 'العامة'.length);
    expect(phraseFromRange(r, new Map([['r', text]]))).toEqual({ kind: 'phrase', key: 'r', quote: { exact: 'العامة', start: 17, end: 23 } });
    document.body.innerHTML = '';
  });
});

describe('phraseFromRange', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  function setup() {
    document.body.innerHTML = `
      <div id="p-a"><p data-text-key="a" data-text-kind="paragraph">Clean 🌊 water for <em>all</em> districts</p><button>2 comments</button></div>
      <div id="p-b"><p data-text-key="b" data-text-kind="paragraph">Second paragraph</p></div>
      <table><tr data-text-key="t" data-text-kind="table_row"><td>Cell one</td><td>Cell two</td></tr></table>`;
    const texts = new Map([
      ['a', 'Clean 🌊 water for all districts'],
      ['b', 'Second paragraph'],
      ['t', 'Cell one\tCell two'],
    ]);
    return texts;
  }

  it('reads a selection across inline elements as a phrase of its block', () => {
    const texts = setup();
    const p = document.querySelector('[data-text-key="a"]')!;
    const r = document.createRange();
    // From inside "water" (in the first text node) to the end of "all" (inside <em>).
    r.setStart(p.firstChild!, 'Clean 🌊 '.length);
    r.setEnd(p.querySelector('em')!.firstChild!, 3);
    expect(phraseFromRange(r, texts)).toEqual({ kind: 'phrase', key: 'a', quote: { exact: 'water for all', start: 8, end: 21 } });
  });

  it('refuses selections across blocks, inside tables, or outside the text', () => {
    const texts = setup();
    const a = document.querySelector('[data-text-key="a"]')!;
    const b = document.querySelector('[data-text-key="b"]')!;
    const r = document.createRange();
    r.setStart(a.firstChild!, 0);
    r.setEnd(b.firstChild!, 6);
    expect(phraseFromRange(r, texts).kind).toBe('several');

    const td = document.querySelector('td')!;
    r.setStart(td.firstChild!, 0);
    r.setEnd(td.firstChild!, 4);
    expect(phraseFromRange(r, texts).kind).toBe('table');

    const button = document.querySelector('button')!;
    r.setStart(button.firstChild!, 0);
    r.setEnd(button.firstChild!, 3);
    expect(phraseFromRange(r, texts).kind).toBe('none');
  });

  it('takes a triple-click selection that ends at the start of the next block', () => {
    const texts = setup();
    const b = document.querySelector('[data-text-key="b"]')!;
    const a = document.querySelector('[data-text-key="a"]')!;
    const r = document.createRange();
    r.setStart(a, 0);
    r.setEnd(b, 0);
    expect(phraseFromRange(r, texts)).toEqual({ kind: 'phrase', key: 'a', quote: { exact: 'Clean 🌊 water for all districts', start: 0, end: 31 } });
  });
});
