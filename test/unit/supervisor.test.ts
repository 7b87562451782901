// npm start's supervisor (scripts/lib/supervisor.ts): a service that dies is restarted with a growing back-off, and
// stopping stops the services in the reverse order of their start (the API before the servers it uses).
import { Supervisor, type Running } from '../../scripts/lib/supervisor';

function fakeService(name: string, events: string[], opts: { failStarts?: number } = {}) {
  const runs: { die: () => void }[] = [];
  let failures = opts.failStarts ?? 0;
  return {
    runs,
    service: {
      name,
      start: async (): Promise<Running> => {
        if (runs.length > 0 && failures-- > 0) throw new Error('port in use');
        let die!: () => void;
        const exited = new Promise<void>((r) => (die = r));
        runs.push({ die });
        events.push(`start ${name}`);
        return {
          exited,
          stop: async () => {
            events.push(`stop ${name}`);
            die();
          },
        };
      },
    },
  };
}

const until = async (fn: () => boolean) => {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(fn()).toBe(true);
};

describe('Supervisor', () => {
  it('restarts a service that died, after a back-off that grows while its restarts fail', async () => {
    const events: string[] = [];
    const log: string[] = [];
    const s = new Supervisor((l) => log.push(l), { initialMs: 5, maxMs: 40, resetAfterMs: 60_000 });
    const worker = fakeService('worker', events, { failStarts: 2 });
    await s.add(worker.service);
    worker.runs[0].die();
    await until(() => worker.runs.length === 2);
    expect(s.restarts()).toEqual({ worker: 1 });
    expect(log.filter((l) => l.includes('restarting in'))).toEqual([
      expect.stringContaining('worker died: restarting in 5 ms (attempt 1)'),
      expect.stringContaining('did not start (port in use): restarting in 10 ms (attempt 2)'),
      expect.stringContaining('did not start (port in use): restarting in 20 ms (attempt 3)'),
    ]);
    await s.stopAll();
  });

  it('stops the services last started first, and restarts nothing once stopping', async () => {
    const events: string[] = [];
    const s = new Supervisor(() => undefined, { initialMs: 5, maxMs: 5, resetAfterMs: 60_000 });
    const services = ['postgres', 'temporal', 'worker', 'api'].map((n) => fakeService(n, events));
    for (const f of services) await s.add(f.service);
    await s.stopAll();
    await new Promise((r) => setTimeout(r, 30));
    expect(events).toEqual([
      'start postgres',
      'start temporal',
      'start worker',
      'start api',
      'stop api',
      'stop worker',
      'stop temporal',
      'stop postgres',
    ]);
  });
});
