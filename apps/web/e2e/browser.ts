import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser. */
export const chromiumPath = process.env.MLAP_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, GPU-less headless run. */
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A launched browser with a fresh profile, and how to close it and remove the profile. */
export interface Launched {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium headless with a fresh profile; fails clearly when it is not installed. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Launched> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it with \`apt-get install -y chromium\` ` +
        '(or set MLAP_CHROMIUM to a Chromium binary); the e2e tests never download a browser',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'mlap-web-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...args, ...extraArgs],
    viewport: { width: 1200, height: 1400 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
