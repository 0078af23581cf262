import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newQueryClient } from '../../App';
import i18n from '../../i18n';
import { LoginPage, SignUpPage } from './pages';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function renderPage(page: React.ReactNode) {
  return render(
    <QueryClientProvider client={newQueryClient()}>
      <MemoryRouter>{page}</MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('account forms', () => {
  const fetchMock = vi.fn<(req: Request) => Promise<Response>>();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    void i18n.changeLanguage('en');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });

  it('shows a translated bad-credentials error', async () => {
    fetchMock.mockImplementation(async () => json(401, { error: { code: 'auth.bad_credentials', message: 'x' } }));
    renderPage(<LoginPage />);
    fireEvent.change(screen.getByLabelText('E-mail address'), { target: { value: 'ana@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The e-mail address or password is wrong.');
    const body = await fetchMock.mock.calls[0][0].json();
    expect(body).toEqual({ email: 'ana@example.org', password: 'wrong password' });
  });

  it('marks each field the server refused, in French too', async () => {
    await i18n.changeLanguage('fr');
    fetchMock.mockImplementation(async () =>
      json(422, {
        error: {
          code: 'account.invalid',
          message: 'x',
          fields: [
            { field: 'password', code: 'common', message: 'x' },
            { field: 'email', code: 'email', message: 'x' },
          ],
        },
      }),
    );
    renderPage(<SignUpPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Certains champs sont à corriger.');
    const password = screen.getByLabelText('Mot de passe');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    const described = password.getAttribute('aria-describedby') ?? '';
    expect(described.split(' ').map((id) => document.getElementById(id)?.textContent).join(' ')).toContain('trop courant');
    expect(screen.getByLabelText('Adresse électronique').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Nom affiché').getAttribute('aria-invalid')).toBeNull();
  });
});
