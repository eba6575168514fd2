import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launch } from '../../../src/index.js';
import { loadNative } from '../../../src/isolation/native.js';
import { openFds, runChild, socketDir, until } from './peer.js';

// What each end sees when the other one fails, and the errors a bad configuration gives: each
// names the element and the path, and nothing hangs.
describe.skipIf(!loadNative().ok)('ipc failures', () => {
  const dir = socketDir();

  it('the consumer killed mid-stream: the producer errors naming the path within a second', async () => {
    const sock = join(dir, 'k1.sock');
    const fdsBefore = openFds();
    const producer = launch(`fakesrc num-buffers=-1 sizetype=fixed sizemax=1024 ! ipcsink path=${sock}`);
    const running = producer.run();
    running.catch(() => {});
    const child = runChild(`ipcsrc path=${sock} ! fakesink`);
    await until(() => (producer.stats().elements['fakesrc0']?.buffersOut ?? 0) > 2000);
    const killedAt = performance.now();
    child.kill();
    await expect(running).rejects.toThrow(`ipcsink0: the consumer at "${sock}" disconnected before the end of the stream`);
    expect(performance.now() - killedAt).toBeLessThan(1000);
    expect((await child.done).signal).toBe('SIGKILL');
    expect(openFds()).toEqual(fdsBefore);
  }, 20_000);

  it('the producer killed mid-stream: the consumer errors naming the path', async () => {
    const sock = join(dir, 'k2.sock');
    const fdsBefore = openFds();
    const consumer = launch(`ipcsrc path=${sock} ! fakesink`);
    const running = consumer.run();
    running.catch(() => {});
    const child = runChild(`fakesrc num-buffers=-1 sizetype=fixed sizemax=1024 ! ipcsink path=${sock}`);
    await until(() => (consumer.stats().elements['ipcsrc0']?.buffersOut ?? 0) > 2000);
    const killedAt = performance.now();
    child.kill();
    await expect(running).rejects.toThrow(`ipcsrc0: the producer at "${sock}" disconnected before the end of the stream`);
    expect(performance.now() - killedAt).toBeLessThan(1000);
    expect((await child.done).signal).toBe('SIGKILL');
    expect(openFds()).toEqual(fdsBefore);
  }, 20_000);

  it('nobody listening: a connect timeout names the path and the reason', async () => {
    const sock = join(dir, 'nobody.sock');
    const started = performance.now();
    await expect(launch(`ipcsrc path=${sock} timeout=300 ! fakesink`).run())
      .rejects.toThrow(`ipcsrc0: cannot connect to "${sock}" within 300 ms (is ipcsink running there?): connect failed: No such file or directory (ENOENT)`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a second consumer is refused while one is connected', async () => {
    const sock = join(dir, 'two.sock');
    const producer = launch(`fakesrc num-buffers=-1 sizetype=fixed sizemax=64 ! ipcsink path=${sock}`);
    const running = producer.run();
    running.catch(() => {});
    const first = launch(`ipcsrc path=${sock} ! fakesink`);
    const firstRun = first.run();
    firstRun.catch(() => {});
    await until(() => (first.stats().elements['ipcsrc0']?.buffersOut ?? 0) > 100);
    await expect(launch(`ipcsrc path=${sock} ! fakesink`).run()).rejects.toThrow(`ipcsrc0: the producer at "${sock}" refused the connection: another consumer is connected (one at a time)`);
    await producer.suspend();
    await first.suspend();
  }, 20_000);

  it('a listener on the path already: the second producer fails at prepare', async () => {
    const sock = join(dir, 'busy.sock');
    const first = launch(`fakesrc num-buffers=1 ! ipcsink path=${sock}`);
    await first.prepare();
    const second = launch(`fakesrc num-buffers=1 ! ipcsink path=${sock}`);
    await expect(second.prepare()).rejects.toThrow(`ipcsink0 failed to start: cannot listen on socket path "${sock}": another program is listening on it`);
    await first.suspend();
  });

  it.each([
    ['ipcsink', (p: string | null) => `fakesrc ! ipcsink${p === null ? '' : ` path=${p}`}`],
    ['ipcsrc', (p: string | null) => `ipcsrc${p === null ? '' : ` path=${p}`} ! fakesink`],
  ] as const)('%s: bad paths fail at prepare with the reason', async (factory, line) => {
    const long = join(dir, 'x'.repeat(120));
    await expect(launch(line(long)).prepare()).rejects.toThrow(new RegExp(`${factory}0 failed to start: socket path ".*" is \\d+ bytes; a Unix socket path holds at most 107`));
    const directory = join(dir, `${factory}-dir`);
    mkdirSync(directory);
    await expect(launch(line(directory)).prepare()).rejects.toThrow(`${factory}0 failed to start: socket path "${directory}" is a directory, not a socket`);
    await expect(launch(line(join(dir, 'missing', 's.sock'))).prepare()).rejects.toThrow(`the directory ${join(dir, 'missing')} does not exist`);
    await expect(launch(line(null)).prepare()).rejects.toThrow(`${factory}0 failed to start: no socket path: the "path" property is not set`);
  });
});
