import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (or CHROMIUM_PATH), headless, driven by playwright-core: no browser download. Background
 * networking is off, since this machine reaches no host but its own.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
