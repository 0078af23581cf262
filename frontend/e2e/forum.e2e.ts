// The forum's reasoned responses: a citizen signs up and posts three
// near-identical comments on a paragraph of the 2027 draft; the forum's
// government member groups them into a cluster in the workspace, drafts a
// response to the cluster and signs it, and it waits for a civil-society
// signature; the civil-society member signs it and it is published in the
// ledger. The citizen then finds "Answered by the forum" on their comment, and
// the public ledger verifies. Only the demo process larkhaven-action-plan-2027
// is touched (three comments on one paragraph, a cluster, a response), on a
// paragraph the other journeys leave alone.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signedInPage, signIn, signUp } from './kit';

const slug = 'larkhaven-action-plan-2027';
const processTitle = 'Larkhaven Open Government Action Plan 2027–2029';
const draftTitle = 'Draft action plan 2027–2029';
const paragraphStart = "Each of Larkhaven's nine districts will decide";

const email = `lena.${Date.now()}@example.org`;
const password = 'ferries crossing at noon';
const name = 'Lena Varga';
const forumPassword = 'larkhaven demo forum';

// Near-identical: one word changed or added each time.
const comments = [
  'Please publish every contract over 10,000 euros as open data within 30 days.',
  'Please publish every contract over 10,000 euros as open data within thirty days.',
  'Please publish every single contract over 10,000 euros as open data within 30 days.',
];
const clusterTitle = 'Publish contracts over 10,000 euros as open data';
const reasoning = 'The city will publish **every** contract over 10,000 euros in the open contracting register within 30 days of signature.';

let browser: Browser;
let citizen: Page;
let documentId: number;
let paragraphKey: string;
let responsePath = '';
let ledgerSeq = '';

beforeAll(async () => {
  browser = await launchBrowser();
  citizen = await newPage(browser);
  const docs = (await (await fetch(`${baseURL}/api/v1/processes/${slug}/documents`)).json()) as { items: { id: number; title: string }[] };
  documentId = docs.items.find((d) => d.title === draftTitle)!.id;
});
afterAll(async () => {
  await browser?.close();
});

/** memberPage signs a forum member in, in a browser context of their own. */
function memberPage(address: string): Promise<Page> {
  return signedInPage(browser, address, forumPassword);
}

/** status is the workspace's (or response page's) polite live region of announcements. */
function status(p: Page): Locator {
  return p.locator('[role="status"][aria-live="polite"]');
}

/** openWorkspace goes to the workspace from the process page, where only the forum's members see the link. */
async function openWorkspace(p: Page) {
  await p.goto(`/processes/${slug}`);
  await p.getByRole('heading', { level: 1, name: processTitle }).waitFor();
  await p.getByRole('region', { name: 'Forum and responses' }).getByRole('link', { name: 'Forum workspace' }).click();
  await p.getByRole('heading', { level: 1, name: 'Forum workspace' }).waitFor();
  await p.getByRole('heading', { level: 2, name: 'Unanswered contributions' }).waitFor();
}

describe('the forum answers contributions', () => {
  it('a citizen signs up and posts three near-identical comments', async () => {
    await signUp(citizen, { email, name, password });
    await confirmEmail(citizen, email);
    await signIn(citizen, email, password);

    // The public forum pages are linked from the process page; the workspace is not, for a citizen.
    await citizen.goto(`/processes/${slug}`);
    const forum = citizen.getByRole('region', { name: 'Forum and responses' });
    await forum.getByRole('link', { name: 'The ledger of responses' }).waitFor();
    await forum.getByRole('link', { name: 'Response coverage' }).waitFor();
    await forum.getByRole('link', { name: 'The forum' }).click();
    await citizen.getByRole('heading', { level: 1, name: 'The forum' }).waitFor();
    await citizen.getByText('A response is published once at least one government member and one civil-society member have signed it.').waitFor();
    await citizen.getByRole('row', { name: /Larkhaven City Council/ }).waitFor();
    await citizen.getByRole('row', { name: /Open Larkhaven Coalition/ }).waitFor();
    expect(await citizen.getByRole('link', { name: 'Forum workspace' }).count()).toBe(0);
    await expectNoAxeViolations(citizen);

    // The first comment through the reading view.
    const version = (await (await fetch(`${baseURL}/api/v1/documents/${documentId}/versions/latest`)).json()) as { number: number; blocks: { key: string; text: string }[] };
    paragraphKey = version.blocks.find((b) => b.text.startsWith(paragraphStart))!.key;
    await citizen.goto(`/documents/${documentId}`);
    await citizen.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    const block = citizen.locator('.block', { has: citizen.locator('[data-text-key]', { hasText: paragraphStart }) });
    await block.getByRole('button', { name: /^\d+ comments?$/ }).click();
    const thread = citizen.getByRole('region', { name: 'Comments on this paragraph' });
    await thread.getByLabel('Your comment on this paragraph').fill(comments[0]);
    // The page's access token, from the request that posts the comment (a second
    // sign-in would count against the server's per-address login limit).
    const posted = citizen.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/documents/${documentId}/comments`));
    await thread.getByRole('button', { name: 'Post comment' }).click();
    const authorization = (await posted).headers()['authorization'];
    expect(authorization).toMatch(/^Bearer \S+$/);
    await thread.getByText('Your comment is published.').waitFor();

    // The other two through the API, with the page's token.
    for (const body of comments.slice(1)) {
      const res = await fetch(`${baseURL}/api/v1/documents/${documentId}/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: authorization },
        body: JSON.stringify({ paragraph_key: paragraphKey, version: version.number, body }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      expect(((await res.json()) as { status: string }).status).toBe('published');
    }
  });

  it('the government member groups them into a cluster, drafts a response and signs it', async () => {
    const gov = await memberPage('forum.government@larkhaven.example');
    await openWorkspace(gov);

    // The near-duplicates are suggested as one group.
    const suggestions = gov.getByRole('region', { name: 'Cluster suggestions' });
    const suggestion = suggestions.getByRole('article').filter({ hasText: comments[0] });
    await suggestion.getByText(comments[2]).waitFor();
    await suggestion.getByText(comments[1]).waitFor();

    // Grouped from the unanswered list, narrowed to the paragraph (the filters go in the address).
    const unanswered = gov.getByRole('region', { name: 'Unanswered contributions' });
    await unanswered.getByLabel('Draft').selectOption(String(documentId));
    await unanswered.getByLabel('Paragraph').selectOption(paragraphKey);
    await expect.poll(() => new URL(gov.url()).searchParams.get('paragraph')).toBe(paragraphKey);
    for (const text of comments) await unanswered.getByRole('checkbox', { name: text }).check();
    const selection = unanswered.getByRole('group', { name: 'With the selected contributions' });
    await selection.getByText('3 contributions selected.').waitFor();
    await selection.getByRole('button', { name: 'New cluster' }).click();
    const title = selection.getByRole('textbox', { name: 'Title of the cluster' });
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await title.fill(clusterTitle);
    await selection.getByRole('button', { name: 'Create the cluster of 3 contributions' }).click();
    await status(gov).filter({ hasText: `Cluster “${clusterTitle}” created with 3 contributions.` }).waitFor();
    const clusters = gov.getByRole('region', { name: 'Clusters' });
    const link = clusters.getByRole('link', { name: clusterTitle });
    await expect.poll(() => link.evaluate((el) => el === document.activeElement)).toBe(true);
    // Grouped, they are suggested no more.
    await expect.poll(() => suggestions.getByRole('article').filter({ hasText: comments[0] }).count()).toBe(0);

    // A response to the cluster.
    await clusters.getByRole('button', { name: `Respond to this cluster: ${clusterTitle}` }).click();
    const editor = gov.getByRole('region', { name: 'New response' });
    await editor.getByText('1 item, 3 contributions in all.').waitFor();
    await editor.getByLabel('Disposition').selectOption('adopted');
    await editor.getByRole('textbox', { name: 'Reasoning' }).fill(reasoning);
    await editor.getByRole('button', { name: 'Save draft' }).click();
    await status(gov).filter({ hasText: 'Draft saved. Needs a government signature. Needs a civil-society signature.' }).waitFor();
    const draft = gov.getByRole('region', { name: /^Draft response \d+$/ });
    const signing = draft.getByRole('region', { name: 'Signing' });
    await signing.getByRole('button', { name: 'Sign this response' }).click();
    await status(gov).filter({ hasText: 'Your signature is recorded. Needs a civil-society signature.' }).waitFor();
    await signing.getByText('You have signed this draft.').waitFor();
    await signing.getByText('Needs a civil-society signature.').waitFor();
    expect(await signing.getByText('Needs a government signature.').count()).toBe(0);
    responsePath = (await draft.getByRole('link', { name: "Open the draft's page" }).getAttribute('href')) ?? '';
    expect(responsePath).toMatch(/^\/responses\/\d+$/);
    await expectNoAxeViolations(gov);

    // Still a draft: the public cannot read it.
    expect((await fetch(`${baseURL}/api/v1${responsePath}`)).status).toBe(404);
  });

  it('the civil-society member signs it and it is published', async () => {
    const civil = await memberPage('forum.civil@larkhaven.example');
    await openWorkspace(civil);
    const drafts = civil.getByRole('region', { name: 'Draft responses' });
    const card = drafts.getByRole('article').filter({ has: civil.locator(`a[href="${responsePath}"]`) });
    await card.getByText('Needs a civil-society signature.').waitFor();
    await card.locator(`a[href="${responsePath}"]`).click();
    await civil.getByRole('heading', { level: 1, name: 'Draft response' }).waitFor();
    await civil.getByText('The city will publish', { exact: false }).waitFor();
    const signing = civil.getByRole('region', { name: 'Signing' });
    await signing.getByText('Needs a civil-society signature.').waitFor();
    await expectNoAxeViolations(civil);

    await signing.getByRole('button', { name: 'Sign this response' }).click();
    const published = status(civil).filter({ hasText: /^Published: the response is entry \d+ of the ledger\.$/ });
    await published.waitFor();
    ledgerSeq = /entry (\d+)/.exec((await published.textContent()) ?? '')![1];
    await civil.getByRole('heading', { level: 1, name: 'Response of the forum: Adopted' }).waitFor();
    await civil.getByRole('link', { name: `Entry ${ledgerSeq}` }).waitFor();
    await civil.getByRole('region', { name: 'What it answers' }).getByRole('link', { name: clusterTitle }).waitFor();
    await civil.getByText(/^Member m-[0-9a-z-]+ · Civil society · Open Larkhaven Coalition/).waitFor();
    await civil.getByText(/^Member m-[0-9a-z-]+ · Government · Larkhaven City Council/).waitFor();
    await expectNoAxeViolations(civil);
  });

  it('the citizen sees on their comment that the forum answered it', async () => {
    // Public reads may be cached for 5 seconds: the answer shows within that.
    const thread = citizen.getByRole('region', { name: 'Comments on this paragraph' });
    await expect
      .poll(
        async () => {
          // A new address each time, so that the page loads again rather than only moving to the paragraph.
          await citizen.goto(`/documents/${documentId}?at=${Date.now()}#p-${paragraphKey}`);
          await thread.getByText(comments[0]).waitFor();
          return thread.getByRole('link', { name: 'Answered by the forum: adopted' }).count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(3);
    const mine = thread.getByRole('article', { name: `Comment by ${name}` }).filter({ hasText: comments[0] });
    const answered = mine.getByRole('link', { name: 'Answered by the forum: adopted' });
    await mine.getByText(/signed by Larkhaven City Council and Open Larkhaven Coalition$/).waitFor();
    await answered.click();
    await citizen.getByRole('heading', { level: 1, name: 'Response of the forum: Adopted' }).waitFor();
    expect(new URL(citizen.url()).pathname).toBe(responsePath);
    await citizen.getByText('every', { exact: true }).waitFor();
  });

  it('the public ledger shows the entry, and verifies', async () => {
    const anonymous = await newPage(browser);
    await anonymous.goto(`/processes/${slug}`);
    await anonymous.getByRole('region', { name: 'Forum and responses' }).getByRole('link', { name: 'The ledger of responses' }).click();
    await anonymous.getByRole('heading', { level: 1, name: 'Ledger of responses' }).waitFor();
    const verification = anonymous.getByRole('region', { name: 'Verification' });
    await verification.getByRole('status').filter({ hasText: /^Verified: \d+ entr(y|ies), the chain is intact\.$/ }).waitFor();
    // The server signs a checkpoint of the new head within seconds (LEDGER_CHECKPOINT_INTERVAL in global-setup.ts).
    const checkpoint = verification.getByRole('heading', { name: 'Latest signed checkpoint' });
    await expect
      .poll(
        async () => {
          await anonymous.reload();
          await verification.getByRole('status').filter({ hasText: /^Verified/ }).waitFor();
          return checkpoint.count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    const facts = verification.locator('.checkpoint');
    await facts.getByText('Valid', { exact: true }).waitFor();
    expect(Number(await facts.locator('dd').first().textContent())).toBeGreaterThanOrEqual(Number(ledgerSeq));
    const entry = anonymous.getByRole('article', { name: `Entry ${ledgerSeq}: Adopted` });
    // The reasoning reads as rendered: "every" in bold, no Markdown marks.
    await entry.locator('.entry-reasoning strong', { hasText: 'every' }).waitFor();
    expect((await entry.locator('.entry-reasoning').textContent())?.trim()).toBe(reasoning.replaceAll('**', ''));
    const clusterPath = await entry.getByRole('link', { name: `Cluster “${clusterTitle}” (3 contributions)` }).getAttribute('href');
    expect(clusterPath).toMatch(/^\/clusters\/\d+$/);
    expect(await entry.getByRole('link', { name: `Read the response of entry ${ledgerSeq}` }).getAttribute('href')).toBe(responsePath);
    expect(await verification.getByRole('link', { name: 'Download the ledger (JSON Lines)' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/ledger/export`);
    await expectNoAxeViolations(anonymous);

    // Filtered by disposition, in the address.
    await anonymous.getByLabel('Disposition').selectOption('rejected');
    await expect.poll(() => new URL(anonymous.url()).searchParams.get('disposition')).toBe('rejected');
    await expect.poll(() => entry.count()).toBe(0);

    // The coverage counts the three comments as answered.
    await anonymous.goto(`/processes/${slug}/coverage`);
    await anonymous.getByRole('heading', { level: 1, name: 'Response coverage' }).waitFor();
    await anonymous.getByText(/answered: [\d,]+ of [\d,]+ contributions\.$/).waitFor();
    await expectNoAxeViolations(anonymous);

    // The cluster's page lists its three comments and the response that answered them.
    await anonymous.goto(clusterPath!);
    await anonymous.getByRole('heading', { level: 1, name: clusterTitle }).waitFor();
    await anonymous.getByText('3 contributions · grouped by the forum').waitFor();
    const members = anonymous.getByRole('region', { name: 'Contributions in this cluster' });
    for (const text of comments) await members.getByRole('link', { name: text }).waitFor();
    expect(await anonymous.getByRole('link', { name: 'Answered by the forum: adopted' }).getAttribute('href')).toBe(responsePath);
    await expectNoAxeViolations(anonymous);
  });
});
