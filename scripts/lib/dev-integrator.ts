// `npm start` only: a development integrator (对接系统) so the escalation API can be tried with an API key at once.
// Its key is derived from the JWT secret, so it stays the same across restarts and differs per installation.
import { createHmac } from 'node:crypto';
import { createKnex } from '../../data/db';
import { saveIntegrator } from '../../api/http/integrators';
import { COUNTY_REGION } from '../../domain/glossary';

export const DEV_INTEGRATOR_ID = 'dev-integrator';

export async function ensureDevIntegrator(
  databaseUrl: string,
  jwtSecret: string,
  webhookUrl?: string,
): Promise<{ id: string; apiKey: string; webhookSecret: string }> {
  const derive = (what: string) =>
    createHmac('sha256', jwtSecret).update(`doudi ${DEV_INTEGRATOR_ID} ${what}`).digest('base64url').slice(0, 32);
  const apiKey = `dk_dev_${derive('api key')}`;
  const webhookSecret = `whsec_dev_${derive('webhook secret')}`;
  const db = createKnex(databaseUrl, { min: 0, max: 1 });
  try {
    await saveIntegrator(db, {
      id: DEV_INTEGRATOR_ID,
      name: 'Development integrator',
      regionCode: COUNTY_REGION,
      apiKey,
      webhookUrl: webhookUrl ?? null,
      webhookSecret,
    });
  } finally {
    await db.destroy();
  }
  return { id: DEV_INTEGRATOR_ID, apiKey, webhookSecret };
}
