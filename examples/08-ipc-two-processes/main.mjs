// The smoke test runs every example as `node main.mjs`; this one is a shell script at heart,
// because its point is two separate programs (see run.sh and README.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const r = spawnSync('sh', [fileURLToPath(new URL('run.sh', import.meta.url))], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
