// Copy a file through a pipeline and check the copy byte for byte.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-example-'));
const input = join(dir, 'in.bin');
const output = join(dir, 'out.bin');
const data = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
writeFileSync(input, data);
await launch(`filesrc location=${input} blocksize=8192 ! queue ! filesink location=${output}`).run();
const copy = readFileSync(output);
console.log(`copied ${copy.length} bytes, identical: ${Buffer.compare(copy, data) === 0}`);
