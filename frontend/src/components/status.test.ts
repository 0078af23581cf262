import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { AppError } from '../api/client';
import { errorText } from './status';

describe('errorText', () => {
  it('translates known codes in English and French', async () => {
    await i18n.changeLanguage('en');
    expect(errorText(i18n.t, new AppError('process.not_found', 404))).toBe('This process does not exist.');
    await i18n.changeLanguage('fr');
    expect(errorText(i18n.t, new AppError('process.not_found', 404))).toBe("Ce processus n'existe pas.");
    expect(errorText(i18n.t, new TypeError('Failed to fetch'))).toBe('Le service est injoignable. Vérifiez votre connexion.');
  });
  it('says how long to wait when the server said so', async () => {
    await i18n.changeLanguage('en');
    expect(errorText(i18n.t, new AppError('moderation.rate_limited', 429, [], 12))).toBe('You are posting too quickly. Wait a moment before posting again. Try again in 12 seconds.');
    expect(errorText(i18n.t, new AppError('moderation.duplicate', 409))).toBe('You posted the same text a few minutes ago.');
    await i18n.changeLanguage('fr');
    expect(errorText(i18n.t, new AppError('moderation.rate_limited', 429, [], 1))).toBe('Vous publiez trop vite. Patientez un instant avant de publier à nouveau. Réessayez dans 1 seconde.');
  });
  it('falls back to a generic message for codes it does not know', async () => {
    await i18n.changeLanguage('en');
    expect(errorText(i18n.t, new AppError('something.new', 409))).toBe('An unexpected error occurred.');
  });
});
