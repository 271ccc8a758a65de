import { parentPort, workerData } from 'node:worker_threads';
import type { SandboxOptions } from '../src/sandbox/server.ts';
import { startSandbox } from '../src/sandbox/server.ts';

// Runs in a worker thread (see sandbox-thread.ts): the sandbox's own work does not share the bot's event loop.
const sandbox = await startSandbox(workerData as SandboxOptions);
parentPort?.on('message', (message: unknown) => {
  if (message === 'close') void sandbox.close().then(() => parentPort?.close());
  if (message === 'stop' || message === 'restart') void sandbox[message]().then(() => parentPort?.postMessage({ done: message }));
  if (message === 'heap') {
    // This thread's own V8 heap (the process's RSS holds it too); collected first when node runs with --expose-gc.
    globalThis.gc?.();
    parentPort?.postMessage({ heapUsed: process.memoryUsage().heapUsed });
  }
});
parentPort?.postMessage({ url: sandbox.url, port: sandbox.port, seed: sandbox.seed, apps: sandbox.apps });
