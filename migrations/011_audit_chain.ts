// The audit log becomes tamper-evident (docs/architecture.md, "The audit log"): every row carries the hash of the row
// before it and its own hash over its canonical content, computed by a trigger, so no code path (and no role) can
// append a row outside the chain. Appends are serialised by the one-row chain head, locked until the appending
// transaction commits: the chain's order (`chain_seq`) is the order of commits, which the id sequence is not.
// migrations/014_audit_chain_at_commit.ts moves the chaining to commit time, so the head is no longer held throughout.
// `npm run audit:verify` (scripts/audit-verify.ts) walks the chain. Existing rows are chained in id order.
import type { Knex } from 'knex';

export const GENESIS_HASH = '0'.repeat(64);

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table audit_log
      add column chain_seq bigint,
      add column prev_hash char(64),
      add column row_hash char(64),
      -- Chosen by the writer when a retry could write the row twice (data/audit.ts auditOnce).
      add column write_key text;
    create unique index audit_log_write_key on audit_log (write_key) where write_key is not null;

    create table audit_chain_head (
      id smallint primary key default 1 check (id = 1),
      last_seq bigint not null default 0,
      last_hash char(64) not null
    );
    insert into audit_chain_head (last_hash) values ('${GENESIS_HASH}');

    -- What a row's hash covers, as deterministic text: jsonb's own rendering (keys sorted, no insignificant space).
    create function audit_log_content(a audit_log) returns text language sql stable as $$
      select jsonb_build_array(
        a.id, to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), a.actor, a.role, a.action,
        a.case_id, a.entity, a.entity_id, a.before, a.after, a.reason, a.chain_seq
      )::text
    $$;

    create function audit_row_hash(prev text, a audit_log) returns char(64) language sql stable as $$
      select encode(sha256(convert_to(prev || audit_log_content(a), 'UTF8')), 'hex')
    $$;

    -- SECURITY DEFINER: the application's role may insert audit rows but not touch the chain head.
    create function audit_log_chain() returns trigger language plpgsql security definer set search_path = public as $$
    declare
      head audit_chain_head%rowtype;
    begin
      select * into head from audit_chain_head where id = 1 for update;
      new.chain_seq := head.last_seq + 1;
      new.prev_hash := head.last_hash;
      new.row_hash := audit_row_hash(head.last_hash, new);
      update audit_chain_head set last_seq = new.chain_seq, last_hash = new.row_hash where id = 1;
      return new;
    end $$;
  `);

  // Rows written before the chain: chained in id order, then the trigger takes over.
  await knex.raw(`
    do $$
    declare
      r audit_log%rowtype;
      seq bigint := 0;
      prev text := '${GENESIS_HASH}';
    begin
      for r in select * from audit_log order by id loop
        seq := seq + 1;
        r.chain_seq := seq;
        r.prev_hash := prev;
        r.row_hash := audit_row_hash(prev, r);
        update audit_log set chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = r.row_hash where id = r.id;
        prev := r.row_hash;
      end loop;
      update audit_chain_head set last_seq = seq, last_hash = prev where id = 1;
    end $$;

    alter table audit_log
      alter column chain_seq set not null,
      alter column prev_hash set not null,
      alter column row_hash set not null;
    create unique index audit_log_chain_seq on audit_log (chain_seq);
    create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger audit_log_chain on audit_log;
    drop function audit_log_chain();
    drop function audit_row_hash(text, audit_log);
    drop function audit_log_content(audit_log);
    drop table audit_chain_head;
    alter table audit_log drop column chain_seq, drop column prev_hash, drop column row_hash;
  `);
}
