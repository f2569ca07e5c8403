import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { loadSpec } from '../../src/http/openapi-spec.js';
import { launchChromium } from '../helpers/browser.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

// Swagger UI at /docs, used as a person would: in Debian's Chromium, driven by playwright-core, against the real
// server process. Screenshots go to test/e2e/screenshots/ (the README shows docs.png).
const screenshots = new URL('screenshots/', import.meta.url).pathname;
let server: ServerProcess;
let base: string;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  server = await startServer({ LOG_LEVEL: 'warn' });
  base = server.base;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDocs(page: Page, hash = ''): Promise<void> {
  await page.goto(`${base}/docs${hash}`);
  await page.waitForSelector('.opblock-tag');
}

/** Opens an operation, presses "Try it out", puts in the body, presses "Execute", and reads the live response. */
async function tryItOut(page: Page, tag: string, operationId: OperationId, body?: unknown) {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').first().click();
  // The block renders its buttons after it opens: wait for them before deciding whether to press "Try it out".
  await block.locator('button.try-out__btn').first().waitFor();
  const tryOut = block.locator('button.try-out__btn', { hasText: 'Try it out' });
  if ((await tryOut.count()) > 0) await tryOut.click();
  if (body !== undefined) await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
  // A second run in the same block: clear the last response first, so the one read below is the new one.
  const clear = block.locator('button.btn-clear');
  if ((await clear.count()) > 0) await clear.click();
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status');
  await status.waitFor();
  const text = await block
    .locator('.live-responses-table .response-col_description pre.microlight')
    .first()
    .textContent();
  return { status: Number((await status.textContent())?.trim()), body: text ? JSON.parse(text) : undefined };
}

async function authorize(page: Page, token: string): Promise<void> {
  await page.locator('.scheme-container button.authorize').click();
  const modal = page.locator('.modal-ux');
  await modal.locator('input').first().fill(token);
  await modal.locator('button.authorize').click();
  await modal.locator('button.btn-done').click();
}

describe('/docs in a browser', () => {
  it('shows the API, every tag of the spec in its order, and every operation under its tag', async () => {
    const page = await browser.newPage();
    await openDocs(page);
    expect(await page.locator('.info .title').textContent()).toContain('Stores API');
    const spec = await loadSpec();
    const tags = (spec.document.tags as { name: string }[]).map((t) => t.name);
    expect(await page.locator('.opblock-tag').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')))).toEqual(
      tags,
    );
    const shown = await page.locator('.opblock').evaluateAll((els) => els.map((e) => e.id));
    const paths = spec.document.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>;
    const expected = Object.values(paths).flatMap((item) =>
      Object.values(item)
        .filter((op) => typeof op === 'object' && op !== null && 'operationId' in op)
        .map((op) => `operations-${op.tags[0]}-${op.operationId}`),
    );
    expect(shown.sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(Object.keys(operations).length);
    await page.close();
  });

  it('shows Authorize and the first operation on the first screen, not pages of prose', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openDocs(page);
    const authorize = await page.locator('.scheme-container button.authorize').boundingBox();
    const firstOperation = await page.locator('.opblock').first().boundingBox();
    expect(authorize?.y).toBeLessThan(900);
    expect(firstOperation?.y).toBeLessThan(900);
    await page.close();
  });

  it('opens a deep link to an operation with a path id, and Try it out sends the example id it shows', async () => {
    const page = await browser.newPage();
    await openDocs(page, '#/Items/getItem');
    const block = page.locator('#operations-Items-getItem');
    await expect.poll(() => block.locator('.opblock-body').isVisible()).toBe(true);
    const names = await block.locator('.parameters .parameter__name').allTextContents();
    expect(names[0]).toContain('itemId');
    expect(names.join(' ')).not.toContain('any');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const answer = await tryItOut(page, 'Items', 'getItem');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'my item', price: 15.99 });
    expect(requests.some((url) => url.includes('%7B') || url.includes('{'))).toBe(false);
    await page.close();
  });

  it('registers, signs in, authorizes and creates a store through "Try it out", and stays authorized after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openDocs(page);
    const credentials = { email: 'browser@example.com', password: 'a password typed in a browser' };

    const registered = await tryItOut(page, 'Users', 'registerUser', credentials);
    expect(registered.status).toBe(201);
    const signedIn = await tryItOut(page, 'Auth', 'createToken', credentials);
    expect(signedIn.status).toBe(200);
    const token: string = signedIn.body.accessToken;

    const anonymous = await tryItOut(page, 'Stores', 'createStore', { name: 'Not Yet' });
    expect(anonymous.status).toBe(401);
    await authorize(page, token);
    await expect
      .poll(() => page.locator('.scheme-container button.authorize').getAttribute('class'))
      .toContain('locked');
    const created = await tryItOut(page, 'Stores', 'createStore', { name: 'Made in the Browser' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Made in the Browser', ownerId: registered.body.id });
    await page.locator('#operations-Stores-createStore').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'try-it-out.png') });

    // A deep link opens the operation; the token is still there after the reload.
    await openDocs(page, '#/Stores/createStore');
    await expect.poll(() => page.locator('#operations-Stores-createStore .opblock-body').isVisible()).toBe(true);
    expect(await page.locator('.scheme-container button.authorize').getAttribute('class')).toContain('locked');
    const again = await tryItOut(page, 'Stores', 'createStore', { name: 'Made After Reload' });
    expect(again.status).toBe(201);

    await openDocs(page);
    expect(await page.title()).toBe('Stores API documentation');
    await page.locator('.scheme-container').evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: join(screenshots, 'docs.png') });
    await context.close();
  });
});
