import { describe, expect, it } from 'vitest';
import { langAttrs, textDir } from './direction';

describe('textDir', () => {
  it('is right to left for Arabic, Hebrew, Persian and Urdu', () => {
    for (const l of ['ar', 'ar-EG', 'he', 'he-IL', 'fa', 'ur-PK', 'iw']) expect(textDir(l)).toBe('rtl');
  });
  it('is left to right for other languages and for none', () => {
    for (const l of ['en', 'fr-CA', 'zh-Hant', 'ja', 'ko', '', undefined]) expect(textDir(l)).toBe('ltr');
  });
  it('follows the script subtag when there is one', () => {
    expect(textDir('az-Arab')).toBe('rtl');
    expect(textDir('pa-Arab-PK')).toBe('rtl');
    expect(textDir('ku-Latn')).toBe('ltr');
    expect(textDir('yi-Latn')).toBe('ltr');
  });
});

describe('langAttrs', () => {
  it('gives lang and dir, or nothing for an unknown language', () => {
    expect(langAttrs('ar')).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(langAttrs('en')).toEqual({ lang: 'en', dir: 'ltr' });
    expect(langAttrs(undefined)).toEqual({});
  });
});
