// Writes fuzzing seeds from the corpora: every message as it is, and framed
// (varint length prefix, wire profile 2). Usage: node frame-seeds.mjs CORPUS_DIR OUT_DIR
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [corpus, out] = process.argv.slice(2);
function varint(n) {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n + 0x80000000 >>> 0);
  return b;
}
let count = 0;
for (const dir of ['valid', 'invalid']) {
  for (const name of readdirSync(join(corpus, dir))) {
    if (!/\.(json|bin)$/.test(name)) continue;
    const body = readFileSync(join(corpus, dir, name));
    if (body.length > 70000) continue;
    writeFileSync(join(out, `${dir}-${name}`), body);
    writeFileSync(join(out, `${dir}-${name}.frame`), Buffer.concat([varint(body.length), body]));
    count += 2;
  }
}
console.log(`frame-seeds: ${count} seeds in ${out}`);
