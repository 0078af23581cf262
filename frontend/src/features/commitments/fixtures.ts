// Test data of the implementation phase's pages.
import type { Commitment, CommitmentSummary, Dashboard, ProgressUpdate, Question, Viewer } from './queries';

export const slug = 'larkhaven-action-plan-2025';

export const noViewer: Viewer = { manage: false, write: false, publish_government: false, sign: false, answer: false, answer_as: null, moderate: false };

export function summary(over: Partial<CommitmentSummary> & { id: number }): CommitmentSummary {
  return {
    title: `Commitment ${over.id}`,
    theme: 'Open data',
    lead_institution: 'City Clerk',
    starts_on: '2027-01-04',
    ends_on: '2027-12-31',
    status: 'on_track',
    status_reason: 'on_track',
    status_days: 0,
    milestones_total: 4,
    milestones_done: 1,
    percent_done: 25,
    last_update_on: '2027-03-01',
    next_update_due_on: '2027-09-01',
    next_milestone: { id: 9, title: 'Portal online', due_on: '2027-05-01' },
    open_questions: 0,
    overdue_questions: 0,
    withdrawal_reason: null,
    ...over,
  };
}

export function question(over: Partial<Question> & { id: number }): Question {
  return {
    commitment_id: 1,
    commitment_title: 'Commitment 1',
    author: { id: 5, name: 'Bea Costa' },
    body: 'When?',
    body_html: '<p>When?</p>',
    asked_at: '2027-02-01T10:00:00Z',
    due_on: '2027-03-01',
    working_days: 3,
    overdue: false,
    late_days: 0,
    pause: null,
    answer: null,
    answer_html: null,
    answered_as: null,
    answered_at: null,
    hidden: null,
    ...over,
  };
}

export function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  const commitments = over.commitments ?? [
    summary({ id: 1, title: 'Open council records', status: 'completed', status_reason: 'all_done', theme: 'Transparency', milestones_done: 4, percent_done: 100, next_milestone: null }),
    summary({ id: 2, title: 'Beneficial-ownership register', lead_institution: 'Procurement Office', theme: 'Open contracting' }),
    summary({ id: 3, title: 'Open data portal', status: 'delayed', status_reason: 'milestone_late', status_days: 70, overdue_questions: 1 }),
  ];
  const count = (s: string) => commitments.filter((c) => c.status === s).length;
  return {
    process: slug,
    process_title: 'Larkhaven Open Government Action Plan 2025–2027',
    today: '2027-03-15',
    at_risk_days: 30,
    update_interval_months: 6,
    answer_target_days: 20,
    total: commitments.length,
    summary: (['not_started', 'on_track', 'at_risk', 'delayed', 'completed', 'withdrawn'] as const).map((s) => ({ status: s, count: count(s) })),
    commitments,
    open_questions: 1,
    overdue_questions: [question({ id: 8, commitment_id: 3, commitment_title: 'Open data portal', overdue: true, late_days: 4 })],
    self_assessment: null,
    ...over,
  };
}

export function update(over: Partial<ProgressUpdate> & { id: number }): ProgressUpdate {
  return {
    commitment_id: 2,
    commitment_title: 'Beneficial-ownership register',
    process: slug,
    kind: 'joint',
    state: 'draft',
    progress: 'The register is online.',
    progress_html: '<p>The register is online.</p>',
    delay_reasons: '',
    delay_reasons_html: '',
    next_steps: 'Check the declarations.',
    next_steps_html: '<p>Check the declarations.</p>',
    milestones: [{ milestone_id: 21, title: 'Register online', due_on: '2027-04-30', state: 'in_progress', completed_on: null }],
    evidence: [{ url: 'https://larkhaven.example/register', repository_item: null }],
    signatures: [],
    signing_rule: 'joint',
    missing_seats: ['government', 'civil_society'],
    revision: 1,
    supersedes: null,
    superseded_by: null,
    correction_reason: null,
    created_at: '2027-03-10T10:00:00Z',
    published_at: null,
    ledger: null,
    comments: 0,
    viewer: noViewer,
    ...over,
  };
}

export function commitment(over: Partial<Commitment> = {}): Commitment {
  return {
    id: 2,
    process: slug,
    process_title: 'Larkhaven Open Government Action Plan 2025–2027',
    title: 'Beneficial-ownership register',
    description: 'Publish **who owns** suppliers.',
    description_html: '<p>Publish <strong>who owns</strong> suppliers.</p>',
    lead_institution: 'Procurement Office',
    other_actors: ['Open Larkhaven Coalition'],
    theme: 'Open contracting',
    starts_on: '2027-01-04',
    ends_on: '2027-12-31',
    values: ['access_to_information'],
    withdrawn_at: null,
    withdrawal_reason: null,
    revision: 3,
    status: 'on_track',
    status_reason: 'on_track',
    status_days: 0,
    next_update_due_on: '2027-09-10',
    at_risk_days: 30,
    members: [{ id: 1, name: 'Nadia Brennan', organisation: 'Procurement Office', seat: 'government', has_account: true }],
    milestones: [{ id: 21, title: 'Register online', due_on: '2027-04-30', completed_on: null, late_days: 0, evidence_url: null, evidence_item: null, evidence_item_id: null }],
    sources: [],
    updates: [],
    signing_rule: 'joint',
    viewer: noViewer,
    created_at: '2027-01-01T00:00:00Z',
    updated_at: '2027-01-01T00:00:00Z',
    today: '2027-03-15',
    ...over,
  };
}
