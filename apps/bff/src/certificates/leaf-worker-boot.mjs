// The issuing worker's entry (leaf-issuer.ts): the BFF runs from TypeScript sources, and a worker
// thread does not inherit the parent's loader, so it registers tsx itself before loading the
// worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./leaf-worker.ts');
