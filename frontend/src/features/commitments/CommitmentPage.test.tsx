import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { CommitmentPage } from './CommitmentPage';
import { commitment, noViewer, question, slug, update } from './fixtures';
import type { Question } from './queries';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/commitments/:commitmentID" element={<CommitmentPage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

describe('CommitmentPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows the commitment, its working group and its timeline of milestones and updates, in date order', async () => {
    const c = commitment({
      milestones: [
        { id: 21, title: 'Register online', due_on: '2027-02-28', completed_on: null, late_days: 15, evidence_url: null, evidence_item: null, evidence_item_id: null },
        { id: 22, title: 'Declarations checked', due_on: '2027-06-30', completed_on: null, late_days: 0, evidence_url: null, evidence_item: null, evidence_item_id: null },
      ],
      updates: [update({ id: 5, state: 'published', published_at: '2027-03-10T10:00:00Z', comments: 2, signatures: [{ kind: 'sign', member_ref: 'm-1', name: null, seat: 'government', organisation: 'City', note: null, signed_at: null }] })],
      status: 'at_risk', status_reason: 'milestone_late', status_days: 15,
    });
    const { handle } = router({ 'GET /api/v1/commitments/2': () => json(200, c), 'GET /api/v1/commitments/2/questions': () => json(200, { items: [] }) });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments/2`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Beneficial-ownership register' })).toBeTruthy();
    expect(screen.getByText('A milestone is 15 days late.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Working group' })).getByText('Nadia Brennan · Procurement Office · Government')).toBeTruthy();
    const timeline = screen.getByRole('region', { name: 'Milestones and updates' });
    const items = within(timeline).getAllByRole('listitem');
    expect(items.map((i) => within(i).getByRole('heading').textContent)).toEqual(['Milestone: Register online', 'Joint update (government and civil society)', 'Milestone: Declarations checked']);
    expect(within(items[0]).getByText('15 days late')).toBeTruthy();
    expect(within(items[1]).getByText('signed by 1 forum member · 2 comments')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Write a progress update' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in to ask a question' })).toBeTruthy();
  });

  it('lets a signed-in person ask a question, and the lead institution answer it or pause its clock once with a reason', async () => {
    signIn();
    let questions: Question[] = [question({ id: 8, commitment_id: 2, working_days: 4, due_on: '2027-03-29' })];
    const { handle, seen } = router({
      'GET /api/v1/commitments/2': () => json(200, commitment({ viewer: { ...noViewer, write: true, answer: true, answer_as: 'lead_institution', publish_government: true, manage: true } })),
      'GET /api/v1/commitments/2/questions': () => json(200, { items: questions }),
      'POST /api/v1/commitments/2/questions': () => {
        questions = [question({ id: 9, commitment_id: 2, body: 'And the CSV?', body_html: '<p>And the CSV?</p>' }), ...questions];
        return json(201, questions[0]);
      },
      'POST /api/v1/questions/8/pause': () => json(422, { error: { code: 'commitment.invalid', message: 'x', fields: [{ field: 'resumes_on', code: 'too_far', message: 'x' }] } }),
      'POST /api/v1/questions/8/answer': () => {
        questions = questions.map((q) => (q.id === 8 ? { ...q, answer: 'On 30 April.', answer_html: '<p>On 30 April.</p>', answered_as: 'lead_institution', answered_at: '2027-03-16T10:00:00Z' } : q));
        return json(200, questions.find((q) => q.id === 8));
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/commitments/2`);

    const section = await screen.findByRole('region', { name: 'Questions' });
    expect(await within(section).findByText('Answer due by March 29, 2027 (4 working days so far).')).toBeTruthy();
    fireEvent.click(within(section).getByRole('button', { name: 'Ask' }));
    expect((await within(section).findByRole('alert')).textContent).toBe('Some fields need attention.');
    fireEvent.change(within(section).getByLabelText('Your question'), { target: { value: 'And the CSV?' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Ask' }));
    expect(await within(section).findByText('Your question is published; the answer clock has started.')).toBeTruthy();
    expect(seen.find((r) => r.method === 'POST' && r.path.endsWith('/questions'))!.headers.get('Idempotency-Key')).toBeTruthy();
    await waitFor(() => expect(within(section).getByText('And the CSV?')).toBeTruthy());

    const q8 = within(section).getAllByRole('article').find((a) => a.textContent?.includes('When?'))!;
    fireEvent.click(within(q8).getByRole('button', { name: 'Pause the clock' }));
    fireEvent.change(within(q8).getByLabelText('Why is the answer waiting?'), { target: { value: "Waiting for the ministry's figures" } });
    fireEvent.change(within(q8).getByLabelText('The clock runs again on'), { target: { value: '2027-08-01' } });
    fireEvent.click(within(q8).getByRole('button', { name: 'Pause the clock' }));
    expect((await within(q8).findByText('Choose a date within 60 days.'))).toBeTruthy();
    expect((within(q8).getByLabelText('Why is the answer waiting?') as HTMLTextAreaElement).value).toBe("Waiting for the ministry's figures");
    fireEvent.click(within(q8).getByRole('button', { name: 'Cancel' }));

    fireEvent.click(within(q8).getByRole('button', { name: 'Answer' }));
    fireEvent.change(within(q8).getByLabelText('Your answer'), { target: { value: 'On 30 April.' } });
    fireEvent.click(within(q8).getByRole('button', { name: 'Publish the answer' }));
    const answer = await within(section).findByText(/Answer of Procurement Office/);
    expect(answer.parentElement!.textContent).toContain('On 30 April.');
    expect(within(q8).queryByRole('button', { name: 'Answer' })).toBeNull();
  });
});
