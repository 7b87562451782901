// A free TCP port on loopback, for servers that tests and benches start next to whatever else runs here.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A free port in [lo, hi], tried in random order (for ports that must stay below the ephemeral range). */
export async function freePortIn(lo: number, hi: number): Promise<number> {
  const tried = new Set<number>();
  while (tried.size <= hi - lo) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    if (tried.has(port)) continue;
    tried.add(port);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}
