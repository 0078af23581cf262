import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { DiffPage } from './DiffPage';
import { doc, router } from './fixtures';

describe('DiffPage', () => {
  const fetchMock = stubNetwork();

  it('marks insertions and deletions in words as well as colour', async () => {
    const { handle, seen } = router({
      'GET /api/v1/documents/7': () => json(200, doc),
      'GET /api/v1/documents/7/diff': () =>
        json(200, {
          from: 1,
          to: 2,
          paragraphs: [
            { key: 'a', change: 'same', before: 'Intro', after: 'Intro', ops: [{ op: 'equal', text: 'Intro' }] },
            {
              key: 'b',
              change: 'edited',
              before: 'Publish within ten days.',
              after: 'Publish within five days.',
              ops: [
                { op: 'equal', text: 'Publish within ' },
                { op: 'delete', text: 'ten' },
                { op: 'insert', text: 'five' },
                { op: 'equal', text: ' days.' },
              ],
            },
            { key: 'c', change: 'deleted', before: 'An old paragraph.', after: null, ops: [] },
            { key: 'd', change: 'new', before: null, after: 'A new paragraph.', ops: [] },
          ],
        }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/documents/:id/diff" element={<DiffPage />} />
      </Routes>,
      '/documents/7/diff?from=1&to=2',
    );

    expect(await screen.findByRole('heading', { level: 1, name: 'What changed: Draft plan 2027' })).toBeTruthy();
    const list = await screen.findByRole('list', { name: 'From version 1 to version 2: 3 paragraphs changed.' });
    expect(seen.some((r) => r.path === '/api/v1/documents/7/diff?from=1&to=2')).toBe(true);

    const edited = within(list).getByText('Edited').closest('li')!;
    expect(edited.querySelector('del')?.textContent).toBe('[removed: ten end removed]');
    expect(edited.querySelector('ins')?.textContent).toBe('[added: five end added]');
    expect(within(list).getByText('Deleted').closest('li')!.querySelector('del')?.textContent).toContain('An old paragraph.');
    expect(within(list).getByText('New').closest('li')!.querySelector('ins')?.textContent).toContain('A new paragraph.');
    // The legend explains the marks in words.
    expect(screen.getByText('is struck through, and announced as removed.')).toBeTruthy();

    fireEvent.click(screen.getByLabelText('Show only the paragraphs that changed'));
    expect(within(list).queryByText('Unchanged')).toBeNull();
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
  });
});
