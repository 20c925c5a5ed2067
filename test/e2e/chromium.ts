// Debian's Chromium (never a downloaded one), started once for the whole browser run by
// global-setup.ts; each test file connects to it (browser.ts). Starting it cost about a second
// per file.
import { type BrowserServer, chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  // Host pages are fulfilled by the test, so Chromium cannot tell they are on loopback too and
  // would refuse their requests to the local server as "public → loopback". Real embeds are
  // public → public; this only keeps the cross-origin tests about CORS.
  "--disable-features=LocalNetworkAccessChecks",
];

export const startChromium = (): Promise<BrowserServer> =>
  chromium.launchServer({ executablePath: CHROMIUM, args: ARGS });
