import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { AnalyticsPage } from './AnalyticsPage';
import { closeOut, few, slug } from './fixtures';

function renderPage() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/analytics" element={<AnalyticsPage />} />
    </Routes>,
    `/processes/${slug}/analytics`,
  );
}

describe('AnalyticsPage', () => {
  const fetchMock = stubNetwork();

  it('shows activity per day and new and returning participants per week, small groups as "fewer than 5", then the live figures', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/analytics`]: () =>
        json(200, {
          report: closeOut(),
          daily: [
            { day: '2025-05-05', contributions: { value: 40, suppressed: false }, people: { value: 22, suppressed: false } },
            { day: '2025-05-06', contributions: few, people: few },
          ],
          participants_by_week: [{ week: '2025-05-05', new: { value: 22, suppressed: false }, returning: few }],
        }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    const daily = await screen.findByRole('table', { name: 'Contributions and people, per day' });
    expect(within(daily).getAllByRole('row')[2].textContent).toContain('fewer than 5');
    expect(screen.getByRole('img', { name: /Contributions per day/ })).toBeTruthy();
    const weeks = screen.getByRole('table', { name: 'New and returning participants, per week' });
    expect(within(weeks).getAllByRole('row')[1].textContent).toMatch(/22fewer than 5$/);
    expect(screen.getByRole('heading', { level: 2, name: 'You said' })).toBeTruthy();
  });

  it('tells someone outside the team they may not read it', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/analytics`]: () => json(403, { error: { code: 'report.not_analyst', message: 'no' } }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toContain("Only the process's owners, moderators and forum members can read its analytics.");
  });
});
