// Policy parameter versions (docs/policy.md, preamble): per region and effective date, never edited once in force.
import { policyInForce, type PolicyVersion } from '../domain/policy';
import type { Db } from './db';

export function toPolicyVersion(r: {
  id: string;
  region_code: string;
  effective_from: string;
  parameters: unknown;
  sample: boolean;
}): PolicyVersion {
  return {
    id: r.id,
    regionCode: r.region_code,
    effectiveFrom: r.effective_from,
    parameters: r.parameters as PolicyVersion['parameters'],
    sample: r.sample,
  };
}

export async function loadPolicyVersions(db: Db): Promise<PolicyVersion[]> {
  return (await db('policy_versions').select()).map(toPolicyVersion);
}

/** The version in force for a region on a date (the most specific region, the latest effective date). */
export async function policyFor(db: Db, regionCode: string, asOf: string): Promise<PolicyVersion | undefined> {
  return policyInForce(await loadPolicyVersions(db), regionCode, asOf);
}
