import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { FakeXHR } from '../../test/fakeXHR';
import { account, doc, process, router, slug } from './fixtures';
import { ImportVersionPage } from './ImportVersionPage';

function renderPage() {
  return renderWithApp(
    <Routes>
      <Route path="/documents/:id/import" element={<ImportVersionPage />} />
      <Route path="/documents/:id/v/:number/preview" element={<p>Preview page</p>} />
    </Routes>,
    '/documents/7/import',
  );
}

const created = { number: 3, source_format: 'docx' };

describe('ImportVersionPage', () => {
  const fetchMock = stubNetwork();
  beforeEach(() => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } });
    FakeXHR.reset();
  });
  afterEach(() => clearSession());

  function network() {
    const r = router({
      'GET /api/v1/documents/7': () => json(200, doc()),
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      'POST /api/v1/documents/7/versions': async (req) => {
        const body = (await req.json()) as { source: string };
        if (!body.source.includes('#')) return json(422, { error: { code: 'document.invalid', message: 'x', fields: [{ field: 'source', code: 'empty', message: 'x' }] } });
        return json(201, { ...created, source_format: 'markdown' });
      },
    });
    fetchMock.mockImplementation(r.handle);
    return r;
  }

  it('uploads a Word file with its progress, shows a refusal in place, and goes to the preview once imported', async () => {
    network();
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    renderPage();
    await screen.findByText('Version 2 is not published yet: importing replaces it.');
    const input = screen.getByLabelText('File');
    const file = new File(['PK…'], 'plan.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    fireEvent.change(input, { target: { files: [file] } });
    fireEvent.change(screen.getByLabelText('Note for readers (optional)'), { target: { value: 'From the forum.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));

    await waitFor(() => expect(FakeXHR.sent).toHaveLength(1));
    const xhr = FakeXHR.sent[0];
    expect(xhr.url).toMatch(/\/api\/v1\/documents\/7\/imports$/);
    expect(xhr.requestHeaders.Authorization).toBe('Bearer token');
    expect((xhr.body?.get('file') as File).name).toBe('plan.docx');
    expect(xhr.body?.get('note')).toBe('From the forum.');

    act(() => xhr.progress(40, 100));
    expect(screen.getByRole('status').textContent).toBe('Sending plan.docx…');
    expect(screen.getByRole('progressbar', { name: 'Sending plan.docx…' }).getAttribute('value')).toBe('40');
    expect(screen.getByText('40% sent')).toBeTruthy();
    act(() => xhr.progress(100, 100));
    expect(screen.getByRole('status').textContent).toBe('Converting the file and comparing it with the published version…');
    expect(screen.getByRole('button', { name: /Import and preview/ }).hasAttribute('disabled')).toBe(true);

    act(() =>
      xhr.answer(422, {
        error: { code: 'document.converter_missing', message: 'x', fields: [{ field: 'file', code: 'converter_missing', message: 'x' }] },
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('pandoc is not installed');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Word and OpenDocument files cannot be converted on this server.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('');
    expect((screen.getByLabelText('Note for readers (optional)') as HTMLTextAreaElement).value).toBe('From the forum.');

    FakeXHR.onSend = (x) => setTimeout(() => x.answer(201, created), 0);
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));
    await screen.findByText('Preview page');
    expect(FakeXHR.sent).toHaveLength(2);
  });

  it('checks the file before sending it', async () => {
    network();
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    renderPage();
    await screen.findByLabelText('File');
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Attach a file.');
    expect(screen.getByText('Fill this in.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('File'), { target: { files: [new File(['%PDF'], 'plan.pdf')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));
    await screen.findByText('Choose a Markdown, text, HTML, Word (.docx) or OpenDocument (.odt) file.');
    expect(FakeXHR.sent).toHaveLength(0);
  });

  it('imports pasted text, keeping it when the server refuses it', async () => {
    const { seen } = network();
    renderPage();
    await screen.findByLabelText('File');
    fireEvent.click(screen.getByLabelText('Paste the text'));
    fireEvent.change(screen.getByLabelText('Format of the text'), { target: { value: 'html' } });
    const text = screen.getByLabelText('Text') as HTMLTextAreaElement;
    fireEvent.change(text, { target: { value: '<p></p>' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));
    await screen.findByText('There is no text to import.');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(text.value).toBe('<p></p>');
    const first = seen.find((r) => r.method === 'POST');
    expect(first?.body).toEqual({ format: 'html', source: '<p></p>' });
    expect(first?.headers.get('Idempotency-Key')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Format of the text'), { target: { value: 'markdown' } });
    fireEvent.change(text, { target: { value: '# Plan\n\nText.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import and preview' }));
    await screen.findByText('Preview page');
  });
});
