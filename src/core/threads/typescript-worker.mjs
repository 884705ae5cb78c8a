// @ts-check
// Starts a worker thread whose code is TypeScript: tsx compiles the entry named in workerData (the service runs
// on tsx already; a worker does not inherit the main thread's loader, and Node 20 ignores `--import` in a
// worker's execArgv). The entry then sees workerData.data as its own data.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import { lowerThisThreadPriority, nameThisThread } from './this-thread.mjs';

/** @type {{ entry: string, name: string, background: boolean }} */
const boot = workerData;
nameThisThread(boot.name);
if (boot.background) lowerThisThreadPriority();
await tsImport(boot.entry, import.meta.url);
