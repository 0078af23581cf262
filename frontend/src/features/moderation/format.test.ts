import { describe, expect, it } from 'vitest';
import { placeOf } from './format';

describe('placeOf', () => {
  it('leads to the paragraph, the idea, the meeting or the survey a contribution is on', () => {
    expect(placeOf({ type: 'comment', id: 3, document_id: 7, paragraph_key: 'k-budget', idea_id: null }, 'plan')).toBe('/documents/7#p-k-budget');
    expect(placeOf({ type: 'comment', id: 4, document_id: null, paragraph_key: null, idea_id: 9 }, 'plan')).toBe('/processes/plan/ideas/9');
    expect(placeOf({ type: 'idea', id: 9, document_id: null, paragraph_key: null, idea_id: 9 }, 'plan')).toBe('/processes/plan/ideas/9');
    expect(placeOf({ type: 'agenda_input', id: 2, document_id: null, paragraph_key: null, idea_id: null, meeting_id: 12 }, 'plan')).toBe('/meetings/12');
    expect(placeOf({ type: 'agenda_input', id: 2, document_id: null, paragraph_key: null, idea_id: null }, 'plan')).toBeNull();
    expect(placeOf({ type: 'survey_text', id: 5, document_id: null, paragraph_key: null, idea_id: null, survey_phase: 'drafting' }, 'plan')).toBe('/processes/plan/surveys/drafting');
  });
});
