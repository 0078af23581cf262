import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { closeOut, slug } from './fixtures';
import { ReportPage } from './ReportPage';

const summary = (number: number, superseded_by: number | null) => ({
  number,
  phase: null,
  content_sha256: 'ab'.repeat(32),
  published_at: '2025-10-01T09:00:00Z',
  ledger_seq: 40 + number,
  supersedes: number > 1 ? number - 1 : null,
  superseded_by,
});

function renderPage(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/reports" element={<ReportPage />} />
      <Route path="/processes/:slug/reports/:number" element={<ReportPage />} />
    </Routes>,
    path,
  );
}

describe('ReportPage', () => {
  const fetchMock = stubNetwork();

  it('shows the latest report: each chart an SVG with a title beside a table, suppressed cells as "fewer than 5", the open data to download', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug, title: 'Larkhaven action plan 2025–2027' }),
      [`GET /api/v1/processes/${slug}/reports`]: () => json(200, { reports: [summary(2, null), summary(1, 2)] }),
      [`GET /api/v1/processes/${slug}/reports/2`]: () => json(200, { ...summary(2, null), report: closeOut() }),
    });
    fetchMock.mockImplementation(handle);
    renderPage(`/processes/${slug}/reports`);
    expect(await screen.findByText(/^Report 2, published on/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'We asked' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'You said' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'We did' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Moderation in numbers' })).toBeTruthy();

    const chart = screen.getByRole('img', { name: /Comments and ideas by channel/ });
    expect(chart.tagName.toLowerCase()).toBe('svg');
    expect(chart.querySelector('title')?.textContent).toBe('Comments and ideas by channel');
    expect(chart.querySelector('desc')?.textContent).toContain('Comments, on paper: fewer than 5');
    const table = screen.getByRole('table', { name: 'Comments and ideas by channel' });
    expect(within(table).getByRole('row', { name: 'Comments, on paper fewer than 5' })).toBeTruthy();
    expect(within(table).getByRole('row', { name: 'Comments, online 118' })).toBeTruthy();
    expect(screen.getByText('People who took part online: 48.')).toBeTruthy();
    expect(screen.getByText('99 of 132 contributions received a published response (75 %).')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Read the responses: Adopted' }).getAttribute('href')).toBe(`/processes/${slug}/ledger?disposition=adopted`);
    expect(screen.getByText('Publish it every week.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download the figures (CSV)' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/reports/2/export?format=csv`);
    expect(screen.getByRole('link', { name: 'Download the figures (JSON)' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/reports/2/export?format=json`);
    expect(screen.getByRole('button', { name: 'Print this report' })).toBeTruthy();
    const others = screen.getByRole('navigation', { name: 'Every report of this process' });
    expect(within(others).getByRole('link', { name: /Report 2/ }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByText('This report has been superseded by a revised one.', { exact: false })).toBeNull();
  });

  it('says a superseded report was revised and links the newer one', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/reports`]: () => json(200, { reports: [summary(2, null), summary(1, 2)] }),
      [`GET /api/v1/processes/${slug}/reports/1`]: () => json(200, { ...summary(1, 2), report: closeOut() }),
    });
    fetchMock.mockImplementation(handle);
    renderPage(`/processes/${slug}/reports/1`);
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('This report has been superseded by a revised one.');
    expect(within(note).getByRole('link', { name: 'Read report 2' }).getAttribute('href')).toBe(`/processes/${slug}/reports/2`);
  });

  it('says when nothing is published yet, and a missing report is not found', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/reports`]: () => json(200, { reports: [] }),
      [`GET /api/v1/processes/${slug}/reports/7`]: () => json(404, { error: { code: 'report.not_found', message: 'no such report' } }),
    });
    fetchMock.mockImplementation(handle);
    const { unmount } = renderPage(`/processes/${slug}/reports`);
    expect(await screen.findByText('No close-out report has been published for this process yet.')).toBeTruthy();
    unmount();
    renderPage(`/processes/${slug}/reports/7`);
    expect(await screen.findByRole('heading', { name: 'No such report' })).toBeTruthy();
  });
});
