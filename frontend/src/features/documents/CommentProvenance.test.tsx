import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp, stubNetwork } from '../../test/helpers';
import { CommentList } from './CommentNode';
import { comment } from './fixtures';
import { buildTree, draftThreadContext } from './thread';

describe('comments received offline', () => {
  stubNetwork();

  it('name their contributor, how and when they were received, and who entered them', () => {
    const owner = { id: 3, name: 'Larkhaven Open Government Office' };
    const items = [
      comment({ id: 1, author: owner, channel: 'paper', contributor: "Harbour Residents' Association", received_on: '2027-03-12' }),
      comment({ id: 2, author: owner, channel: 'phone', contributor: null, received_on: '2027-03-13' }),
      comment({ id: 3, author: { id: 7, name: 'Iris Novak' } }),
    ];
    renderWithApp(<CommentList nodes={buildTree(items)} ctx={draftThreadContext(7, 2, null, undefined, true)} />);

    const letter = screen.getByRole('article', { name: "Comment by Harbour Residents' Association" });
    expect(within(letter).getByText('Received by post on March 12, 2027; entered by Larkhaven Open Government Office.')).toBeTruthy();
    const call = screen.getByRole('article', { name: 'Comment by Anonymous contributor' });
    expect(within(call).getByText('Received by phone on March 13, 2027; entered by Larkhaven Open Government Office.')).toBeTruthy();
    const online = screen.getByRole('article', { name: 'Comment by Iris Novak' });
    expect(within(online).queryByText(/^Received/)).toBeNull();
  });
});
