import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { CompanyClock } from '../src/sandbox/clock.ts';
import type { Seed, SeedApp } from '../src/sandbox/seed.ts';
import type { Sandbox, SandboxOptions } from '../src/sandbox/server.ts';

/**
 * The RingCentral sandbox in a worker thread of this process. The benchmark puts it there so that what the sandbox
 * does (building pages of 2,000 directory entries, hashing ETags) runs on another core instead of delaying the
 * bot's acknowledgements: RingCentral's work is not the bot's. Same process, so its memory is part of the RSS.
 */
export interface SandboxThread extends Sandbox {
  /** The sandbox thread's heap in use, MB. */
  heapUsedMb(): Promise<number>;
}

export async function startSandboxThread(options: SandboxOptions): Promise<SandboxThread> {
  // Node 20 does not run --import hooks for a worker's own entry file, so the worker registers tsx itself first.
  const entry = new URL('./sandbox-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: options });
  const [started] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [
    { url: string; port: number; seed: Seed; apps: SeedApp[] },
  ];
  return {
    url: started.url,
    port: started.port,
    seed: started.seed,
    apps: started.apps,
    // The thread's own clock is never moved (the benchmark sets no time), so real time here is the same as there.
    clock: new CompanyClock(),
    async heapUsedMb() {
      const answer = once(worker, 'message');
      worker.postMessage('heap');
      const [{ heapUsed }] = (await answer) as [{ heapUsed: number }];
      return heapUsed / 1e6;
    },
    async stop() {
      const done = once(worker, 'message');
      worker.postMessage('stop');
      await done;
    },
    async restart() {
      const done = once(worker, 'message');
      worker.postMessage('restart');
      await done;
    },
    async close() {
      const exited = once(worker, 'exit');
      worker.postMessage('close');
      await exited;
    },
  };
}
