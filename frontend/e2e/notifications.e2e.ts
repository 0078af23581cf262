// Following and notifications in the browser: a new person follows the demo
// process from its page; its owner posts an update; the person sees the
// unread count in the header, opens the list, reads the update's notice and
// marks it read; on the account page they see what they follow, choose how
// updates reach them, and stop following.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signIn, signUp, signedInPage } from './kit';

const slug = 'larkhaven-action-plan-2027';
const ownerEmail = 'owner@larkhaven.example'; // internal/demo: OwnerEmail
const ownerPassword = 'larkhaven demo owner';
const follower = { email: 'follower-e2e@example.org', name: 'Noor Follower', password: 'a long follower password' };
const updateTitle = `Workshop dates for the spring (${Date.now()})`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** header is the header's link to the notifications, whatever its count. */
const header = (p: Page) => p.getByRole('link', { name: /^Notifications/ });

describe('following a process', () => {
  it('tells a follower of an update in the header and the list, and lets them mark it read and stop following', async () => {
    const p = await newPage(browser);
    await signUp(p, follower);
    await confirmEmail(p, follower.email);
    await signIn(p, follower.email, follower.password);

    await p.goto(`/processes/${slug}`);
    const follow = p.getByRole('button', { name: 'Follow this process' });
    await follow.waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    await follow.click();
    await p.getByText('You follow this: you will be notified of what happens.').waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');
    await expectNoAxeViolations(p);

    // The owner posts an update on the process.
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(`/processes/${slug}/updates`);
    await owner.getByLabel('Title').fill(updateTitle);
    await owner.getByLabel('Text', { exact: true }).fill('We meet at the **town hall** on three evenings in March.');
    await owner.getByRole('button', { name: 'Post the update' }).click();
    await owner.getByRole('heading', { level: 3, name: updateTitle }).waitFor();
    await owner.context().close();

    // The fan-out runs every 2 s; the header asks again on each page load.
    await expect
      .poll(
        async () => {
          await p.reload();
          await header(p).waitFor();
          return header(p).textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatch(/1 unread/);
    await header(p).click();
    await p.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const notice = p.getByRole('link', { name: `New update: “${updateTitle}”.` });
    await notice.waitFor();
    await expectNoAxeViolations(p);
    await p.getByRole('button', { name: 'Mark as read' }).first().click();
    await expect.poll(async () => (await header(p).textContent()) ?? '').not.toMatch(/unread/);
    expect(await p.getByText('New', { exact: true }).count()).toBe(0);

    // The notice leads to the process's updates.
    await notice.click();
    await p.getByRole('heading', { level: 3, name: updateTitle }).waitFor();

    // The account page: what I follow, e-mail choices, stop following.
    await p.goto('/account');
    const follows = p.getByRole('region', { name: 'What I follow' });
    const stop = follows.getByRole('button', { name: /^Stop following “/ });
    await stop.first().waitFor();
    expect(await stop.count()).toBe(1);
    await p.getByRole('heading', { name: 'E-mail notifications' }).waitFor();
    await expectNoAxeViolations(p);
    await stop.first().click();
    await follows.getByText('You follow nothing yet. Use “Follow” on a process, a draft or an idea.').waitFor();

    await p.goto(`/processes/${slug}`);
    await p.getByText('You do not follow this.').waitFor();
    expect(await p.getByRole('button', { name: 'Follow this process' }).getAttribute('aria-pressed')).toBe('false');
    await p.context().close();
  });
});
