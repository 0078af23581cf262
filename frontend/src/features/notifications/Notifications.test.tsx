import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { FollowButton } from './FollowButton';
import { NotificationsLink } from './NotificationsLink';
import { NotificationsPage } from './NotificationsPage';
import { UnsubscribePage } from './UnsubscribePage';

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

const reply = {
  id: 12,
  kind: 'comment_reply',
  created_at: '2027-03-15T12:00:00Z',
  read_at: null,
  path: '/documents/7#comment-40',
  process_slug: 'plan-2027',
  process_title: 'Plan 2027',
  title: 'Draft plan',
  number: 0,
  disposition: '',
  phase: '',
};

describe('notifications', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows the unread count in the header with a name that says so', async () => {
    signIn();
    fetchMock.mockImplementation(router({ 'GET /api/v1/me/notifications/unread': () => json(200, { unread: 3 }) }).handle);
    renderWithApp(<NotificationsLink />);
    const link = await screen.findByRole('link', { name: 'Notifications, 3 unread' });
    expect(link.getAttribute('href')).toBe('/account/notifications');
    expect(link.textContent).toBe('Notifications (3), 3 unread');
  });

  it('lists notifications in words and marks one read', async () => {
    signIn();
    let read = false;
    const { handle, seen } = router({
      'GET /api/v1/me/notifications': () => json(200, { items: [{ ...reply, read_at: read ? '2027-03-15T13:00:00Z' : null }], next_cursor: null }),
      'POST /api/v1/me/notifications/12/read': () => {
        read = true;
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<NotificationsPage />, '/account/notifications');
    const link = await screen.findByRole('link', { name: 'Someone replied to your comment on “Draft plan”.' });
    expect(link.getAttribute('href')).toBe('/documents/7#comment-40');
    expect(screen.getByText('New')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Mark as read' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Mark as read' })).toBeNull());
    expect(seen.some((s) => s.method === 'POST' && s.path === '/api/v1/me/notifications/12/read')).toBe(true);
    expect(screen.queryByText('New')).toBeNull();
  });

  it('follows and unfollows with a pressed toggle', async () => {
    signIn();
    let follows: unknown[] = [];
    const { handle, seen } = router({
      'GET /api/v1/me/follows': () => json(200, { items: follows }),
      'POST /api/v1/me/follows': () => {
        follows = [{ target_kind: 'process', target_id: 3, auto: false, created_at: '2027-03-15T12:00:00Z', title: 'Plan 2027', process_slug: 'plan-2027', process_title: 'Plan 2027' }];
        return json(201, follows[0]);
      },
      'DELETE /api/v1/me/follows': () => {
        follows = [];
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<FollowButton subject={{ kind: 'process', slug: 'plan-2027' }} />);
    const button = await screen.findByRole('button', { name: 'Follow this process' });
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('false'));
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('true'));
    expect(seen.find((s) => s.method === 'POST')?.body).toEqual({ target_kind: 'process', target_slug: 'plan-2027' });
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('false'));
    expect(seen.some((s) => s.method === 'DELETE' && s.path === '/api/v1/me/follows?target_kind=process&target_slug=plan-2027')).toBe(true);
  });

  it('unsubscribes with one button and confirms, without signing in', async () => {
    const { handle, seen } = router({ 'POST /api/v1/unsubscribe': () => new Response(null, { status: 204 }) });
    fetchMock.mockImplementation(handle);
    renderWithApp(<UnsubscribePage />, '/unsubscribe?token=5.comment_reply.abc');
    fireEvent.click(await screen.findByRole('button', { name: 'Stop these e-mails' }));
    expect(await screen.findByText('Done: you will no longer receive these e-mails.')).toBeTruthy();
    expect(seen[0].body).toEqual({ token: '5.comment_reply.abc' });
  });
});
