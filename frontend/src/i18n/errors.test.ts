import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYaml } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import fr from './fr.json';

/**
 * Keys under `errors.` that are not codes the server sends, each with its reason.
 * Anything else under `errors.` must be a code of the API's error envelope.
 */
const notServerCodes: Record<string, string> = {
  title: 'heading of ErrorMessage (components/status.tsx)',
  unknown: 'errorText: fallback for a code without a translation',
  retryAfter_one: 'errorText: the wait a Retry-After header asks for (plural forms)',
  retryAfter_many: 'errorText: the wait a Retry-After header asks for (plural forms)',
  retryAfter_other: 'errorText: the wait a Retry-After header asks for (plural forms)',
  network: 'errorText: client-side, the server could not be reached',
  'forum.unsaved': 'client-side: SigningPanel refuses to sign unsaved changes',
  'report.job_lost': "a failed report job's error.code (ReportJob.error, not the envelope): its worker stopped three times",
};

/** The enum of the error envelope's code in api/openapi.yaml: every code the server sends. */
function serverCodes(): string[] {
  const spec = parseYaml(readFileSync(resolve(import.meta.dirname, '../../../api/openapi.yaml'), 'utf8')) as {
    components: { schemas: { Error: { properties: { error: { properties: { code: { enum?: string[] } } } } } } };
  };
  return spec.components.schemas.Error.properties.error.properties.code.enum ?? [];
}

/** Every leaf key of obj, dotted. */
function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** The value at a dotted key, as i18next finds it. */
function lookup(obj: object, key: string): unknown {
  return key.split('.').reduce<unknown>((o, p) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[p] : undefined), obj);
}

const codes = serverCodes();

describe('error translations', () => {
  it('read the codes from api/openapi.yaml', () => {
    expect(codes.length).toBeGreaterThan(50);
    expect(codes).toContain('process.not_found');
  });

  for (const [lang, cat] of [['en', en], ['fr', fr]] as const) {
    it(`translate every code the server sends (${lang}.json)`, () => {
      const missing = codes.filter((code) => typeof lookup(cat.errors, code) !== 'string' || lookup(cat.errors, code) === '');
      expect(missing, `codes without errors.<code> in ${lang}.json`).toEqual([]);
    });

    it(`have no errors.* key that names no code (${lang}.json)`, () => {
      const stale = keys(cat.errors).filter((k) => !codes.includes(k) && !(k in notServerCodes));
      expect(stale, `errors.* keys in ${lang}.json that are not server codes (remove them, or list them in notServerCodes)`).toEqual([]);
    });
  }

  it('list only non-code keys that exist and are not server codes', () => {
    for (const k of Object.keys(notServerCodes)) {
      expect(codes, k).not.toContain(k);
      expect(keys(en.errors), k).toContain(k);
    }
  });
});
