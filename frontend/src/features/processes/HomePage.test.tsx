import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { HomePage } from './HomePage';

describe('HomePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('offers administrators a new process, and marks the ones not published yet', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } });
    fetchMock.mockImplementation(async () => json(200, { items: [{ ...process, slug: 'plan-new', title: 'A plan in preparation', published_at: null }, process], next_cursor: null }));
    renderWithApp(<HomePage />);
    expect((await screen.findByRole('link', { name: 'New process' })).getAttribute('href')).toBe('/processes/new');
    await screen.findByRole('link', { name: 'A plan in preparation' });
    const [draft, open] = screen.getAllByRole('listitem');
    expect(within(draft).getByText('Not published yet')).toBeTruthy();
    expect(within(open).queryByText('Not published yet')).toBeNull();
  });

  it('offers no new process to others', async () => {
    fetchMock.mockImplementation(async () => json(200, { items: [process], next_cursor: null }));
    renderWithApp(<HomePage />);
    await screen.findByRole('link', { name: process.title });
    expect(screen.queryByRole('link', { name: 'New process' })).toBeNull();
  });

  it('offers the Atom feed and the calendar of every process', async () => {
    fetchMock.mockImplementation(async () => json(200, { items: [process], next_cursor: null }));
    renderWithApp(<HomePage />);
    const feeds = await screen.findByRole('region', { name: 'Follow every process' });
    expect(within(feeds).getByRole('link', { name: 'Follow in a feed reader (Atom)' }).getAttribute('href')).toBe('/api/v1/feed.atom');
    expect(within(feeds).getByRole('link', { name: 'Add to a calendar (iCalendar)' }).getAttribute('href')).toBe('/api/v1/calendar.ics');
    const alternate = document.head.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    expect(alternate?.getAttribute('href')).toBe('/api/v1/feed.atom');
  });
});
