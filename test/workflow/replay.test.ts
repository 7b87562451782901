// Determinism guard: recorded histories (test/workflow/histories/*.json) replayed against today's workflow code.
// application-before-recipient-patch.json was recorded before the recipient seam existed: it replays only because
// the seam is behind patched('start-recipient-workflow'). Re-record the recipient ones with RECORD_HISTORIES=1 (see
// recipient.test.ts) only for intended, patched changes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowBundle } from './bundle';
import { generatePayloadKey, parsePayloadKeys, payloadDataConverter } from '../../engine/payload-codec';

jest.setTimeout(120_000);

const DIR = join(__dirname, 'histories');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) =>
  temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(DIR, file), 'utf8')));

// The workers' data converter: the recorded histories are plaintext, and the codec passes them through.
const dataConverter = payloadDataConverter(parsePayloadKeys(generatePayloadKey(), 'test'));
let bundle: { code: string };
beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  bundle = await workflowBundle();
}, 180_000);

describe('replay of recorded histories', () => {
  it('has the recorded histories of both processes', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'application-before-recipient-patch.json',
        'application-with-recipient-child.json',
        'recipient-year1.json',
        'recipient-year2.json',
        'recipient-year3.json',
      ]),
    );
  });

  it.each(FILES)('%s replays without nondeterminism', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, load(file), file);
  });

  it('detects a history the code no longer matches (the guard can fail)', async () => {
    const history = load('recipient-year1.json');
    const scheduled = history.events!.find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, history, 'tampered'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
