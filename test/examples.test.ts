import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every numbered example runs against the built package and prints what its README row promises.
const expected: Record<string, RegExp> = {
  '01-hello-pipeline': /state: idle -> running[\s\S]*eos[\s\S]*identity0 passed 5 buffers/,
  '02-build-in-code': /q1 passed 100, q2 passed 100, bytes copied: 0/,
  '03-app-io': /^zero copy buffers$/m,
  '04-file-copy': /copied 100000 bytes, identical: true/,
  '05-errors': /\[UNKNOWN_PROPERTY\][\s\S]*\[LAUNCH_SYNTAX\][\s\S]*\[NOT_NEGOTIATED\]/,
  '06-parallel': /^64 buffers inverted in order: true, bytes copied: 0$/m,
  '07-wasm-element': /^64 buffers through threshold: true, mode: shared, bytes copied: 0$/m,
  '08-ipc-two-processes': /^received 204800 bytes from the other process, identical: true$/m,
  '09-node-streams': /^8000 samples halved from a file Readable into gzip, within 1 LSB: true\nbytes copied: \d+, one copy in, one out and the first chunk's samples: true$/m,
  '10-typed-pipeline': /^stages: from0 ! filter0 ! encode0 ! map0 ! decode0 ! filter1 ! batch0 ! to0$[\s\S]*^333 of 10000 orders flagged, in 7 batches$[\s\S]*^scored on a data thread: true$/m,
};

describe('examples', () => {
  const dirs = readdirSync(join(process.cwd(), 'examples')).filter((d) => /^\d\d-/.test(d));
  it('has an expectation for every example', () => {
    expect(dirs.sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(dirs)('%s', (dir) => {
    const r = spawnSync(process.execPath, [join('examples', dir, 'main.mjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(expected[dir]!);
  });
});
