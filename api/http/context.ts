// What every route needs: the database, the case engine, configuration.
import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { CaseEngine } from '../../engine/client';
import type { ApiBuilder } from './openapi';

export interface ApiDeps {
  db: Knex;
  engine: CaseEngine;
  config: Config;
}
export type RouteModule = (api: ApiBuilder, deps: ApiDeps) => void;
