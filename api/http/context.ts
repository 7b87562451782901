// What every route needs: the database, the case engine, configuration.
import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { PayloadCodec } from '@temporalio/common';
import type { CaseEngine } from '../../engine/client';
import type { ApiBuilder } from './openapi';

export interface ApiDeps {
  db: Knex;
  engine: CaseEngine;
  config: Config;
  /** The codec of the Temporal payloads, served at /codec for the Temporal UI (api/http/codec.ts); none: not served. */
  payloadCodec?: PayloadCodec;
}
export type RouteModule = (api: ApiBuilder, deps: ApiDeps) => void;
