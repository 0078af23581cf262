import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { Process } from '../../api/client';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { account } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { ProcessPage } from './ProcessPage';

const process: Process = {
  slug: 'plan-2027',
  title: 'Open Government Action Plan 2027–2029',
  summary: 'A plan **with** residents',
  summary_html: '<p>A plan <strong>with</strong> residents</p>',
  languages: ['en', 'fr'],
  stage: 'active',
  current_phase: 'public_comment',
  phases: [
    { kind: 'idea_collection', opens_at: '2027-02-01T00:00:00Z', closes_at: '2027-03-01T00:00:00Z', state: 'closed' },
    { kind: 'public_comment', opens_at: '2027-03-10T00:00:00Z', closes_at: '2027-04-10T00:00:00Z', state: 'open' },
    { kind: 'implementation', opens_at: '2027-06-01T00:00:00Z', closes_at: '2029-06-01T00:00:00Z', state: 'upcoming' },
  ],
  created_at: '2027-01-01T00:00:00Z',
  updated_at: '2027-01-01T00:00:00Z',
  published_at: '2027-01-01T00:00:00Z',
};

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug" element={<ProcessPage />} />
    </Routes>,
    path,
  );
}

describe('ProcessPage', () => {
  const fetchMock = stubNetwork();

  it('shows the timeline with the current phase marked', async () => {
    fetchMock.mockImplementation(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, process)));
    renderAt('/processes/plan-2027');

    expect(await screen.findByRole('heading', { level: 1, name: process.title })).toBeTruthy();
    expect(fetchMock.mock.calls[0][0].url).toMatch(/\/api\/v1\/processes\/plan-2027$/);
    const timeline = within(screen.getByRole('region', { name: 'Timeline' })).getByRole('list');
    const steps = within(timeline).getAllByRole('listitem');
    expect(steps).toHaveLength(3);
    const current = steps.filter((s) => s.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0].textContent).toContain('Public comment');
    expect(screen.getByText('Read the draft and comment on its paragraphs.')).toBeTruthy();
  });

  it('lists the drafts with links to read them', async () => {
    const draft = {
      id: 7,
      process_slug: 'plan-2027',
      title: 'Draft action plan',
      language: 'en',
      latest_number: 2,
      created_at: '2027-03-01T00:00:00Z',
      versions: [],
    };
    fetchMock.mockImplementation(async (req) =>
      req.url.endsWith('/documents')
        ? json(200, { items: [draft, { ...draft, id: 8, title: 'Annex', latest_number: null }] })
        : json(200, process),
    );
    renderAt('/processes/plan-2027');
    const drafts = await screen.findByRole('region', { name: 'Drafts' });
    expect((await within(drafts).findByRole('link', { name: 'Draft action plan' })).getAttribute('href')).toBe('/documents/7');
    expect(within(drafts).getByText('Version 2')).toBeTruthy();
    expect(within(drafts).queryByRole('link', { name: 'Annex' })).toBeNull();
    expect(within(drafts).getByText('Not published yet')).toBeTruthy();
  });

  it('links to the ideas, and to proposing one while idea collection is open', async () => {
    let open = true;
    fetchMock.mockImplementation(async (req) => {
      if (req.url.endsWith('/documents')) return json(200, { items: [] });
      if (req.url.endsWith('/idea-settings')) return json(200, { support_limit: 3, one_per_theme: false, themes: [], phase: process.phases[0], open });
      return json(200, process);
    });
    const { unmount } = renderAt('/processes/plan-2027');
    const ideas = await screen.findByRole('region', { name: 'Ideas' });
    expect(within(ideas).getByRole('link', { name: 'See the ideas' }).getAttribute('href')).toBe('/processes/plan-2027/ideas');
    expect((await within(ideas).findByRole('link', { name: 'Propose an idea' })).getAttribute('href')).toBe('/processes/plan-2027/ideas/new');
    unmount();

    open = false;
    renderAt('/processes/plan-2027');
    const closed = await screen.findByRole('region', { name: 'Ideas' });
    await waitFor(() => expect(fetchMock.mock.calls.filter(([r]) => r.url.endsWith('/idea-settings'))).toHaveLength(2));
    await waitFor(() => expect(within(closed).queryByRole('link', { name: 'Propose an idea' })).toBeNull());
    expect(within(closed).getByRole('link', { name: 'See the ideas' })).toBeTruthy();
  });

  it('has no ideas section without an idea-collection phase', async () => {
    fetchMock.mockImplementation(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, { ...process, phases: process.phases.slice(1) })));
    renderAt('/processes/plan-2027');
    await screen.findByRole('heading', { level: 1, name: process.title });
    expect(screen.queryByRole('region', { name: 'Ideas' })).toBeNull();
    expect(fetchMock.mock.calls.some(([r]) => r.url.endsWith('/idea-settings'))).toBe(false);
  });

  it('says when the next phase opens when none is open', async () => {
    fetchMock.mockImplementation(async () =>
      json(200, {
        ...process,
        stage: 'between_phases',
        current_phase: null,
        phases: process.phases.map((ph) => (ph.state === 'open' ? { ...ph, state: 'closed' } : ph)),
      }),
    );
    renderAt('/processes/plan-2027');
    expect(await screen.findByText(/Implementation opens on June 1, 2027/)).toBeTruthy();
  });

  it('links everyone to the moderation figures, and only those who moderate to the console', async () => {
    let settings = 403;
    fetchMock.mockImplementation(async (req) => {
      if (req.url.endsWith('/documents')) return json(200, { items: [] });
      if (req.url.endsWith('/moderation/settings')) return settings === 200 ? json(200, {}) : json(settings, { error: { code: 'moderation.forbidden', message: 'x' } });
      return json(200, { ...process, phases: process.phases.slice(1) });
    });
    const { unmount } = renderAt('/processes/plan-2027');
    const section = await screen.findByRole('region', { name: 'Moderation' });
    expect(within(section).getByRole('link', { name: 'Moderation statistics' }).getAttribute('href')).toBe('/processes/plan-2027/moderation/stats');
    expect(within(section).queryByRole('link', { name: 'Moderation console' })).toBeNull();
    // Signed out, nobody asks.
    expect(fetchMock.mock.calls.some(([r]) => r.url.endsWith('/moderation/settings'))).toBe(false);
    unmount();

    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    try {
      const first = renderAt('/processes/plan-2027');
      await waitFor(() => expect(fetchMock.mock.calls.filter(([r]) => r.url.endsWith('/moderation/settings'))).toHaveLength(1));
      expect(within(await screen.findByRole('region', { name: 'Moderation' })).queryByRole('link', { name: 'Moderation console' })).toBeNull();
      first.unmount();
      settings = 200;
      renderAt('/processes/plan-2027');
      const link = await within(await screen.findByRole('region', { name: 'Moderation' })).findByRole('link', { name: 'Moderation console' });
      expect(link.getAttribute('href')).toBe('/processes/plan-2027/moderation');
    } finally {
      clearSession();
    }
  });

  it('shows a translated not-found page for an unknown process', async () => {
    fetchMock.mockImplementation(async () => json(404, { error: { code: 'process.not_found', message: 'no process with this slug' } }));
    await i18n.changeLanguage('fr');
    renderAt('/processes/nope-nope');
    expect(await screen.findByRole('heading', { level: 1, name: 'Processus introuvable' })).toBeTruthy();
  });

  it('translates error codes, with a fallback for unknown ones', async () => {
    fetchMock.mockImplementation(async () => json(503, { error: { code: 'service.unavailable', message: 'busy' } }));
    renderAt('/processes/plan-2027');
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('The service is busy. Try again in a moment.');
  });
});
