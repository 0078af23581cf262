import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { fullMandate, managed, slug } from './fixtures';
import { ManageHubPage } from './ManageHubPage';
import { MandatePage } from './MandatePage';
import { NewProcessPage, ProcessSettingsPage } from './ProcessPages';
import { PublishPage } from './PublishPage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/new" element={<NewProcessPage />} />
      <Route path="/processes/:slug/manage" element={<ManageHubPage />} />
      <Route path="/processes/:slug/settings" element={<ProcessSettingsPage />} />
      <Route path="/processes/:slug/mandate" element={<MandatePage />} />
      <Route path="/processes/:slug/publish" element={<PublishPage />} />
    </Routes>,
    path,
  );
}

function signIn(admin = false) {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin } });
}

const day = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString().replace('.000Z', 'Z');

describe('NewProcessPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('creates a process with its phases, showing the refusals at their fields and keeping what was typed', async () => {
    signIn(true);
    let attempt = 0;
    const { handle, seen } = router({
      'POST /api/v1/processes': () => {
        attempt++;
        if (attempt === 1) {
          return json(422, {
            error: {
              code: 'process.invalid',
              message: 'validation failed',
              fields: [
                { field: 'languages[1]', code: 'language', message: 'x' },
                { field: 'phases[1].opens_at', code: 'phase_overlap', message: 'x' },
              ],
            },
          });
        }
        return json(201, managed());
      },
      [`GET /api/v1/processes/${slug}`]: () => json(200, managed()),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/processes/new');

    fireEvent.change(await screen.findByRole('textbox', { name: 'Title' }), { target: { value: 'Action plan 2029' } });
    expect((screen.getByRole('textbox', { name: 'Web address' }) as HTMLInputElement).value).toBe('action-plan-2029');
    fireEvent.change(screen.getByRole('textbox', { name: 'Languages' }), { target: { value: 'en, français' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the process' }));
    // Nothing is sent without a phase.
    expect((await screen.findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);

    const ideas = screen.getByRole('group', { name: 'Idea collection' });
    fireEvent.click(within(ideas).getByRole('checkbox', { name: 'Include Idea collection' }));
    fireEvent.change(within(ideas).getByLabelText('First day'), { target: { value: '2029-03-01' } });
    fireEvent.change(within(ideas).getByLabelText('Last day'), { target: { value: '2029-03-31' } });
    const comment = screen.getByRole('group', { name: 'Public comment' });
    fireEvent.click(within(comment).getByRole('checkbox', { name: 'Include Public comment' }));
    fireEvent.change(within(comment).getByLabelText('First day'), { target: { value: '2029-03-15' } });
    fireEvent.change(within(comment).getByLabelText('Last day'), { target: { value: '2029-04-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the process' }));

    await waitFor(() => expect(within(comment).getByText('This phase starts before the one before it ends.')).toBeTruthy());
    expect(within(comment).getByLabelText('First day').getAttribute('aria-invalid')).toBe('true');
    expect(within(ideas).queryByText('This phase starts before the one before it ends.')).toBeNull();
    expect(screen.getByText('Enter a language code such as en, fr or pt-BR.')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Languages' }) as HTMLInputElement).value).toBe('en, français');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({
      slug: 'action-plan-2029',
      title: 'Action plan 2029',
      summary: '',
      languages: ['en', 'français'],
      phases: [
        { kind: 'idea_collection', opens_at: day(2029, 3, 1), closes_at: day(2029, 4, 1) },
        { kind: 'public_comment', opens_at: day(2029, 3, 15), closes_at: day(2029, 5, 1) },
      ],
    });

    fireEvent.change(screen.getByRole('textbox', { name: 'Languages' }), { target: { value: 'en fr' } });
    fireEvent.change(within(comment).getByLabelText('First day'), { target: { value: '2029-04-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the process' }));
    // The new process's hub says it was created.
    expect(await screen.findByText('Process created. It is not published yet: write its engagement mandate, then publish it.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Manage the process' })).toBeTruthy();
  });

  it('is for administrators only', async () => {
    signIn(false);
    renderAt('/processes/new');
    expect(await screen.findByText('Only administrators can create processes.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create the process' })).toBeNull();
  });
});

describe('ManageHubPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lists what an owner does, with where', async () => {
    signIn();
    fetchMock.mockImplementation(router({ [`GET /api/v1/processes/${slug}`]: () => json(200, managed()) }).handle);
    renderAt(`/processes/${slug}/manage`);
    const setUp = await screen.findByRole('region', { name: 'Set up' });
    const links = within(setUp)
      .getAllByRole('link')
      .map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['Settings', `/processes/${slug}/settings`],
      ['Engagement mandate', `/processes/${slug}/mandate`],
      ['Publication', `/processes/${slug}/publish`],
      ['Roles', `/processes/${slug}/roles`],
    ]);
    expect(within(setUp).getByText(/10 parts are empty\./)).toBeTruthy();
    const hrefs = screen.getAllByRole('link').map((a) => a.getAttribute('href'));
    for (const path of ['drafts', 'offline', 'repository', 'updates', 'moderation', 'moderation/settings', 'ideas/settings', 'forum', 'forum/terms', 'meetings', 'commitments', 'commitments/new', 'commitments/settings']) {
      expect(hrefs).toContain(`/processes/${slug}/${path}`);
    }
    expect(screen.getByText(/only its owners and administrators can see this process/)).toBeTruthy();
  });

  it('is not for those who do not manage the process', async () => {
    signIn();
    fetchMock.mockImplementation(router({ [`GET /api/v1/processes/${slug}`]: () => json(200, managed({ published_at: '2029-01-01T00:00:00Z', viewer: { manage: false } })) }).handle);
    renderAt(`/processes/${slug}/manage`);
    expect(await screen.findByText("Only this process's owners and administrators can manage it.")).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Set up' })).toBeNull();
  });
});

describe('ProcessSettingsPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('sends only what changed, on the version read, and keeps the typing when someone saved meanwhile', async () => {
    signIn();
    let attempt = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, managed()),
      [`PATCH /api/v1/processes/${slug}`]: () => {
        attempt++;
        if (attempt === 1) return json(409, { error: { code: 'process.stale', message: 'x' } });
        return json(200, managed({ title: 'Action plan 2029, revised', updated_at: '2029-01-03T00:00:00Z' }));
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/settings`);
    const title = await screen.findByRole('textbox', { name: 'Title' });
    expect(screen.getByText(`Web address: /processes/${slug} (it cannot change).`)).toBeTruthy();
    expect((within(screen.getByRole('group', { name: 'Public comment' })).getByLabelText('Last day') as HTMLInputElement).value).toBe('2029-05-31');
    fireEvent.change(title, { target: { value: 'Action plan 2029, revised' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Someone else saved this since you opened it.');
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe('Action plan 2029, revised');
    expect(seen.find((r) => r.method === 'PATCH')?.body).toEqual({ title: 'Action plan 2029, revised', updated_at: '2029-01-01T09:30:00.654321Z' });

    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Moderation settings' }).getAttribute('href')).toBe(`/processes/${slug}/moderation/settings`);
    expect(screen.getByRole('link', { name: 'Idea settings' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/settings`);
  });
});

describe('MandatePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('writes the mandate, with the refusals at their fields', async () => {
    signIn();
    let attempt = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, managed()),
      [`PUT /api/v1/processes/${slug}/mandate`]: () => {
        attempt++;
        if (attempt === 1) {
          return json(422, {
            error: { code: 'process.invalid', message: 'x', fields: [{ field: 'open_items[1]', code: 'required', message: 'x' }, { field: 'contact_email', code: 'email', message: 'x' }] },
          });
        }
        return json(200, { ...fullMandate(), missing: ['privacy_notice'] });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/mandate`);

    fireEvent.change(await screen.findByRole('textbox', { name: 'Why are you engaging the public, and what will be decided?' }), { target: { value: 'Why' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Involve' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add an open item' }));
    const first = await screen.findByRole('textbox', { name: 'Open item 1' });
    await waitFor(() => expect(document.activeElement).toBe(first));
    fireEvent.change(first, { target: { value: 'Which commitments' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add an open item' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add a decision point' }));
    const point = await screen.findByRole('group', { name: 'Decision point 1' });
    fireEvent.change(within(point).getByRole('textbox', { name: 'What is decided' }), { target: { value: 'Council vote' } });
    fireEvent.change(within(point).getByLabelText('Date'), { target: { value: '2029-09-01' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'E-mail address' }), { target: { value: 'the office' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the mandate' }));

    await screen.findByRole('alert');
    expect(screen.getByRole('textbox', { name: 'Open item 2' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('This is not an e-mail address.')).toBeTruthy();
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({
      purpose: 'Why',
      open_items: ['Which commitments', ''],
      fixed_items: [],
      use_of_input: '',
      decision_maker: '',
      decision_points: [{ label: 'Council vote', date: '2029-09-01' }],
      iap2_level: 'involve',
      contact_name: '',
      contact_email: 'the office',
      privacy_notice: '',
      updated_at: null,
    });

    fireEvent.click(screen.getByRole('button', { name: 'Remove Open item 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save the mandate' }));
    const status = await screen.findByText('Mandate saved.');
    expect(status.parentElement?.textContent).toContain('Still empty: Privacy notice.');
    // The next save is made on the version just saved.
    fireEvent.click(screen.getByRole('button', { name: 'Save the mandate' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(3));
    expect((seen.filter((r) => r.method === 'PUT')[2].body as { updated_at: string }).updated_at).toBe(fullMandate().updated_at);
  });
});

describe('PublishPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('warns of the empty parts of the mandate before the owner confirms', async () => {
    signIn();
    const mandate = { ...fullMandate(), purpose: '', privacy_notice: '', privacy_html: '', missing: ['purpose' as const, 'privacy_notice' as const] };
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, managed({ mandate })),
      [`POST /api/v1/processes/${slug}/publish`]: () =>
        json(200, {
          process: managed({ mandate, published_at: '2029-01-05T10:00:00Z' }),
          warnings: [
            { field: 'purpose', code: 'empty', message: 'x' },
            { field: 'privacy_notice', code: 'empty', message: 'x' },
          ],
        }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/publish`);

    const checks = await screen.findByRole('region', { name: 'Before you publish' });
    expect(within(checks).getByText(/2 parts of the engagement mandate are empty/)).toBeTruthy();
    expect(within(checks).getByRole('link', { name: 'Purpose' }).getAttribute('href')).toBe(`/processes/${slug}/mandate#mandate-purpose`);
    expect(within(checks).getByRole('link', { name: 'Privacy notice' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publish anyway' }));
    const confirm = await screen.findByRole('group', { name: 'Publish “Action plan 2029”? Everyone will be able to see it and take part.' });
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Publish' }));

    expect(await screen.findByRole('heading', { name: 'The process is published.' })).toBeTruthy();
    expect(screen.getByText('These parts of its engagement mandate are still empty:')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('says when the process is public already', async () => {
    signIn();
    fetchMock.mockImplementation(router({ [`GET /api/v1/processes/${slug}`]: () => json(200, managed({ published_at: '2029-01-05T10:00:00Z' })) }).handle);
    renderAt(`/processes/${slug}/publish`);
    expect(await screen.findByText('This process was published on January 5, 2029.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Publish/ })).toBeNull();
  });
});
