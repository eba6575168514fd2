// Entry of a data thread: the pipeline starts this file in a worker_thread and the host in
// dist/ does the rest. Kept thin so that nothing but the built engine runs on the thread.
import { workerData } from 'node:worker_threads';
import { runDataThread } from '../dist/exec/threads/host.js';

await runDataThread(workerData.init, workerData.port, workerData.control);
