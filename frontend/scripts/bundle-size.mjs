// The bundle budget: what an applicant's browser downloads must stay at or under 300 KB of
// gzipped JavaScript. "What an applicant loads" is read from Vite's build manifest: the entry
// with everything it imports, plus every lazily loaded page an applicant can reach and their
// imports; staff pages, staff charts and the Cognito client (AWS mode only) are left out.
// Run by `npm run build` and by the frontend test command; exits 1 over budget.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = Number(process.env.BUNDLE_BUDGET_KB ?? 300); // env override only to check the check
// Routes an applicant reaches (App.tsx lazy imports); anything else lazy is staff-only or AWS.
const APPLICANT_PAGES = ["src/pages/Offers.tsx", "src/pages/Compare.tsx", "src/pages/Feedback.tsx", "src/pages/ChatPage.tsx", "src/pages/KbDocument.tsx"];

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const manifestPath = join(dist, ".vite", "manifest.json");
if (!existsSync(manifestPath)) {
  console.error("bundle-size: no dist/.vite/manifest.json; run `npm run build` first");
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** Every JS file `key` loads before it runs (itself and its static imports, transitively). */
function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, seen);
  return seen;
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const missing = APPLICANT_PAGES.filter((p) => !manifest[p]);
if (!entry || missing.length) {
  console.error(`bundle-size: the manifest lacks ${entry ? missing.join(", ") : "an entry"}; update APPLICANT_PAGES`);
  process.exit(1);
}
const applicant = closure(entry);
for (const page of APPLICANT_PAGES) closure(page, applicant);
const all = new Set(Object.values(manifest).map((c) => c.file).filter((f) => f.endsWith(".js")));
const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);
const kb = (n) => +(n / 1024).toFixed(1);
const applicantKb = kb(sum(applicant));
const totalKb = kb(sum(all));
console.log(`bundle: applicant pages load ${applicantKb} KB gzipped JS (budget ${BUDGET_KB} KB); all chunks ${totalKb} KB`);
console.log(JSON.stringify({ applicant_gzip_kb: applicantKb, applicant_files: applicant.size, all_gzip_kb: totalKb, budget_kb: BUDGET_KB }));
if (applicantKb > BUDGET_KB) {
  console.error(`bundle-size: applicant pages are ${applicantKb} KB gzipped, over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
