/**
 * An issuing worker thread (leaf-issuer.ts starts it): issues leaves with the fast DER path, so
 * key generation, encoding and signing stay off the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { createLeafSigner, type LeafRequest, type LeafTemplate } from './leaf-der.ts';

export interface LeafTask {
  id: number;
  templateId: string;
  /** Sent with the first task of each CA only. */
  template?: LeafTemplate;
  request: LeafRequest;
}

export type LeafTaskResult =
  | {
      id: number;
      ok: true;
      certificatePem: string;
      privateKeyPkcs8: Uint8Array;
      serialNumber: string;
    }
  | { id: number; ok: false; message: string };

const signer = createLeafSigner();
const templates = new Map<string, LeafTemplate>();

parentPort?.on('message', (task: LeafTask) => {
  try {
    if (task.template) templates.set(task.templateId, task.template);
    const template = templates.get(task.templateId);
    if (!template) throw new Error(`unknown certificate authority template ${task.templateId}`);
    const leaf = signer.issue(template, task.request);
    const result: LeafTaskResult = { id: task.id, ok: true, ...leaf };
    parentPort?.postMessage(result);
  } catch (error) {
    const result: LeafTaskResult = {
      id: task.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
    parentPort?.postMessage(result);
  }
});
parentPort?.postMessage('ready');
