import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, vi } from 'vitest';
import { newQueryClient } from '../App';
import i18n from '../i18n';

/** json builds a fresh JSON response (a body can be read once). */
export function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** renderWithApp renders ui inside the app's query client and a router at path. */
export function renderWithApp(ui: ReactNode, path = '/') {
  return render(
    <QueryClientProvider client={newQueryClient()}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}

/**
 * stubNetwork replaces fetch for each test of the calling suite with a mock the
 * test programs, and starts each test in English.
 */
export function stubNetwork() {
  const fetchMock = vi.fn<(req: Request) => Promise<Response>>();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    void i18n.changeLanguage('en');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });
  return fetchMock;
}
