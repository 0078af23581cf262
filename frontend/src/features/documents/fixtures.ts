// Test data for the reading view's unit tests.
import type { Document, Version } from './queries';

export { account, comment, router } from '../../test/fixtures';

export const waterText = 'Clean 🌊 water for all districts';

export function version(over: Partial<Version> = {}): Version {
  return {
    document_id: 7,
    title: 'Draft plan 2027',
    language: 'en',
    number: 2,
    latest: true,
    source_format: 'markdown',
    note: 'Second draft.',
    opens_at: null,
    closes_at: null,
    created_at: '2027-03-01T00:00:00Z',
    published_at: '2027-03-02T00:00:00Z',
    commenting: true,
    orphaned_count: 0,
    dropped: [],
    blocks: [
      { key: 'k-intro', kind: 'heading', level: 1, section: '1', text: 'Introduction', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-water', kind: 'paragraph', level: 0, section: '', text: waterText, change: 'edited', similarity: 0.8, counts: { comments: 3, agree: 2, disagree: 1 } },
      { key: 'k-sub', kind: 'heading', level: 2, section: '1.1', text: 'Milestones', change: 'same', similarity: null, counts: { comments: 1, agree: 0, disagree: 0 } },
      { key: 'k-m1', kind: 'list_item', level: 0, section: '', text: 'A register by June', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-m2', kind: 'list_item', level: 0, section: '', text: 'A review every year', change: 'new', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-q', kind: 'quote', level: 0, section: '', text: 'Sunlight is the best disinfectant.', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-t1', kind: 'table_row', level: 0, section: '', text: 'Dataset\tRelease', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
      { key: 'k-t2', kind: 'table_row', level: 0, section: '', text: 'Council votes\tMarch 2027', change: 'same', similarity: null, counts: { comments: 0, agree: 0, disagree: 0 } },
    ],
    ...over,
  };
}

export const doc: Document = {
  id: 7,
  process_slug: 'plan-2027',
  title: 'Draft plan 2027',
  language: 'en',
  latest_number: 2,
  created_at: '2027-03-01T00:00:00Z',
  versions: [
    { number: 1, source_format: 'markdown', note: '', opens_at: null, closes_at: null, created_at: '2027-02-01T00:00:00Z', published_at: '2027-02-02T00:00:00Z' },
    { number: 2, source_format: 'markdown', note: '', opens_at: null, closes_at: null, created_at: '2027-03-01T00:00:00Z', published_at: '2027-03-02T00:00:00Z' },
  ],
};
