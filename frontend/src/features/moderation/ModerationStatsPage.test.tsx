import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { slug } from './fixtures';
import { ModerationStatsPage } from './ModerationStatsPage';

describe('ModerationStatsPage', () => {
  const fetchMock = stubNetwork();

  it('shows the public figures in tables, with the CSV to download', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/moderation/stats`]: () =>
        json(200, {
          process: slug,
          held: [
            { cause: 'mode', count: 12 },
            { cause: 'flags', count: 3 },
          ],
          decided: [
            { cause: 'mode', outcome: 'approve', reason: null, count: 9 },
            { cause: 'mode', outcome: 'reject', reason: 'off_topic', count: 2 },
          ],
          appeals: { made: 2, upheld: 1, overturned: 1, pending: 0 },
          median_hours_to_decision: 3.25,
        }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/moderation/stats" element={<ModerationStatsPage />} />
      </Routes>,
      `/processes/${slug}/moderation/stats`,
    );
    expect(await screen.findByText('Half of the decisions took less than 3.3 hours.')).toBeTruthy();
    const held = within(screen.getByRole('region', { name: 'Held for review, per cause' })).getByRole('table');
    expect(within(held).getByRole('row', { name: 'Held by the mode 12' })).toBeTruthy();
    const decided = within(screen.getByRole('region', { name: 'Decisions, per cause, outcome and reason' })).getByRole('table');
    expect(within(decided).getByRole('row', { name: 'Held by the mode Rejected Off topic 2' })).toBeTruthy();
    expect(within(decided).getByRole('row', { name: 'Held by the mode Approved None 9' })).toBeTruthy();
    const appeals = within(screen.getByRole('region', { name: 'Appeals' })).getByRole('table');
    expect(within(appeals).getByRole('row', { name: 'Overturned (published) 1' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/moderation/stats?format=csv`);
  });
});
