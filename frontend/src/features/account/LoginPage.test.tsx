import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { LoginPage, SignUpPage } from './pages';

describe('account forms', () => {
  const fetchMock = stubNetwork();

  it('shows a translated bad-credentials error', async () => {
    fetchMock.mockImplementation(async () => json(401, { error: { code: 'auth.bad_credentials', message: 'x' } }));
    renderWithApp(<LoginPage />);
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
    renderWithApp(<SignUpPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Certains champs sont à corriger.');
    const password = screen.getByLabelText('Mot de passe');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    const described = password.getAttribute('aria-describedby') ?? '';
    expect(described.split(' ').map((id) => document.getElementById(id)?.textContent).join(' ')).toContain('trop courant');
    expect(screen.getByLabelText('Adresse électronique').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Nom affiché').getAttribute('aria-invalid')).toBeNull();
  });

  it('says "check your e-mail" after a sign-up, whether or not the address has an account', async () => {
    fetchMock.mockImplementation(async () => new Response(null, { status: 202 }));
    renderWithApp(<SignUpPage />);
    fireEvent.change(screen.getByLabelText('E-mail address'), { target: { value: 'ana@example.org' } });
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Ana Lima' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Check your e-mail' })).toBeTruthy();
    const status = screen.getByRole('status').textContent ?? '';
    expect(status).toContain('ana@example.org');
    expect(status).toContain('if it already has an account');
    expect(screen.queryByText(/already uses this e-mail address/)).toBeNull();
    expect(screen.getByRole('link', { name: 'Already have an account? Sign in' }).getAttribute('href')).toBe('/login');
  });

  it('explains a display name refused as a look-alike of a pseudonym, in French too', async () => {
    await i18n.changeLanguage('fr');
    fetchMock.mockImplementation(async () =>
      json(422, { error: { code: 'account.invalid', message: 'x', fields: [{ field: 'display_name', code: 'pseudonym', message: 'x' }] } }),
    );
    renderWithApp(<SignUpPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Créer le compte' }));
    await screen.findByRole('alert');
    const name = screen.getByLabelText('Nom affiché');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const described = name.getAttribute('aria-describedby') ?? '';
    expect(described.split(' ').map((id) => document.getElementById(id)?.textContent).join(' ')).toContain('ressemble au pseudonyme');
  });
});
