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
});
