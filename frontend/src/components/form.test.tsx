import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../i18n';
import { SLOW_MS, SubmitButton } from './form';

describe('SubmitButton', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // Issue 15, item 12: a send that takes longer than a moment says so in
  // words, not only with a greyed button.
  it('says "Sending…" when a send takes longer than a moment, and stops when it ends', () => {
    const { rerender } = render(<SubmitButton pending={false}>Post</SubmitButton>);
    expect(screen.queryByRole('status')).toBeNull();

    rerender(<SubmitButton pending>Post</SubmitButton>);
    expect(screen.getByRole('button', { name: /Post/ })).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toBe(''); // a quick send shows no words

    act(() => vi.advanceTimersByTime(SLOW_MS + 10));
    expect(screen.getByRole('status').textContent).toBe('Sending…');

    rerender(<SubmitButton pending={false}>Post</SubmitButton>);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByRole('button', { name: 'Post' })).toHaveProperty('disabled', false);
  });
});
