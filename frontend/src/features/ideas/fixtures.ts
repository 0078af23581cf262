// Test data for the ideas feature's unit tests.
import type { Idea, IdeaSettings, MySupports } from './queries';

export const slug = 'larkhaven-ideas-2028';

export const themes = [
  { id: 1, name: 'Open budgets', description: 'How the city plans and spends its money.', position: 0 },
  { id: 2, name: 'Public participation', description: '', position: 1 },
  { id: 3, name: 'Access to information', description: '', position: 2 },
];

export function settings(over: Partial<IdeaSettings> = {}): IdeaSettings {
  return {
    support_limit: 3,
    one_per_theme: false,
    themes,
    phase: { kind: 'idea_collection', opens_at: '2028-01-01T00:00:00Z', closes_at: '2028-03-01T00:00:00Z', state: 'open' },
    open: true,
    ...over,
  };
}

export function idea(over: Partial<Idea> & { id: number }): Idea {
  return {
    process_id: 3,
    title: 'Participatory budgeting in every district',
    body: 'Let each district decide on **part** of its budget.',
    body_html: '<p>Let each district decide on <strong>part</strong> of its budget.</p>',
    theme: themes[0],
    status: 'submitted',
    merged_into: null,
    author: { id: 5, name: 'Bea Costa' },
    channel: 'online',
    contributor: null,
    received_on: null,
    paragraph: null,
    supports: 4,
    comments: 0,
    revision: 1,
    moderation: 'published',
    edit_pending: false,
    editable: false,
    created_at: '2028-01-10T10:00:00Z',
    edited_at: null,
    status_changed_at: null,
    status_response_id: null,
    supported: false,
    can_merge: null,
    ...over,
  };
}

export function mySupports(over: Partial<MySupports> = {}): MySupports {
  return { support_limit: 3, one_per_theme: false, used: 0, remaining: 3, ideas: [], themes: [], ...over };
}

export { process } from '../../test/fixtures';
