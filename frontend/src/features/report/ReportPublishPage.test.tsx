import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { closeOut, slug } from './fixtures';
import { ReportPublishPage } from './ReportPublishPage';

function renderPage() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/reports/new" element={<ReportPublishPage />} />
    </Routes>,
    `/processes/${slug}/reports/new`,
  );
}

describe('ReportPublishPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lets an owner preview the report of a phase with representative quotes, then publish it with an Idempotency-Key', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { roles: [] }),
      [`GET /api/v1/processes/${slug}/reports/preview`]: () => json(200, closeOut()),
      [`POST /api/v1/processes/${slug}/reports`]: () =>
        json(201, { number: 1, phase: 'idea_collection', content_sha256: 'ab'.repeat(32), published_at: '2025-10-01T09:00:00Z', ledger_seq: 4, supersedes: null, superseded_by: null, report: closeOut() }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.change(await screen.findByLabelText('What the report covers'), { target: { value: 'idea_collection' } });
    fireEvent.change(screen.getByLabelText(/Representative contributions to quote/), { target: { value: 'comment:5, idea:3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview the report' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Preview' })).toBeTruthy();
    expect(seen.some((r) => r.path === `/api/v1/processes/${slug}/reports/preview?phase=idea_collection&representative=comment%3A5%2Cidea%3A3`)).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'We did' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Publish this report' }));
    expect(await screen.findByText('Report 1 is published.')).toBeTruthy();
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ phase: 'idea_collection', representative: ['comment:5', 'idea:3'] });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Read report 1' }).getAttribute('href')).toBe(`/processes/${slug}/reports/1`);
  });

  it('says which representative contribution was refused, and publishes nothing', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { roles: [] }),
      [`GET /api/v1/processes/${slug}/reports/preview`]: () =>
        json(422, { error: { code: 'report.invalid', message: 'invalid', fields: [{ field: 'representative[0]', code: 'not_public', message: 'not public' }] } }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.change(await screen.findByLabelText(/Representative contributions to quote/), { target: { value: 'comment:9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview the report' }));
    expect((await screen.findByRole('alert')).textContent).toContain('representative[0] is not a public contribution of this process.');
    expect(screen.queryByRole('button', { name: 'Publish this report' })).toBeNull();
    await waitFor(() => expect(seen.some((r) => r.method === 'POST')).toBe(false));
  });

  it('refuses someone who does not own the process', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'process.roles_forbidden', message: 'no' } }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    expect(await screen.findByText("Only the process's owners can preview and publish its report.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Preview the report' })).toBeNull();
  });
});
