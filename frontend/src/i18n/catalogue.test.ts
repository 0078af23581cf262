import { describe, expect, it } from 'vitest';
import en from './en.json';
import fr from './fr.json';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('translation catalogues', () => {
  it('have the same keys in English and French', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });
  it('have no empty strings', () => {
    for (const cat of [en, fr]) {
      for (const k of keys(cat)) {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], cat);
        expect(v, k).not.toBe('');
      }
    }
  });
});
