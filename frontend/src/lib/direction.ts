/** rtlLanguages are the languages written right to left (ISO 639 codes, "iw" being Hebrew's old one). */
const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** rtlScripts are the right-to-left scripts a language tag may name (ISO 15924). */
const rtlScripts = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg', 'mand', 'samr']);

/** textDir is the writing direction of a language tag ("ar", "he-IL", "az-Arab"): its script subtag decides when it has one. */
export function textDir(lang: string | undefined): 'rtl' | 'ltr' {
  const parts = (lang ?? '').toLowerCase().split(/[-_]/);
  const script = parts.slice(1).find((p) => p.length === 4);
  if (script) return rtlScripts.has(script) ? 'rtl' : 'ltr';
  return rtlLanguages.has(parts[0]) ? 'rtl' : 'ltr';
}

/** langAttrs are the lang and dir attributes of an element holding text in language lang (none when it is unknown). */
export function langAttrs(lang: string | undefined): { lang?: string; dir?: 'rtl' | 'ltr' } {
  return lang ? { lang, dir: textDir(lang) } : {};
}
