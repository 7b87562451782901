// `npm run audit:verify`: checks the audit log's hash chain and prints the first broken link. Exit code 0: whole;
// 1: broken (the row is named); 2: could not run. Keep the printed head hash somewhere else (a ticket, a mail):
// a later run that still reaches it shows that nothing before it changed, even for someone able to re-hash the chain.
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { verifyAuditChain } from './lib/audit-chain';

async function main(): Promise<number> {
  const db = createKnex(requireDatabaseUrl(loadConfig()), { min: 0, max: 1 });
  try {
    const report = await verifyAuditChain(db);
    if (report.broken) {
      const b = report.broken;
      console.log(
        `audit log BROKEN at chain row ${b.chainSeq}${b.id ? ` (audit_log.id ${b.id})` : ''}: ` +
          `${b.problem}: ${b.message}`,
      );
      console.log(`${report.rows} rows before it are whole (last good hash ${report.headHash})`);
      return 1;
    }
    console.log(`audit log whole: ${report.rows} rows, head hash ${report.headHash}`);
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`audit:verify failed: ${(err as Error).message}`);
    process.exit(2);
  },
);
