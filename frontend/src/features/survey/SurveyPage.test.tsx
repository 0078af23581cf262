import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process as baseProcess, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import type { Survey, SurveyResults } from './queries';
import { SurveyPage } from './SurveyPage';

const slug = 'larkhaven-ideas-2028';
const base = `/api/v1/processes/${slug}`;

const survey: Survey = {
  phase: 'idea_collection',
  opens_at: '2028-03-01T00:00:00Z',
  closes_at: '2028-03-31T00:00:00Z',
  state: 'open',
  edited: false,
  answered: false,
  questions: [
    { id: 'q1', kind: 'scale', prompt: 'How clear was what you could influence?', options: [] },
    { id: 'q2', kind: 'yes_no', prompt: 'Did you have enough time and information?', options: [] },
    { id: 'q3', kind: 'scale', prompt: 'Would you take part again?', options: [] },
    { id: 'q4', kind: 'text', prompt: 'Anything else you want to tell the team?', options: [] },
  ],
};

const fewResults: SurveyResults = {
  phase: 'idea_collection', opens_at: survey.opens_at, closes_at: survey.closes_at, state: 'open', edited: false, min_group: 5,
  fewer_than_min: true, answers: null,
  questions: survey.questions.map((q) => ({ ...q, fewer_than_min: true, answered: null, counts: [], mean: null, texts: [] })),
};

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

function renderSurvey() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/surveys/:phase" element={<SurveyPage />} />
    </Routes>,
    `/processes/${slug}/surveys/idea_collection`,
  );
}

describe('SurveyPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  function serve(answer: (body: unknown) => Response, invited: Survey[] = [survey]) {
    let answered = false;
    const r = router({
      [`GET ${base}`]: () => json(200, { ...baseProcess, slug }),
      // Once answered, the survey is no longer among the person's invitations.
      [`GET ${base}/surveys/invited`]: () => json(200, { items: answered ? [] : invited }),
      [`GET ${base}/surveys/idea_collection`]: () => json(200, survey),
      [`GET ${base}/surveys/idea_collection/results`]: () => json(200, fewResults),
      [`POST ${base}/surveys/idea_collection/answers`]: async (req) => {
        const res = answer(await req.clone().json());
        answered = res.status === 204;
        return res;
      },
    });
    fetchMock.mockImplementation(r.handle);
    return r;
  }

  it('lets an invited participant answer: one group per question, nothing sent while nothing is answered, thanks once stored', async () => {
    signIn();
    const { seen } = serve(() => new Response(null, { status: 204 }));
    renderSurvey();

    const q1 = await screen.findByRole('group', { name: '1. How clear was what you could influence?' });
    const q2 = screen.getByRole('group', { name: '2. Did you have enough time and information?' });
    screen.getByRole('group', { name: '4. Anything else you want to tell the team?' });
    expect(within(q1).getAllByRole('radio')).toHaveLength(5);
    expect(within(q1).getByRole('radio', { name: '1 (not at all)' })).toBeTruthy();
    expect(within(q2).getAllByRole('radio').map((r) => r.closest('div')?.textContent)).toEqual(['Yes', 'No']);
    expect(screen.getByText('Fewer than 5 answers so far: results are shown from 5 answers, so that no one can be recognised.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Send my answer' }));
    expect(within(await screen.findByRole('alert')).getByText('Answer at least one question before sending.')).toBeTruthy();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.click(within(q1).getByRole('radio', { name: '4' }));
    fireEvent.click(within(q2).getByRole('radio', { name: 'No' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Your answer' }), { target: { value: 'More evening meetings, please.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send my answer' }));

    expect(await screen.findByText('Thank you: your answer is recorded. Any free text will be published once a moderator has read it.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Thank you');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ answers: [{ question: 'q1', scale: 4 }, { question: 'q2', yes: false }, { question: 'q4', text: 'More evening meetings, please.' }] });
  });

  it('shows what the server refused on the question it concerns, and announces it', async () => {
    signIn();
    serve(() => json(422, { error: { code: 'survey.invalid', message: 'validation failed', fields: [{ field: 'answers[1].text', code: 'length', message: 'at most 2000 characters' }] } }));
    renderSurvey();
    const q3 = await screen.findByRole('group', { name: '3. Would you take part again?' });
    fireEvent.click(within(q3).getByRole('radio', { name: '5 (completely)' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Your answer' }), { target: { value: 'Long text' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send my answer' }));

    expect(within(await screen.findByRole('alert')).getByText('Some answers need attention.')).toBeTruthy();
    const text = screen.getByRole('textbox', { name: 'Your answer' });
    await waitFor(() => expect(text.getAttribute('aria-invalid')).toBe('true'));
    expect(within(q3).queryByText(/too short or too long/)).toBeNull();
    // What was typed is kept for another try.
    expect((text as HTMLTextAreaElement).value).toBe('Long text');
  });

  it('tells a signed-in person who is not invited why there is no form, and a visitor how to sign in', async () => {
    signIn();
    serve(() => new Response(null, { status: 204 }), []);
    const { unmount } = renderSurvey();
    expect(await screen.findByText(/This survey is for the people who took part in this phase/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send my answer' })).toBeNull();
    unmount();

    clearSession();
    renderSurvey();
    expect(await screen.findByRole('link', { name: 'Sign in to answer this survey' })).toBeTruthy();
  });
});
