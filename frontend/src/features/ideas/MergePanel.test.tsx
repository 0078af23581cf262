import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, mySupports, process, settings, slug } from './fixtures';
import { IdeaPage } from './IdeaPage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/ideas/:ideaID" element={<IdeaPage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

const duplicate = idea({ id: 21, title: 'Budget open data', body: 'Put the budget online.', supports: 2, can_merge: true });
const original = idea({ id: 7, title: 'Publish the city budget as open data', body: 'Every line, every month.', supports: 12 });
const other = idea({ id: 8, title: 'Open budget hearings', supports: 1, channel: 'paper', contributor: 'Eastside residents' });

describe('merging from the idea page', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('finds the duplicate, shows both side by side and merges after confirming', async () => {
    signIn();
    let merged = false;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'GET /api/v1/ideas/21/comments': () => json(200, { items: [], next_cursor: null }),
      'GET /api/v1/ideas/21': () => json(200, merged ? { ...duplicate, status: 'merged', merged_into: 7, can_merge: false } : duplicate),
      'GET /api/v1/ideas/7': () => json(200, original),
      [`GET /api/v1/processes/${slug}/ideas/similar`]: () => json(200, { items: [duplicate, original] }),
      [`GET /api/v1/processes/${slug}/ideas`]: () => json(200, { items: [other, duplicate, original], next_cursor: null }),
      'POST /api/v1/ideas/21/merge': () => {
        merged = true;
        return json(200, { ...duplicate, status: 'merged', merged_into: 7, can_merge: false });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    fireEvent.click(await screen.findByRole('button', { name: 'Merge into another idea' }));
    const panel = await screen.findByRole('region', { name: 'Merge this idea into another' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Merge this idea into another'));
    // Ideas like this one come first, without the idea itself.
    await within(panel).findByText('Ideas like this one:');
    expect(within(panel).queryByRole('button', { name: 'Compare with “Budget open data”' })).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Compare with “Publish the city budget as open data”' })).toBeTruthy();

    // A search lists the matching ideas.
    fireEvent.change(within(panel).getByRole('searchbox', { name: 'Find the idea it duplicates' }), { target: { value: 'budget' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await within(panel).findByText('2 ideas match:');
    const search = seen.filter((r) => r.path.startsWith(`/api/v1/processes/${slug}/ideas?`)).at(-1)!;
    expect(new URL(`http://x${search.path}`).searchParams.get('q')).toBe('budget');
    expect(within(panel).getByText('1 support · Eastside residents')).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Compare with “Publish the city budget as open data”' }));
    const compare = await within(panel).findByRole('heading', { name: 'Side by side' });
    await waitFor(() => expect(document.activeElement).toBe(compare));
    const sides = within(panel).getAllByRole('article');
    expect(sides.map((s) => within(s).getByRole('heading').textContent)).toEqual(['Budget open data', 'Publish the city budget as open data']);
    expect(sides[1].textContent).toContain('12 supports');
    expect(within(panel).getByText('Merge “Budget open data” into “Publish the city budget as open data”? This cannot be undone.')).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Yes, merge them' }));
    await screen.findByText('This idea is merged into the other one; its supporters now count there.');
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ into: 7 });
    // The page shows where the idea went; it cannot be merged again.
    const banner = await screen.findByText((_, el) => el?.classList.contains('merged-banner') ?? false);
    expect(within(banner).getByRole('link', { name: 'Publish the city budget as open data' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/7`);
    expect(screen.queryByRole('button', { name: 'Merge into another idea' })).toBeNull();
  });

  it('offers no merge to those who may not merge', async () => {
    signIn();
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'GET /api/v1/ideas/21/comments': () => json(200, { items: [], next_cursor: null }),
      'GET /api/v1/ideas/21': () => json(200, { ...duplicate, can_merge: false }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);
    await screen.findByRole('heading', { level: 1, name: 'Budget open data' });
    expect(screen.queryByRole('button', { name: 'Merge into another idea' })).toBeNull();
  });
});
