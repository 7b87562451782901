// `npm start` only: a development integrator (对接系统) so the escalation API can be tried with an API key at once.
// Its key and webhook secret are random, generated once into <data dir>/dev-integrator.json (mode 600) and kept
// there; nothing about them follows from another secret.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKnex } from '../../data/db';
import { newApiKey, newWebhookSecret, saveIntegrator } from '../../api/http/integrators';
import { COUNTY_REGION } from '../../domain/glossary';

export const DEV_INTEGRATOR_ID = 'dev-integrator';

export interface DevIntegrator {
  id: string;
  apiKey: string;
  webhookSecret: string;
  file: string;
}

export function devIntegratorSecrets(dataDir: string): DevIntegrator {
  const file = join(dataDir, 'dev-integrator.json');
  if (!existsSync(file))
    writeFileSync(file, JSON.stringify({ apiKey: newApiKey(), webhookSecret: newWebhookSecret() }) + '\n', {
      mode: 0o600,
    });
  const { apiKey, webhookSecret } = JSON.parse(readFileSync(file, 'utf8')) as DevIntegrator;
  return { id: DEV_INTEGRATOR_ID, apiKey, webhookSecret, file };
}

export async function ensureDevIntegrator(
  databaseUrl: string,
  dataDir: string,
  webhookUrl?: string,
): Promise<DevIntegrator> {
  const dev = devIntegratorSecrets(dataDir);
  const db = createKnex(databaseUrl, { min: 0, max: 1 });
  try {
    await saveIntegrator(db, {
      id: DEV_INTEGRATOR_ID,
      name: 'Development integrator',
      regionCode: COUNTY_REGION,
      apiKey: dev.apiKey,
      webhookUrl: webhookUrl ?? null,
      webhookSecret: dev.webhookSecret,
    });
  } finally {
    await db.destroy();
  }
  return dev;
}
