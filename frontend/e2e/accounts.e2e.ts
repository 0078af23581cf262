import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail, dataDir, expectFitsPhones, expectNoAxeViolations, launchBrowser, newPage } from './kit';
import { waitForLink, waitForMail } from './mail';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

const email = `rosa.${Date.now()}@example.org`;
const firstPassword = 'a quiet harbour at dawn';
const secondPassword = 'lanterns along the quay';

describe('accounts', () => {
  it('signs up, confirms the address by the e-mailed link, signs in and out', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await expectNoAxeViolations(page);

    // Bad input first: the errors come back per field.
    await page.getByLabel('E-mail address').fill('not an address');
    await page.getByLabel('Display name').fill('Rosa Marin');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some fields need attention.' }).waitFor();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('This is too short.').waitFor();

    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

    await confirmEmail(page, email);
    await expectNoAxeViolations(page); // the address-confirmation page

    await page.goto('/login');
    await expectNoAxeViolations(page);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The e-mail address or password is wrong.' }).waitFor();
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Rosa Marin').waitFor();

    // A reload keeps the session: the refresh cookie buys a new access token.
    await page.reload();
    await page.getByText('Signed in as Rosa Marin').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
  });

  it('answers a sign-up with a taken address as with a free one, and tells the owner by e-mail', async () => {
    await page.goto('/signup');
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await page.getByLabel('E-mail address').fill(email.toUpperCase());
    await page.getByLabel('Display name').fill('Someone Else');
    await page.getByLabel('Password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your e-mail' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('if it already has an account');
    expect(await page.getByText('An account already uses this e-mail address.').count()).toBe(0);
    await expectNoAxeViolations(page);
    await expectFitsPhones(page);

    const notice = await waitForMail(dataDir, email, 'Subject: Someone tried to create a Cocreate account', '/forgot-password');
    expect(notice).not.toContain('Someone Else');
    // The account is unchanged: its own password still signs in, under its own name.
    await page.getByRole('link', { name: 'Already have an account? Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Rosa Marin').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
  });

  it('resets a forgotten password by the e-mailed link', async () => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in form has an "E-mail address" too: wait for the new page before filling in.
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText('we sent it a link', { exact: false }).waitFor();

    await page.goto(await waitForLink(dataDir, '/reset-password', email));
    await page.getByLabel('New password').waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('New password').fill(secondPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password is changed. Sign in with the new one.').waitFor();

    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(secondPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Rosa Marin').waitFor();
  });

  it('changes the display name on the account page', async () => {
    await page.getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('textbox', { name: 'Display name' }).fill('Rosa M.');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Signed in as Rosa M.').waitFor();
  });
});
