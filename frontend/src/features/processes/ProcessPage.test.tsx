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
  /** serve answers the process's updates with none, and everything else with f. */
  const serve = (f: (req: Request) => Promise<Response>) =>
    fetchMock.mockImplementation(async (req) => (new URL(req.url).pathname.endsWith('/updates') ? json(200, { items: [], next_cursor: null }) : f(req)));

  it('shows the timeline with the current phase marked', async () => {
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, process)));
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

  it('shows the texts of a process in Arabic right to left, in its language', async () => {
    const arabic: Process = { ...process, title: 'خطة عمل الحكومة المنفتحة', summary_html: '<p>خطة مع السكان</p>', languages: ['ar', 'en'] };
    fetchMock.mockImplementation(async (req) =>
      new URL(req.url).pathname.endsWith('/updates')
        ? json(200, { items: [{ id: 1, title: 'تحديث', body: 'نص', body_html: '<p>نص التحديث</p>', published_at: '2027-03-01T00:00:00Z', edited_at: null }], next_cursor: null })
        : req.url.endsWith('/documents')
          ? json(200, { items: [] })
          : json(200, arabic),
    );
    const { container } = renderAt('/processes/plan-2027');
    const title = await screen.findByRole('heading', { level: 1, name: arabic.title });
    expect([title.getAttribute('lang'), title.getAttribute('dir')]).toEqual(['ar', 'rtl']);
    const summary = container.querySelector('.summary')!;
    expect([summary.getAttribute('lang'), summary.getAttribute('dir')]).toEqual(['ar', 'rtl']);
    const update = await screen.findByRole('heading', { level: 3, name: 'تحديث' });
    expect(update.getAttribute('dir')).toBe('rtl');
    expect(container.querySelector('.update-body')!.getAttribute('dir')).toBe('rtl');
    // The interface around them stays in the reader's language and direction.
    expect(screen.getByRole('region', { name: 'Timeline' }).closest('[dir]')).toBeNull();
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
    serve(async (req) =>
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
    serve(async (req) => {
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
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, { ...process, phases: process.phases.slice(1) })));
    renderAt('/processes/plan-2027');
    await screen.findByRole('heading', { level: 1, name: process.title });
    expect(screen.queryByRole('region', { name: 'Ideas' })).toBeNull();
    expect(fetchMock.mock.calls.some(([r]) => r.url.endsWith('/idea-settings'))).toBe(false);
  });

  it('says when the next phase opens when none is open', async () => {
    serve(async () =>
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
    serve(async (req) => {
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

  it('tells the public the engagement mandate first, leaving out what is not written', async () => {
    const mandate = {
      purpose: 'We write the plan with residents.',
      open_items: ['Which commitments'],
      fixed_items: [],
      use_of_input: 'The forum answers every comment.',
      decision_maker: '',
      decision_points: [{ label: 'Council vote', date: '2027-09-01' }],
      iap2_level: 'involve' as const,
      contact_name: 'Open Government Office',
      contact_email: 'open@city.example',
      privacy_notice: 'Kept **five years**.',
      privacy_html: '<p>Kept <strong>five years</strong>.</p>',
      updated_at: '2027-01-02T00:00:00Z',
      missing: ['fixed_items' as const, 'decision_maker' as const],
    };
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, { ...process, mandate, viewer: { manage: false } })));
    renderAt('/processes/plan-2027');
    const section = await screen.findByRole('region', { name: 'About this consultation' });
    expect(within(section).getByText('We write the plan with residents.')).toBeTruthy();
    expect(within(section).getByText(/We will work with you so that your concerns shape the options we consider/)).toBeTruthy();
    expect(within(section).getByRole('heading', { name: 'Open for your influence' })).toBeTruthy();
    expect(within(section).queryByRole('heading', { name: 'Already decided' })).toBeNull();
    expect(within(section).queryByRole('heading', { name: 'Who decides' })).toBeNull();
    expect(within(section).getByText(/September 1, 2027/).closest('li')?.textContent).toBe('September 1, 2027 — Council vote');
    expect(within(section).getByRole('link', { name: 'open@city.example' }).getAttribute('href')).toBe('mailto:open@city.example');
    expect(section.querySelector('details strong')?.textContent).toBe('five years');
    // The section comes before what one can do now.
    const order = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(order.indexOf('About this consultation')).toBeLessThan(order.indexOf('What you can do now'));
    expect(screen.queryByRole('link', { name: 'Manage this process' })).toBeNull();
  });

  it('leads those who manage the process to its hub, and says when it is not published', async () => {
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, { ...process, published_at: null, viewer: { manage: true } })));
    renderAt('/processes/plan-2027');
    expect((await screen.findByRole('link', { name: 'Manage this process' })).getAttribute('href')).toBe('/processes/plan-2027/manage');
    expect(screen.getByText(/This process is not published yet/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Publish it' }).getAttribute('href')).toBe('/processes/plan-2027/publish');
    expect(screen.queryByRole('region', { name: 'About this consultation' })).toBeNull();
  });

  it('shows the latest updates', async () => {
    const update = { id: 3, title: 'The draft is out', body: 'Read it', body_html: '<p>Read <em>it</em></p>', published_at: '2027-03-02T10:00:00Z', edited_at: null };
    fetchMock.mockImplementation(async (req) => {
      const url = new URL(req.url);
      if (url.pathname.endsWith('/updates')) return json(200, { items: [update], next_cursor: 'next' });
      return url.pathname.endsWith('/documents') ? json(200, { items: [] }) : json(200, process);
    });
    renderAt('/processes/plan-2027');
    const section = await screen.findByRole('region', { name: 'Updates' });
    expect(await within(section).findByRole('heading', { level: 3, name: 'The draft is out' })).toBeTruthy();
    expect(within(section).getByText('March 2, 2027')).toBeTruthy();
    expect(section.querySelector('em')?.textContent).toBe('it');
    expect(within(section).getByRole('link', { name: 'All updates' }).getAttribute('href')).toBe('/processes/plan-2027/updates');
    expect(fetchMock.mock.calls.map(([r]) => new URL(r.url)).find((u) => u.pathname.endsWith('/updates'))?.searchParams.get('limit')).toBe('3');
  });

  it('shows a translated not-found page for an unknown process', async () => {
    serve(async () => json(404, { error: { code: 'process.not_found', message: 'no process with this slug' } }));
    await i18n.changeLanguage('fr');
    renderAt('/processes/nope-nope');
    expect(await screen.findByRole('heading', { level: 1, name: 'Processus introuvable' })).toBeTruthy();
  });

  it('translates error codes, with a fallback for unknown ones', async () => {
    serve(async () => json(503, { error: { code: 'service.unavailable', message: 'busy' } }));
    renderAt('/processes/plan-2027');
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('The service is busy. Try again in a moment.');
  });

  it('offers the Atom feed and the calendar of a published process, and announces the feed in the head', async () => {
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, process)));
    renderAt('/processes/plan-2027');
    const feeds = await screen.findByRole('region', { name: 'Follow this process' });
    const atom = within(feeds).getByRole('link', { name: 'Follow in a feed reader (Atom)' });
    expect(atom.getAttribute('href')).toBe('/api/v1/processes/plan-2027/feed.atom');
    expect(atom.getAttribute('type')).toBe('application/atom+xml');
    expect(within(feeds).getByRole('link', { name: 'Add to a calendar (iCalendar)' }).getAttribute('href')).toBe('/api/v1/processes/plan-2027/calendar.ics');
    const alternate = document.head.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    expect(alternate?.getAttribute('href')).toBe('/api/v1/processes/plan-2027/feed.atom');
  });

  it('offers no feed for a process not published yet (its feeds are not found)', async () => {
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, { ...process, published_at: null })));
    renderAt('/processes/plan-2027');
    await screen.findByRole('heading', { level: 1, name: process.title });
    expect(screen.queryByRole('region', { name: 'Follow this process' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Follow in a feed reader (Atom)' })).toBeNull();
    expect(document.head.querySelector('link[rel="alternate"][type="application/atom+xml"]')).toBeNull();
  });

  it('says in French how to follow the process', async () => {
    serve(async (req) => (req.url.endsWith('/documents') ? json(200, { items: [] }) : json(200, process)));
    await i18n.changeLanguage('fr');
    try {
      renderAt('/processes/plan-2027');
      const feeds = await screen.findByRole('region', { name: 'Suivre ce processus' });
      expect(within(feeds).getByRole('link', { name: 'Suivre dans un lecteur de flux (Atom)' })).toBeTruthy();
      expect(within(feeds).getByRole('link', { name: 'Ajouter à un agenda (iCalendar)' })).toBeTruthy();
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
