// The audit chain (migrations/011_audit_chain.ts) is extended at commit instead of at insert. The BEFORE INSERT
// trigger of 011 locked the one-row chain head from a transaction's first audit row until its commit, so every
// transaction that audits anything (a task completion writes about three rows) waited for every other one for its
// whole length: measured with bench/throughput.ts, that lock alone cost about a third of Doudi's completions/s
// (README, "Where the CPU goes"). Now a deferred constraint trigger chains each row when its transaction commits: the
// head is locked only for the few statements of the commit itself. The guarantees are unchanged: chain order is still
// commit order (the head is updated in the committing transaction), no role can append a row outside the chain, and
// no other transaction ever sees a row unchained (the chaining runs before the commit makes it visible). Inside its
// own transaction a fresh row has no chain columns yet, so they become nullable; a row that claims hashes of its own
// loses them at insert.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger audit_log_chain on audit_log;
    alter table audit_log
      alter column chain_seq drop not null,
      alter column prev_hash drop not null,
      alter column row_hash drop not null;

    -- Whatever a writer claims, the chain columns are the trigger's (the unique chain_seq index would otherwise refuse
    -- a claimed sequence number before the deferred trigger could replace it).
    create function audit_log_unchained() returns trigger language plpgsql as $$
    begin
      new.chain_seq := null;
      new.prev_hash := null;
      new.row_hash := null;
      return new;
    end $$;
    create trigger audit_log_unchained before insert on audit_log for each row execute function audit_log_unchained();

    -- SECURITY DEFINER: the application's role may insert audit rows but neither update them nor touch the chain head.
    -- The row is read again rather than taken from NEW so the hash covers what commits.
    create function audit_log_chain_at_commit() returns trigger language plpgsql security definer
    set search_path = public as $$
    declare
      head audit_chain_head%rowtype;
      r audit_log%rowtype;
    begin
      select * into r from audit_log where id = new.id;
      if not found then
        return null; -- inserted and removed in the same transaction: nothing to chain
      end if;
      select * into head from audit_chain_head where id = 1 for update;
      r.chain_seq := head.last_seq + 1;
      r.prev_hash := head.last_hash;
      r.row_hash := audit_row_hash(head.last_hash, r);
      update audit_log set chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = r.row_hash where id = r.id;
      update audit_chain_head set last_seq = r.chain_seq, last_hash = r.row_hash where id = 1;
      return null;
    end $$;
    create constraint trigger audit_log_chain after insert on audit_log
      deferrable initially deferred for each row execute function audit_log_chain_at_commit();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger audit_log_chain on audit_log;
    drop function audit_log_chain_at_commit();
    drop trigger audit_log_unchained on audit_log;
    drop function audit_log_unchained();
    alter table audit_log
      alter column chain_seq set not null,
      alter column prev_hash set not null,
      alter column row_hash set not null;
    create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();
  `);
}
