// Runs megalodon's own detector() (the npm package, pinned in package-lock.json) against the
// perch at the base URL given, and prints what it detects: apps built on megalodon pick the
// client API to speak from it. Driven by tests/it/megalodon.rs.
import { detector } from 'megalodon';

const base = process.argv[2];
if (!base) {
  console.error('usage: node detect.mjs BASE_URL');
  process.exit(2);
}
try {
  console.log(await detector(base));
} catch (e) {
  console.error(`detector failed: ${e}`);
  process.exit(1);
}
