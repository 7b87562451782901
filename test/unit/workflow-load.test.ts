// Loading the workflow code builds no zod schema (README, "Worker memory"; engine/definition.ts lazyTaskSchemas): the
// SDK evaluates a workflow's modules afresh for each new workflow, so a value import of a module that builds schemas at
// load costs every cached workflow its heap. Checked in a fresh Node process, as the SDK loads processes/workflows.ts.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { lazyTaskSchemas } from '../../engine/definition';
import { z } from 'zod';

const ROOT = join(__dirname, '..', '..');

describe('loading the workflow code', () => {
  it('requires no schemas module and none of the modules that build schemas at load', () => {
    const script = `
      require('./processes/workflows');
      const loaded = Object.keys(require.cache).map((f) => require('node:path').relative(process.cwd(), f));
      console.log(JSON.stringify(loaded.filter((f) => !f.includes('node_modules'))));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' }),
    ) as string[];
    expect(loaded).toContain('processes/application/workflow.ts'); // the check sees the workflow modules at all
    expect(
      loaded.filter((f) => /^processes\/[^/]+\/schemas\.ts$/.test(f) || /domain\/(household|policy)\.ts$/.test(f)),
    ).toEqual([]);
    expect(loaded.filter((f) => /domain\/(monitoring-rows|assistance-records)\.ts$/.test(f))).toEqual([]);
  });
});

describe('lazyTaskSchemas', () => {
  it('loads on the first read of a task type, once, and reads as a plain record', () => {
    let loads = 0;
    const S = lazyTaskSchemas(() => {
      loads++;
      return { accept: { ACCEPTED: z.object({ a: z.number() }) }, other: { DONE: z.object({}) } };
    });
    const accept = S('accept');
    const other = S('other');
    expect(loads).toBe(0);
    expect(Object.hasOwn(accept, 'ACCEPTED')).toBe(true);
    expect(Object.hasOwn(accept, 'REFUSED')).toBe(false);
    expect(Object.keys(accept)).toEqual(['ACCEPTED']);
    expect('ACCEPTED' in accept).toBe(true);
    expect(accept.ACCEPTED.safeParse({ a: 1 }).success).toBe(true);
    expect(loads).toBe(1);
    expect(Object.keys(other)).toEqual(['DONE']);
    expect(loads).toBe(2); // each task type's proxy loads for itself; the module system keeps the one module
  });
});
