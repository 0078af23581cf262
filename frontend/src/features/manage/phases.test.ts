import { describe, expect, it } from 'vitest';
import { languagesOf, phasesOf, rowsOf, samePhases, slugOf, startOf } from './phases';

describe('phase rows', () => {
  it('turn days into the instants a phase opens and closes, and back', () => {
    const rows = rowsOf([]);
    expect(rows.map((r) => r.kind)).toEqual(['agenda_setting', 'idea_collection', 'drafting', 'public_comment', 'response', 'implementation']);
    rows[1] = { kind: 'idea_collection', included: true, opens: '2027-03-01', closes: '2027-03-31' };
    rows[3] = { kind: 'public_comment', included: true, opens: '2027-04-10', closes: '2027-04-10' };
    const phases = phasesOf(rows);
    expect(phases.map((p) => p.kind)).toEqual(['idea_collection', 'public_comment']);
    expect(phases[0].opens_at).toBe(new Date(2027, 2, 1).toISOString().replace('.000Z', 'Z'));
    expect(phases[0].closes_at, 'closes at the end of its last day').toBe(new Date(2027, 3, 1).toISOString().replace('.000Z', 'Z'));
    expect(new Date(phases[1].closes_at).getTime() - new Date(phases[1].opens_at).getTime(), 'a one-day phase').toBe(24 * 3600_000);

    const back = rowsOf(phases.map((p) => ({ ...p, state: 'upcoming' as const })));
    expect(back[1]).toEqual(rows[1]);
    expect(back[3]).toEqual(rows[3]);
    expect(samePhases(back, rows)).toBe(true);
  });

  it('keep the last day of a phase that closes during the day', () => {
    const closes = new Date(2027, 5, 30, 14, 0).toISOString();
    const [, , row] = rowsOf([{ kind: 'drafting', opens_at: new Date(2027, 5, 1, 9, 0).toISOString(), closes_at: closes, state: 'open' }]);
    expect(row).toEqual({ kind: 'drafting', included: true, opens: '2027-06-01', closes: '2027-06-30' });
  });

  it('send nothing for a day that is not one', () => {
    expect(startOf('')).toBe('');
    expect(startOf('30/06/2027')).toBe('');
  });

  it('tell changed phases from unchanged ones', () => {
    const a = rowsOf([]);
    const b = rowsOf([]);
    b[0] = { ...b[0], opens: '2027-01-01' }; // not included: does not count
    expect(samePhases(a, b)).toBe(true);
    b[0] = { ...b[0], included: true, closes: '2027-01-31' };
    expect(samePhases(a, b)).toBe(false);
  });
});

describe('slugOf', () => {
  it('suggests a web address from a title', () => {
    expect(slugOf('Plan d’action 2027–2029 : Région Île-de-France')).toBe('plan-d-action-2027-2029-region-ile-de-france');
    expect(slugOf('  ***  ')).toBe('');
    expect(slugOf('a'.repeat(79) + ' bc').length).toBeLessThanOrEqual(80);
    expect(slugOf('a'.repeat(79) + ' bc').endsWith('-')).toBe(false);
  });
});

describe('languagesOf', () => {
  it('reads codes separated by commas or spaces', () => {
    expect(languagesOf(' en, fr-CA  pt-BR;de ')).toEqual(['en', 'fr-CA', 'pt-BR', 'de']);
    expect(languagesOf(' , ')).toEqual([]);
  });
});
