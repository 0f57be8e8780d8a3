// Print the gzipped size of the built JavaScript (the bundle budget is 300 KB for applicant pages).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist", "assets");
let raw = 0;
let gz = 0;
for (const f of readdirSync(dist)) {
  if (!f.endsWith(".js")) continue;
  const buf = readFileSync(join(dist, f));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`bundle: ${kb(raw)} KB JS, ${kb(gz)} KB gzipped (budget 300 KB)`);
console.log(JSON.stringify({ js_kb: +kb(raw), js_gzip_kb: +kb(gz), budget_kb: 300 }));
if (gz > 300 * 1024) process.exit(1);
