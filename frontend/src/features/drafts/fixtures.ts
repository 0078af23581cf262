// Test data for the drafts workspace's unit tests.
import type { Process } from '../../api/client';
import { process as baseProcess } from '../../test/fixtures';
import type { DocumentWithVersions, Version, VersionPreview } from './queries';

export { account, router } from '../../test/fixtures';

export const slug = 'plan-2027';

export const process: Process = { ...baseProcess, slug, title: 'Action plan 2027', languages: ['en', 'fr'] };

export function doc(over: Partial<DocumentWithVersions> = {}): DocumentWithVersions {
  return {
    id: 7,
    process_slug: slug,
    title: 'Draft plan 2027',
    language: 'en',
    latest_number: 1,
    created_at: '2027-03-01T00:00:00Z',
    versions: [
      { number: 1, source_format: 'markdown', note: 'First draft.', opens_at: null, closes_at: null, created_at: '2027-03-01T00:00:00Z', published_at: '2027-03-02T00:00:00Z' },
      { number: 2, source_format: 'docx', note: '', opens_at: null, closes_at: null, created_at: '2027-03-10T00:00:00Z', published_at: null },
    ],
    ...over,
  };
}

export function draftVersion(over: Partial<Version> = {}): Version {
  return {
    document_id: 7,
    title: 'Draft plan 2027',
    language: 'en',
    number: 2,
    latest: false,
    source_format: 'docx',
    note: 'Second draft, from the forum.',
    opens_at: null,
    closes_at: null,
    created_at: '2027-03-10T00:00:00Z',
    published_at: null,
    commenting: false,
    orphaned_count: 0,
    dropped: [],
    blocks: [
      { key: 'k-intro', kind: 'heading', level: 1, section: '1.', text: '1. Introduction', change: 'same', similarity: null, counts: null },
      { key: 'k-water', kind: 'paragraph', level: 0, section: '', text: 'Clean water for every district', change: 'edited', similarity: 0.8, counts: null },
      { key: 'k-sub', kind: 'heading', level: 2, section: '', text: 'Milestones', change: 'same', similarity: null, counts: null },
      { key: 'k-m1', kind: 'list_item', level: 0, section: '', text: 'A register by June', change: 'new', similarity: null, counts: null },
      { key: 'k-t1', kind: 'table_row', level: 0, section: '', text: 'Dataset\tRelease', change: 'same', similarity: null, counts: null },
    ],
    ...over,
  };
}

export function preview(over: Partial<VersionPreview> = {}): VersionPreview {
  return {
    version: draftVersion(),
    previous_number: 1,
    changes: { new: 1, edited: 1, moved: 0, same: 3, deleted: 1 },
    diff: [
      { key: 'k-intro', change: 'same', before: '1. Introduction', after: '1. Introduction', ops: [{ op: 'equal', text: '1. Introduction' }] },
      {
        key: 'k-water',
        change: 'edited',
        before: 'Clean water for all districts',
        after: 'Clean water for every district',
        ops: [
          { op: 'equal', text: 'Clean water for ' },
          { op: 'delete', text: 'all districts' },
          { op: 'insert', text: 'every district' },
        ],
      },
      { key: 'k-gone', change: 'deleted', before: 'A paragraph that goes', after: null, ops: [{ op: 'delete', text: 'A paragraph that goes' }] },
    ],
    comments: { exact: 4, moved: 0, fuzzy: 2, orphaned: 1 },
    ...over,
  };
}
