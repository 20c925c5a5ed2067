#!/usr/bin/env node
// `npm start`: the whole product on one machine, offline, with no account and no prompts.
// Applies migrations to a local D1 under PERSIST_DIR, serves on PORT, and makes sure the `demo`
// site exists (through the operator API, the same path every site takes). Safe to run again.
import { seedDemoDiscussion } from "./demo-seed.mjs";
import { runWrangler, wrangler } from "./wrangler.mjs";

const port = process.env.PORT ?? "8787";
const persistDir = process.env.PERSIST_DIR ?? ".wrangler/state";
/** The documented local default (README "Configuration"); deployments set a secret instead. */
const adminToken = process.env.ADMIN_TOKEN ?? "parley-local-admin";
const base = `http://localhost:${port}`;

const DEMO_SITE = {
  id: "demo",
  name: "Parley demo",
  origins: ["http://localhost:*", "http://127.0.0.1:*"],
};

async function waitForHealth(child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error("wrangler dev stopped before it was ready");
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not answer within a minute`);
}

async function ensureDemoSite() {
  const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const res = await fetch(`${base}/api/v1/sites`, {
    method: "POST",
    headers,
    body: JSON.stringify(DEMO_SITE),
  });
  if (res.status === 409) return console.log("demo site: already there");
  if (res.status !== 201)
    throw new Error(`creating the demo site failed: ${res.status} ${await res.text()}`);
  const { secret } = await res.json();
  console.log(`demo site: created. Its moderator key (shown once): ${secret}`);
}

// The widget is served as static assets from public/.
await import("./build-widget.mjs");

await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
  env: { CI: "true" },
});

const dev = wrangler(
  ["dev", "--port", port, "--persist-to", persistDir, "--show-interactive-dev-session=false"],
  { env: { ADMIN_TOKEN: adminToken } },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForHealth(dev);
  await ensureDemoSite();
  if (await seedDemoDiscussion(base, adminToken)) console.log("demo article: discussion seeded");
  const token = process.env.ADMIN_TOKEN ? "from ADMIN_TOKEN" : `${adminToken} (the local default)`;
  console.log(`\nParley is running on ${base}`);
  console.log(`  demo article:   ${base}/demo   (index with counts: ${base}/demo/index)`);
  console.log(`  API:            ${base}/api/v1/openapi.json`);
  console.log(`  operator token: ${token}\n`);
} catch (error) {
  console.error(`parley: ${error.message}`);
  dev.kill("SIGTERM");
  process.exitCode = 1;
}
