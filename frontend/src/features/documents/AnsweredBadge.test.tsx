import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { response } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { CommentList } from './CommentNode';
import { comment, router } from './fixtures';
import { buildTree, draftThreadContext } from './thread';

describe('the answered badge on comments', () => {
  const fetchMock = stubNetwork();

  it('says which response answered a comment, fetching each response once', async () => {
    const { handle, seen } = router({ 'GET /api/v1/responses/40': () => json(200, response({ id: 40 })) });
    fetchMock.mockImplementation(handle);
    const items = [
      comment({ id: 1, response_id: 40, author: { id: 5, name: 'Bea Costa' } }),
      comment({ id: 2, response_id: 40, author: { id: 6, name: 'Noor Haddad' } }),
      comment({ id: 3, author: { id: 7, name: 'Iris Novak' } }),
    ];
    renderWithApp(<CommentList nodes={buildTree(items)} ctx={draftThreadContext(7, 2, null, undefined, true)} />);

    const first = screen.getByRole('article', { name: 'Comment by Bea Costa' });
    const link = await within(first).findByRole('link', { name: 'Answered by the forum: adopted' });
    expect(link.getAttribute('href')).toBe('/responses/40');
    expect(link.parentElement?.textContent).toBe('Answered by the forum: adopted on April 3, 2027, signed by Larkhaven City Council and Open Larkhaven Coalition');
    await within(screen.getByRole('article', { name: 'Comment by Noor Haddad' })).findByRole('link', { name: 'Answered by the forum: adopted' });
    expect(within(screen.getByRole('article', { name: 'Comment by Iris Novak' })).queryByRole('link', { name: /Answered by the forum/ })).toBeNull();
    await waitFor(() => expect(seen.filter((r) => r.path === '/api/v1/responses/40')).toHaveLength(1));
  });
});
