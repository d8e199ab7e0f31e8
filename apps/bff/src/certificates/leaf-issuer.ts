/**
 * Issues leaf certificates on worker threads (docs/decisions/009-certificate-issuance.md), so a
 * renewal sweep over many certificates uses every core and leaves the event loop free for the
 * API. `threads: 0` issues in the calling thread (same bytes, same code).
 *
 * Workers start on the first leaf, hold the process open only while they have work, and a pool
 * whose worker cannot start or dies falls back to issuing in the calling thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  createLeafSigner,
  type IssuedLeaf,
  type LeafRequest,
  type LeafTemplate,
} from './leaf-der.ts';
import type { LeafTask, LeafTaskResult } from './leaf-worker.ts';

export interface LeafIssuer {
  /** How many worker threads issue (0: the calling thread). */
  readonly threads: number;
  /** How many leaves the workers issued (the rest, if any, were issued in the calling thread). */
  readonly issuedOnWorkers: number;
  issue(template: LeafTemplate, request: LeafRequest): Promise<IssuedLeaf>;
  /** Stops the workers; later leaves are issued in the calling thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve(leaf: IssuedLeaf): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  inFlight: Map<number, Pending>;
  templates: Set<string>;
}

const WORKER_URL = new URL('./leaf-worker-boot.mjs', import.meta.url);

/** `MESHDECK_CERT_THREADS`: a whole number; default the available cores, at most 4. */
export function certThreadsFrom(text: string | undefined): number {
  if (text !== undefined && /^\d+$/.test(text.trim())) return Math.min(64, Number(text.trim()));
  return Math.min(4, availableParallelism());
}

export function createLeafIssuer(options: { threads: number }): LeafIssuer {
  const inline = createLeafSigner();
  const threads = Math.max(0, Math.trunc(options.threads));
  let slots: Slot[] | undefined;
  let broken = false;
  let nextId = 1;
  let issuedOnWorkers = 0;

  const startSlot = (): Slot => {
    const worker = new Worker(WORKER_URL, { execArgv: [] });
    worker.unref();
    const slot: Slot = {
      worker,
      inFlight: new Map(),
      templates: new Set(),
      ready: new Promise<void>((resolve, reject) => {
        worker.once('message', (first) =>
          first === 'ready' ? resolve() : reject(new Error('the issuing worker did not start')),
        );
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the issuing worker stopped')));
      }),
    };
    slot.ready.catch(() => undefined);
    worker.on('message', (message: LeafTaskResult | 'ready') => {
      if (message === 'ready') return;
      const pending = slot.inFlight.get(message.id);
      if (!pending) return;
      slot.inFlight.delete(message.id);
      if (slot.inFlight.size === 0) worker.unref();
      if (message.ok) {
        issuedOnWorkers += 1;
        pending.resolve({
          certificatePem: message.certificatePem,
          privateKeyPkcs8: message.privateKeyPkcs8,
          serialNumber: message.serialNumber,
        });
      } else {
        pending.reject(new Error(message.message));
      }
    });
    const fail = (error: Error) => {
      broken = true;
      for (const pending of slot.inFlight.values()) pending.reject(error);
      slot.inFlight.clear();
    };
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', () => fail(new Error('the issuing worker stopped')));
    return slot;
  };

  const leastBusy = (all: Slot[]): Slot =>
    all.reduce((best, slot) => (slot.inFlight.size < best.inFlight.size ? slot : best));

  const issueInline = (template: LeafTemplate, request: LeafRequest) =>
    Promise.resolve().then(() => inline.issue(template, request));

  return {
    threads,
    get issuedOnWorkers() {
      return issuedOnWorkers;
    },
    async issue(template, request) {
      if (threads === 0 || broken) return issueInline(template, request);
      slots ??= Array.from({ length: threads }, startSlot);
      const slot = leastBusy(slots);
      try {
        await slot.ready;
      } catch {
        broken = true;
        return issueInline(template, request);
      }
      const id = nextId++;
      const task: LeafTask = { id, templateId: template.id, request };
      if (!slot.templates.has(template.id)) {
        task.template = template;
        slot.templates.add(template.id);
      }
      return new Promise<IssuedLeaf>((resolve, reject) => {
        if (slot.inFlight.size === 0) slot.worker.ref();
        slot.inFlight.set(id, { resolve, reject });
        slot.worker.postMessage(task);
      });
    },
    async close() {
      broken = true;
      const all = slots ?? [];
      slots = undefined;
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}

let shared: LeafIssuer | undefined;

/** The process's issuer, `MESHDECK_CERT_THREADS` workers (made on first use). */
export function sharedLeafIssuer(): LeafIssuer {
  shared ??= createLeafIssuer({ threads: certThreadsFrom(process.env.MESHDECK_CERT_THREADS) });
  return shared;
}
