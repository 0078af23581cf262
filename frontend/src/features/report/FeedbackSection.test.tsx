import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../test/helpers';
import { closeOut } from './fixtures';
import type { CloseOutReport } from './queries';
import { ReportView } from './ReportView';

type Survey = NonNullable<CloseOutReport['feedback']>[number];

const counted: Survey = {
  phase: 'idea_collection',
  opens_at: '2025-06-01T00:00:00Z',
  closes_at: '2025-07-01T00:00:00Z',
  edited: false,
  fewer_than_min: false,
  answers: 6,
  questions: [
    {
      id: 'q1',
      kind: 'scale',
      prompt: 'How clear was what you could influence?',
      options: [],
      fewer_than_min: false,
      answered: 6,
      counts: [
        { value: '1', count: 1 },
        { value: '2', count: 1 },
        { value: '3', count: 0 },
        { value: '4', count: 2 },
        { value: '5', count: 2 },
      ],
      mean: 3.5,
      texts: [],
    },
    {
      id: 'q2',
      kind: 'yes_no',
      prompt: 'Did you have enough time and information?',
      options: [],
      fewer_than_min: false,
      answered: 6,
      counts: [
        { value: 'yes', count: 4 },
        { value: 'no', count: 2 },
      ],
      mean: null,
      texts: [],
    },
    { id: 'q3', kind: 'scale', prompt: 'Would you take part again?', options: [], fewer_than_min: true, answered: null, counts: [], mean: null, texts: [] },
    {
      id: 'q4',
      kind: 'text',
      prompt: 'Anything else you want to tell the team?',
      options: [],
      fewer_than_min: false,
      answered: 1,
      counts: [],
      mean: null,
      texts: [{ id: 7, body: 'More evening meetings, please.', body_html: '<p>More evening meetings, please.</p>' }],
    },
  ],
};

const suppressed: Survey = {
  ...counted,
  phase: 'public_comment',
  fewer_than_min: true,
  answers: null,
  questions: counted.questions.map((q) => ({ ...q, fewer_than_min: true, answered: null, counts: [], mean: null, texts: [] })),
};

describe('ReportView feedback on the process', () => {
  it('shows per question a table of counts with the mean of a scale, the approved texts as a list, and "fewer than 5" where too few answered', () => {
    renderWithApp(<ReportView report={closeOut({ feedback: [counted, suppressed] })} />);
    const section = screen.getByRole('region', { name: 'Feedback on the process' });
    const ideas = within(section).getByRole('region', { name: 'Survey of the Idea collection phase' });
    expect(within(ideas).getByText(/^6 people answered between/)).toBeTruthy();

    const q1 = within(ideas).getByRole('table', { name: '1. How clear was what you could influence? (6 answers)' });
    expect(within(q1).getByRole('columnheader', { name: 'Answer' })).toBeTruthy();
    expect(within(q1).getByRole('row', { name: '4 2' })).toBeTruthy();
    expect(within(q1).getByRole('row', { name: '3 0' })).toBeTruthy();
    expect(within(q1).getByRole('row', { name: 'Mean (1 to 5) 3.5' })).toBeTruthy();
    const q2 = within(ideas).getByRole('table', { name: /^2\. Did you have enough time and information\?/ });
    expect(within(q2).getByRole('row', { name: 'Yes 4' })).toBeTruthy();
    expect(within(q2).queryByText(/Mean/)).toBeNull();
    expect(within(ideas).queryByRole('table', { name: /Would you take part again/ })).toBeNull();
    expect(within(ideas).getByRole('heading', { name: '3. Would you take part again?' })).toBeTruthy();
    expect(within(ideas).getByText('Fewer than 5 answered this question: no result is shown.')).toBeTruthy();
    const texts = within(ideas).getByRole('list', { name: 'Free texts published for: Anything else you want to tell the team?' });
    expect(within(texts).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['More evening meetings, please.']);

    const comments = within(section).getByRole('region', { name: 'Survey of the Public comment phase' });
    expect(within(comments).getByText(/^Fewer than 5 people answered between/)).toBeTruthy();
    expect(within(comments).queryByRole('table')).toBeNull();
    expect(within(comments).queryByRole('list')).toBeNull();
  });

  it('says when no survey of the scope has opened, and shows nothing for a report published before the section existed', () => {
    const { unmount } = renderWithApp(<ReportView report={closeOut({ feedback: [] })} />);
    expect(screen.getByText("No feedback survey of this report's scope has opened yet.")).toBeTruthy();
    unmount();
    renderWithApp(<ReportView report={closeOut()} />);
    expect(screen.queryByRole('heading', { name: 'Feedback on the process' })).toBeNull();
  });
});
