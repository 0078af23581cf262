// Feedback on the process in the browser: the demo participant, who took
// part in the current process's drafting phase (now closed), follows the
// invitation e-mail and answers its survey by keyboard; the demo owner edits
// a question of the public-comment phase's survey, which has no answer yet.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir, expectNoAxeViolations, launchBrowser, signedInPage } from './kit';
import { waitForMail } from './mail';

const slug = 'larkhaven-action-plan-2027';
const participantEmail = 'participant@larkhaven.example'; // internal/demo: ParticipantEmail
const participantPassword = 'larkhaven demo participant';
const ownerEmail = 'owner@larkhaven.example'; // internal/demo: OwnerEmail
const ownerPassword = 'larkhaven demo owner';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the survey of a phase', () => {
  it('is offered to a participant by e-mail and on the process page, and takes their answer once', async () => {
    const path = `/processes/${slug}/surveys/drafting`;
    const mail = await waitForMail(dataDir, participantEmail, 'Tell the team how it went');
    expect(mail.replace(/=\r?\n/g, '')).toContain(path);

    const p = await signedInPage(browser, participantEmail, participantPassword);
    await p.goto(`/processes/${slug}`);
    const invite = p.getByRole('region', { name: 'Tell us how it went' });
    await invite.getByRole('link', { name: 'Answer the short survey on the Drafting phase' }).click();
    await p.getByRole('heading', { level: 1, name: 'Feedback on the Drafting phase' }).waitFor();
    expect(new URL(p.url()).pathname).toBe(path);
    await p.getByRole('group', { name: '1. How clear was what you could influence?' }).waitFor();
    await expectNoAxeViolations(p);

    // By keyboard: arrows choose within a radio group.
    const q1 = p.getByRole('group', { name: '1. How clear was what you could influence?' });
    await q1.getByRole('radio', { name: '1 (not at all)' }).focus();
    await p.keyboard.press('Space');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    expect(await q1.getByRole('radio', { name: '4' }).isChecked()).toBe(true);
    await p.getByRole('group', { name: '2. Did you have enough time and information?' }).getByRole('radio', { name: 'Yes' }).check();
    await p.getByRole('textbox', { name: 'Your answer' }).fill('The workshop was useful; please hold one in the evening too.');
    await p.getByRole('button', { name: 'Send my answer' }).click();
    await p.getByRole('status').filter({ hasText: 'Thank you: your answer is recorded.' }).waitFor();
    await expectNoAxeViolations(p);

    // Once only: the page no longer offers the form, nor the process page the invitation.
    await p.reload();
    await p.getByText(/This survey is for the people who took part in this phase/).waitFor();
    await p.goto(`/processes/${slug}`);
    await p.getByRole('heading', { level: 1 }).waitFor();
    await p.getByRole('region', { name: 'Documents' }).waitFor();
    expect(await p.getByRole('region', { name: 'Tell us how it went' }).count()).toBe(0);

    await p.context().close();
  });

  it('lets the owner change a question of a survey that has no answer yet, from Running this process', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(`/processes/${slug}/manage`);
    await owner.getByRole('link', { name: 'Surveys', exact: true }).click();
    await owner.getByRole('heading', { level: 1, name: 'Surveys' }).waitFor();
    await expectNoAxeViolations(owner);
    await owner.getByRole('link', { name: 'Edit the questions of the Public comment survey' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Questions of the Public comment survey' }).waitFor();

    const q3 = owner.getByRole('group', { name: 'Question 3' });
    await q3.getByRole('combobox', { name: 'Kind of question' }).selectOption('choice');
    await q3.getByRole('textbox', { name: 'Question', exact: true }).fill('How did you hear about the consultation?');
    await q3.getByRole('textbox', { name: 'Options' }).fill('Only one');
    await owner.getByRole('button', { name: 'Save the questions' }).click();
    // Refused: a choice needs two options; the error is announced and on the field.
    await owner.getByRole('alert').waitFor();
    expect(await q3.getByRole('textbox', { name: 'Options' }).getAttribute('aria-invalid')).toBe('true');

    await q3.getByRole('textbox', { name: 'Options' }).fill('The city website\nA neighbour\nLocal radio');
    await owner.getByRole('button', { name: 'Save the questions' }).click();
    await owner.getByRole('status').filter({ hasText: 'The questions are saved.' }).waitFor();
    await expectNoAxeViolations(owner);

    await owner.getByRole('link', { name: 'See the survey' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Feedback on the Public comment phase' }).waitFor();
    await owner.getByText('This survey opens when the phase closes', { exact: false }).waitFor();
    await owner.getByRole('region', { name: 'Questions' }).getByText('How did you hear about the consultation?').waitFor();
    await owner.context().close();
  });
});
