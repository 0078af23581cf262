import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { DashboardPage, dueSoon } from './DashboardPage';
import { dashboard, slug, summary } from './fixtures';

function Address() {
  const l = useLocation();
  return <p data-testid="address">{l.pathname + l.search}</p>;
}

function renderAt(path: string) {
  return renderWithApp(
    <>
      <Routes>
        <Route path="/processes/:slug/commitments" element={<DashboardPage />} />
      </Routes>
      <Address />
    </>,
    path,
  );
}

describe('DashboardPage', () => {
  const fetchMock = stubNetwork();

  it('says each status in words with its icon, sums them up in a table beside the chart, and lists the overdue questions and the open data', async () => {
    const { handle } = router({ [`GET /api/v1/processes/${slug}/commitments`]: () => json(200, dashboard()) });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Commitments and their progress' })).toBeTruthy();
    const glance = await screen.findByRole('region', { name: 'At a glance' });
    const table = within(glance).getByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['StatusCommitments', 'Status: Not started0', 'Status: On track1', 'Status: At risk0', 'Status: Delayed1', 'Status: Completed1', 'Status: Withdrawn0']);
    // The chart repeats the table for the eye only.
    expect(glance.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');

    const list = screen.getByRole('region', { name: '3 commitments' });
    const portal = within(list).getByRole('article', { name: 'Open data portal' });
    expect(within(portal).getByText('Delayed').closest('.cstatus')?.querySelector('svg')).toBeTruthy();
    expect(within(portal).getByText('A milestone is 70 days late.')).toBeTruthy();
    expect(within(portal).getByText('1 of 4 milestones done (25 %)')).toBeTruthy();
    expect(within(portal).getByText('1 overdue')).toBeTruthy();
    expect(within(portal).getByRole('link', { name: 'Open data portal' }).getAttribute('href')).toBe(`/processes/${slug}/commitments/3`);

    const overdue = screen.getByRole('region', { name: '1 question waiting past its due date' });
    expect(within(overdue).getByRole('link', { name: 'Open data portal' }).getAttribute('href')).toBe(`/processes/${slug}/commitments/3#question-8`);

    const data = screen.getByRole('region', { name: 'Open data' });
    expect(within(data).getByRole('link', { name: 'Milestones (CSV)' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/commitments/export?format=csv&table=milestones`);
    expect(screen.queryByRole('link', { name: 'Add a commitment' })).toBeNull();
  });

  it('narrows the list by theme, lead institution and status, kept in the address', async () => {
    const { handle } = router({ [`GET /api/v1/processes/${slug}/commitments`]: () => json(200, dashboard()) });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments?status=completed`);

    const list = await screen.findByRole('region', { name: '3 commitments' });
    await waitFor(() => expect(within(list).getAllByRole('article').map((a) => a.getAttribute('aria-labelledby') && a.textContent?.split('Status')[0])).toEqual(['Open council records']));
    expect(within(list).getByRole('status').textContent).toBe('Showing 1 of 3.');

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Lead institution'), { target: { value: 'Procurement Office' } });
    await waitFor(() => expect(screen.getByTestId('address').textContent).toBe(`/processes/${slug}/commitments?lead=Procurement+Office`));
    expect(within(list).getAllByRole('article')).toHaveLength(1);
    expect(within(list).getByRole('article', { name: 'Beneficial-ownership register' })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'Transparency' } });
    await waitFor(() => expect(within(list).getByRole('status').textContent).toBe('Showing 0 of 3.'));
  });

  it('warns when the self-assessment is open for less than four weeks', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}/commitments`]: () =>
        json(200, dashboard({ self_assessment: { document_id: 12, title: 'Self-assessment 2027', version: 1, state: 'open', opens_at: '2027-03-01T00:00:00Z', closes_at: '2027-03-15T00:00:00Z', window_days: 14, short: true } })),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments`);
    const box = await screen.findByRole('region', { name: 'Self-assessment report' });
    expect(within(box).getByRole('link', { name: 'Self-assessment 2027' }).getAttribute('href')).toBe('/documents/12');
    expect(within(box).getByRole('note').textContent).toBe('Its comment period lasts 14 days: OGP asks for at least four weeks.');
  });

  it('is not found for a process nobody may see', async () => {
    const { handle } = router({});
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Process not found' })).toBeTruthy();
  });
});

describe('dueSoon', () => {
  it('is true a fortnight before the next update is due, and after', () => {
    expect(dueSoon(summary({ id: 1, next_update_due_on: '2027-03-29' }), '2027-03-15')).toBe(true);
    expect(dueSoon(summary({ id: 1, next_update_due_on: '2027-03-30' }), '2027-03-15')).toBe(false);
    expect(dueSoon(summary({ id: 1, next_update_due_on: '2027-03-01' }), '2027-03-15')).toBe(true);
    expect(dueSoon(summary({ id: 1, next_update_due_on: '2027-03-01', status: 'completed' }), '2027-03-15')).toBe(false);
  });
});
