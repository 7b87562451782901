import { rmSync } from 'node:fs';
import type { Topology } from '../../scripts/production/topology';

export default async function globalTeardown(): Promise<void> {
  const t = (globalThis as { __doudiTopology?: Topology }).__doudiTopology;
  if (!t) return;
  await t.stop();
  // Kept when KEEP_TOPOLOGY is set, to read the component logs after a failure.
  if (!process.env.KEEP_TOPOLOGY) rmSync(t.dir, { recursive: true, force: true });
}
