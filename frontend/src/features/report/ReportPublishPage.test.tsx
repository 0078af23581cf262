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

  it('lets an owner preview the report of a phase with representative quotes in the background, with its progress, then publish it with an Idempotency-Key', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const job = (id: number, action: 'preview' | 'publish', state: 'queued' | 'running' | 'done', step: number, extra = {}) => ({
      id,
      action,
      phase: 'idea_collection',
      representative: ['comment:5', 'idea:3'],
      state,
      progress: { step, total: 6 },
      attempts: state === 'queued' ? 0 : 1,
      created_at: '2025-10-01T09:00:00Z',
      finished_at: state === 'done' ? '2025-10-01T09:00:05Z' : null,
      error: null,
      report_number: null,
      result: null,
      ...extra,
    });
    let previewPolls = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { roles: [] }),
      [`GET /api/v1/processes/${slug}/reports/preview`]: () => json(202, job(7, 'preview', 'queued', 0)),
      [`GET /api/v1/processes/${slug}/report-jobs/7`]: () => {
        previewPolls++;
        return previewPolls < 2 ? json(200, job(7, 'preview', 'running', 3)) : json(200, job(7, 'preview', 'done', 6, { preview: closeOut() }));
      },
      [`POST /api/v1/processes/${slug}/reports`]: () => json(202, job(8, 'publish', 'queued', 0)),
      [`GET /api/v1/processes/${slug}/report-jobs/8`]: () => json(200, job(8, 'publish', 'done', 7, { report_number: 1, result: `/api/v1/processes/${slug}/reports/1` })),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.change(await screen.findByLabelText('What the report covers'), { target: { value: 'idea_collection' } });
    fireEvent.change(screen.getByLabelText(/Representative contributions to quote/), { target: { value: 'comment:5, idea:3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview the report' }));
    const bar = await screen.findByRole('progressbar', { name: "Generating the report from the process's data…" });
    expect(await screen.findByText(/Step 3 of 6/)).toBeTruthy();
    expect(bar.getAttribute('max')).toBe('6');
    expect(await screen.findByRole('heading', { level: 2, name: 'Preview' }, { timeout: 3000 })).toBeTruthy();
    const asked = seen.find((r) => r.path === `/api/v1/processes/${slug}/reports/preview?phase=idea_collection&representative=comment%3A5%2Cidea%3A3`);
    expect(asked?.headers.get('Prefer')).toBe('respond-async');
    expect(screen.getByRole('heading', { level: 2, name: 'We did' })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Publish this report' }));
    expect(await screen.findByText('Report 1 is published.', undefined, { timeout: 3000 })).toBeTruthy();
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ phase: 'idea_collection', representative: ['comment:5', 'idea:3'] });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
    expect(post?.headers.get('Prefer')).toBe('respond-async');
    expect(screen.getByRole('link', { name: 'Read report 1' }).getAttribute('href')).toBe(`/processes/${slug}/reports/1`);
  });

  it('says why a report job failed', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { roles: [] }),
      [`GET /api/v1/processes/${slug}/reports/preview`]: () =>
        json(202, { id: 9, action: 'preview', phase: null, representative: [], state: 'queued', progress: { step: 0, total: 6 }, attempts: 0, created_at: '2025-10-01T09:00:00Z', finished_at: null, error: null, report_number: null, result: null }),
      [`GET /api/v1/processes/${slug}/report-jobs/9`]: () =>
        json(200, { id: 9, action: 'preview', phase: null, representative: [], state: 'failed', progress: { step: 2, total: 6 }, attempts: 3, created_at: '2025-10-01T09:00:00Z', finished_at: '2025-10-01T09:01:00Z', error: { code: 'report.job_lost', message: 'lost' }, report_number: null, result: null }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Preview the report' }));
    expect((await screen.findByRole('alert')).textContent).toContain('the server making it stopped three times');
    expect(screen.queryByRole('button', { name: 'Publish this report' })).toBeNull();
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
