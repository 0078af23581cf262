// Test data of the owner's workspace: an unpublished process its reader
// manages, with an empty or a complete engagement mandate.
import type { Process } from '../../api/client';
import type { Mandate } from '../../lib/process';

export const slug = 'plan-2029';

const parts = ['purpose', 'open_items', 'fixed_items', 'use_of_input', 'decision_maker', 'decision_points', 'iap2_level', 'contact_name', 'contact_email', 'privacy_notice'] as const;

export function emptyMandate(): Mandate {
  return {
    purpose: '',
    open_items: [],
    fixed_items: [],
    use_of_input: '',
    decision_maker: '',
    decision_points: [],
    iap2_level: null,
    contact_name: '',
    contact_email: '',
    privacy_notice: '',
    privacy_html: '',
    updated_at: null,
    missing: [...parts],
  };
}

export function fullMandate(): Mandate {
  return {
    purpose: 'We write the plan with residents.\nIt decides the commitments.',
    open_items: ['Which commitments', 'Their milestones'],
    fixed_items: ['The budget'],
    use_of_input: 'The forum answers every comment.',
    decision_maker: 'The city council',
    decision_points: [{ label: 'End of comment', date: '2029-04-10' }, { label: 'Council vote', date: '2029-09-01' }],
    iap2_level: 'involve',
    contact_name: 'Open Government Office',
    contact_email: 'open@city.example',
    privacy_notice: 'Kept **five years**.',
    privacy_html: '<p>Kept <strong>five years</strong>.</p>',
    updated_at: '2029-01-02T10:00:00.123456Z',
    missing: [],
  };
}

/** managed is a process as its owner reads it: unpublished, with an empty mandate. */
export function managed(over: Partial<Process> = {}): Process {
  return {
    slug,
    title: 'Action plan 2029',
    summary: 'A plan',
    summary_html: '<p>A plan</p>',
    languages: ['en', 'fr'],
    stage: 'upcoming',
    current_phase: null,
    phases: [
      { kind: 'idea_collection', opens_at: new Date(2029, 2, 1).toISOString(), closes_at: new Date(2029, 3, 1).toISOString(), state: 'upcoming' },
      { kind: 'public_comment', opens_at: new Date(2029, 4, 1).toISOString(), closes_at: new Date(2029, 5, 1).toISOString(), state: 'upcoming' },
    ],
    created_at: '2029-01-01T00:00:00Z',
    updated_at: '2029-01-01T09:30:00.654321Z',
    published_at: null,
    mandate: emptyMandate(),
    viewer: { manage: true },
    ...over,
  };
}
