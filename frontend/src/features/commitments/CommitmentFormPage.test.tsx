import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { CommitmentFormPage } from './CommitmentFormPage';
import { commitment, slug } from './fixtures';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/commitments/new" element={<CommitmentFormPage />} />
      <Route path="/processes/:slug/commitments/:commitmentID" element={<p>Commitment page</p>} />
    </Routes>,
    path,
  );
}

const refused = {
  error: {
    code: 'commitment.invalid',
    message: 'validation failed',
    fields: [
      { field: 'milestones[0].due_on', code: 'outside', message: "inside the commitment's dates" },
      { field: 'members[0].account_email', code: 'unknown', message: 'no confirmed account has this address' },
    ],
  },
};

describe('CommitmentFormPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows each refused field by the field with a summary, keeps what was typed, and sends the whole commitment', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let attempts = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(404, { error: { code: 'process.not_found', message: 'x' } }),
      [`GET /api/v1/processes/${slug}/documents`]: () => json(200, { items: [] }),
      [`POST /api/v1/processes/${slug}/commitments`]: () => (++attempts === 1 ? json(422, refused) : json(201, commitment({ id: 9 }))),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments/new`);

    fireEvent.change(await screen.findByLabelText('Title'), { target: { value: 'Open contracting register' } });
    fireEvent.change(screen.getByLabelText('Lead institution'), { target: { value: 'Procurement Office' } });
    fireEvent.change(screen.getByLabelText('Start date'), { target: { value: '2027-01-04' } });
    fireEvent.change(screen.getByLabelText('End date'), { target: { value: '2027-12-31' } });
    fireEvent.click(screen.getByLabelText('Access to information'));
    const m1 = screen.getByRole('group', { name: 'Milestone 1' });
    fireEvent.change(within(m1).getByLabelText('Milestone'), { target: { value: 'Register online' } });
    fireEvent.change(within(m1).getByLabelText('Due date'), { target: { value: '2028-02-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a member' }));
    const member = screen.getByRole('group', { name: 'Member 1' });
    fireEvent.change(within(member).getByLabelText('Name'), { target: { value: 'Nadia Brennan' } });
    fireEvent.change(within(member).getByLabelText(/Account e-mail address/), { target: { value: 'nobody@example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the commitment' }));

    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toBe('Some fields need attention.');
    const due = within(m1).getByLabelText('Due date');
    expect(due.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(due.getAttribute('aria-describedby')!.split(' ').pop()!)?.textContent).toBe("Choose a date inside the commitment's dates.");
    expect(within(member).getByLabelText(/Account e-mail address/).getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Open contracting register');
    expect((due as HTMLInputElement).value).toBe('2028-02-01');

    const sent = seen.find((r) => r.method === 'POST')!;
    expect(sent.headers.get('Idempotency-Key')).toBeTruthy();
    expect(sent.body).toEqual({
      title: 'Open contracting register', description: '', lead_institution: 'Procurement Office', other_actors: [], theme: '', starts_on: '2027-01-04',
      ends_on: '2027-12-31', values: ['access_to_information'], members: [{ name: 'Nadia Brennan', organisation: '', seat: 'government', account_email: 'nobody@example.org' }],
      milestones: [{ title: 'Register online', due_on: '2028-02-01' }], sources: [],
    });

    fireEvent.change(due, { target: { value: '2027-04-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the commitment' }));
    expect(await screen.findByText('Commitment page')).toBeTruthy();
    await waitFor(() => expect(attempts).toBe(2));
    // The form has many fields to fill in jsdom: more than the default 5 s when the suite runs on a busy machine.
  }, 20_000);
});
