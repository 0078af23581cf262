import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { account, doc, draftVersion, preview, process, router, slug } from './fixtures';
import { PreviewPage } from './PreviewPage';

function renderPage(path = '/documents/7/v/2/preview') {
  return renderWithApp(
    <Routes>
      <Route path="/documents/:id/v/:number/preview" element={<PreviewPage />} />
      <Route path="/documents/:id" element={<p>Document page</p>} />
    </Routes>,
    path,
  );
}

describe('PreviewPage', () => {
  const fetchMock = stubNetwork();
  beforeEach(() => setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } }));
  afterEach(() => clearSession());

  function network(publish: (body: unknown) => Response) {
    let published = false;
    const r = router({
      // Once published, a version has no preview, as on the server.
      'GET /api/v1/documents/7/versions/2/preview': () =>
        published ? json(409, { error: { code: 'document.version_published', message: 'x' } }) : json(200, preview()),
      'GET /api/v1/documents/7': () => json(200, doc()),
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      'POST /api/v1/documents/7/versions/2/publish': async (req) => {
        const res = publish(await req.json());
        published = res.ok;
        return res;
      },
    });
    fetchMock.mockImplementation(r.handle);
    return r;
  }

  it('shows what publishing will do: the changes, where comments go, the headings, the text and the diff', async () => {
    network(() => json(500, {}));
    renderPage();
    await screen.findByRole('heading', { level: 1, name: 'Preview of version 2 of “Draft plan 2027”' });
    const effects = screen.getByRole('region', { name: 'What publishing will do' });
    expect(within(effects).getByRole('heading', { name: 'Paragraphs compared with version 1' })).toBeTruthy();
    const [changes, comments] = within(effects).getAllByRole('list');
    expect(within(changes).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1 new', '1 edited', '0 moved', '1 deleted', '3 unchanged']);
    expect(within(effects).getByRole('heading', { name: 'The 7 comments on the published version' })).toBeTruthy();
    expect(within(comments).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '4 stay on the same words',
      '0 follow their words to another place',
      '2 are attached to similar words, with a notice for readers',
      '1 loses its text and is listed under “Comments on text that changed”',
    ]);
    const outline = screen.getByRole('region', { name: 'Headings' });
    expect(within(outline).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1. Introduction', 'Milestones']);
    const text = screen.getByRole('region', { name: 'The text as readers will see it' });
    expect(within(text).getByRole('heading', { level: 2, name: '1. Introduction' })).toBeTruthy();
    expect(within(text).getByRole('table')).toBeTruthy();
    expect(within(text).queryByRole('button')).toBeNull(); // nothing to open or comment on yet
    const diff = screen.getByRole('region', { name: 'What changed since version 1' });
    expect(within(diff).getAllByRole('listitem').filter((li) => li.classList.contains('diff-para'))).toHaveLength(2);
    fireEvent.click(within(diff).getByLabelText('Show only the paragraphs that changed'));
    expect(within(diff).getAllByRole('listitem').filter((li) => li.classList.contains('diff-para'))).toHaveLength(3);
    // Nothing was dropped: no list of dropped lines.
    expect(screen.queryByRole('region', { name: /^Dropped/ })).toBeNull();
    expect(screen.queryByText(/page furniture/)).toBeNull();
  });

  it('lists the lines the import dropped, why and how many times, before the publish form', async () => {
    const dropped = [
      { text: 'Engagement Plan', reason: 'running_line', count: 12 },
      { text: 'Page 1 of 12', reason: 'page_number', count: 12 },
      { text: 'Introduction ........ 3', reason: 'contents', count: 1 },
      { text: '..........', reason: 'leader', count: 2 },
    ] as const;
    const r = router({
      'GET /api/v1/documents/7/versions/2/preview': () => json(200, preview({ version: draftVersion({ dropped: [...dropped] }) })),
      'GET /api/v1/documents/7': () => json(200, doc()),
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    });
    fetchMock.mockImplementation(r.handle);
    renderPage();
    const region = await screen.findByRole('region', { name: 'Dropped 27 lines' });
    expect(within(region).getByText(/page furniture/)).toBeTruthy();
    const items = within(region).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Engagement Plan (page header or footer, 12 times)',
      'Page 1 of 12 (page number, 12 times)',
      'Introduction ........ 3 (table of contents line, once)',
      '.......... (leader line, 2 times)',
    ]);
    // The dropped text is in the draft's language; the reasons in the reader's.
    expect(items[0].querySelector('q')?.getAttribute('lang')).toBe('en');
    // The owner sees it before publishing.
    const publish = screen.getByRole('region', { name: 'Publish' });
    expect(region.compareDocumentPosition(publish) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says what was dropped in French', async () => {
    const r = router({
      'GET /api/v1/documents/7/versions/2/preview': () =>
        json(200, preview({ version: draftVersion({ dropped: [{ text: 'Plan', reason: 'running_line', count: 3 }, { text: '- 2 -', reason: 'page_number', count: 1 }] }) })),
      'GET /api/v1/documents/7': () => json(200, doc()),
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    });
    fetchMock.mockImplementation(r.handle);
    await i18n.changeLanguage('fr');
    try {
      renderPage();
      const region = await screen.findByRole('region', { name: '4 lignes écartées' });
      expect(within(region).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
        'Plan (en-tête ou pied de page, 3 fois)',
        '- 2 - (numéro de page, une fois)',
      ]);
    } finally {
      await i18n.changeLanguage('en');
    }
  });

  it('publishes with a window of its own, after a check and a confirmation, then opens the document', async () => {
    const bodies: unknown[] = [];
    network((b) => {
      bodies.push(b);
      return json(200, { ...draftVersion(), published_at: '2027-03-15T00:00:00Z', latest: true });
    });
    renderPage();
    const publish = await screen.findByRole('region', { name: 'Publish' });
    fireEvent.click(within(publish).getByLabelText('Between dates of its own'));
    fireEvent.change(within(publish).getByLabelText('Comments open'), { target: { value: '2027-04-10T09:00' } });
    fireEvent.change(within(publish).getByLabelText('Comments close'), { target: { value: '2027-04-01T09:00' } });
    fireEvent.click(within(publish).getByRole('button', { name: 'Publish version 2' }));
    expect((await within(publish).findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(within(publish).getByText('Comments must close after they open.')).toBeTruthy();
    expect(bodies).toHaveLength(0);

    fireEvent.change(within(publish).getByLabelText('Comments close'), { target: { value: '2027-05-01T18:00' } });
    fireEvent.click(within(publish).getByRole('button', { name: 'Publish version 2' }));
    const question = await within(publish).findByText(/^Publish version 2 now\?/);
    expect(question.textContent).toContain('Comments: from');
    fireEvent.click(within(publish).getByRole('button', { name: 'Yes, publish version 2' }));
    await screen.findByText('Document page');
    expect(bodies).toEqual([{ opens_at: new Date('2027-04-10T09:00').toISOString(), closes_at: new Date('2027-05-01T18:00').toISOString() }]);
  });

  it('publishes in the process phase when no window is chosen; a refusal keeps the confirmation open', async () => {
    const bodies: unknown[] = [];
    network((b) => {
      bodies.push(b);
      return json(409, { error: { code: 'document.not_latest_draft', message: 'x' } });
    });
    renderPage();
    const publish = await screen.findByRole('region', { name: 'Publish' });
    fireEvent.click(within(publish).getByRole('button', { name: 'Publish version 2' }));
    fireEvent.click(await within(publish).findByRole('button', { name: 'Yes, publish version 2' }));
    expect((await within(publish).findByRole('alert')).textContent).toContain('Only the newest unpublished version can be published.');
    expect(bodies).toEqual([{ opens_at: null, closes_at: null }]);
    expect(within(publish).getByRole('button', { name: 'Yes, publish version 2' })).toBeTruthy();
  });

  it('says when the version is already published', async () => {
    const r = router({
      'GET /api/v1/documents/7/versions/1/preview': () => json(409, { error: { code: 'document.version_published', message: 'x' } }),
      'GET /api/v1/documents/7': () => json(200, doc()),
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    });
    fetchMock.mockImplementation(r.handle);
    renderPage('/documents/7/v/1/preview');
    await screen.findByText('Version 1 is published.');
    expect(screen.getByRole('link', { name: 'Read it' }).getAttribute('href')).toBe('/documents/7/v/1');
  });
});
