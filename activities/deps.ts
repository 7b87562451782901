// What activities need from the outside world; tests pass their own.
import type { Knex } from 'knex';
import type { Channel, Transport } from './notifications/transports';

export interface ActivityDeps {
  db: Knex;
  transports?: Map<Channel, Transport>;
}
