// `npm run rotate-id-keys [-- --new-lookup <base64>]`: re-encrypts every ID number not sealed with the current key of
// DOUDI_ID_KEYS (or the development key file), and with --new-lookup re-hashes every row under a new lookup key
// (stop the API and workers first; afterwards put the new key in DOUDI_ID_KEYS "lookup"). See docs/architecture.md,
// "Personal data", for the whole procedure.
import { parseArgs } from 'node:util';
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { rotateIdKeys } from '../data/id-key-rotation';
import { idKeys } from '../data/id-keys';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'new-lookup': { type: 'string' } } });
  const newLookup = values['new-lookup'] ? Buffer.from(values['new-lookup'], 'base64') : undefined;
  if (newLookup && newLookup.length !== 32) {
    console.error('--new-lookup must be 32 bytes, base64-encoded');
    return 2;
  }
  const keys = idKeys();
  const db = createKnex(requireDatabaseUrl(loadConfig()), { min: 0, max: 2 });
  try {
    const r = await rotateIdKeys(db, keys, { newLookup, onPage: (n) => process.stdout.write(`\r${n} rows`) });
    console.log(`\nre-encrypted with key ${keys.current}: ${r.reencrypted}; re-hashed: ${r.rehashed}`);
    return 0;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
