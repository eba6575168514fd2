// Entry of an element host process (isolated and grouped modes): the native helper starts the
// runtime on this file inside the sandbox, with the control socket on fd 3, and the host in
// dist/ does the rest. Kept thin so that nothing but the built engine runs before the lockdown.
import { runElementHost } from '../dist/isolation/host/run-host.js';

await runElementHost();
