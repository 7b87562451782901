// The low-income population database (docs/policy.md §7.1, §7.4): one person row per ID number (keyed hash for lookup,
// the number encrypted: data/id-keys.ts), households as sets of people over time, the people of each case, the
// assistance departments report, and the constraint that keeps two roster lines of one person and month out.
//
// Existing rows are migrated: one person per distinct ID number, households that share a member merged into the
// earliest of them (the others keep their row with merged_into, so old links still resolve), every case kept.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { idKeys, lookupHash, openIdNumber, sealIdNumber } from '../data/id-keys';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('people', (t) => {
    t.uuid('id').primary();
    t.binary('id_hash').notNullable().unique(); // HMAC-SHA256 of the normalised ID number: exact lookups
    t.binary('id_cipher').notNullable(); // AES-256-GCM: iv ‖ tag ‖ ciphertext
    t.string('id_key', 32).notNullable(); // the key id id_cipher was sealed with (rotation)
    t.string('name').notNullable();
    t.date('birth_date').notNullable();
    t.enu('sex', ['M', 'F']).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['id_key']);
  });
  await knex.raw('create index people_name_prefix_idx on people (name text_pattern_ops)');

  await knex.schema.alterTable('households', (t) => {
    t.uuid('merged_into').references('households.id'); // set on households merged by this migration
    t.timestamp('updated_at', { useTz: true });
  });
  await knex.schema.alterTable('members', (t) => {
    t.uuid('person_id').references('people.id');
    t.date('joined_on');
    t.date('left_on'); // null while the person lives in the household
  });
  await knex.schema.alterTable('cases', (t) => {
    t.jsonb('economy'); // the case's household model as submitted and verified (households.economy: the latest)
  });
  // Who a case is about, with the member keys of its own economic model.
  await knex.schema.createTable('case_people', (t) => {
    t.uuid('case_id').notNullable().references('cases.id');
    t.uuid('person_id').notNullable().references('people.id');
    t.string('member_key').notNullable();
    t.string('relation').notNullable();
    t.primary(['case_id', 'person_id']);
    t.unique(['case_id', 'member_key']);
    t.index(['person_id']);
  });
  await knex.schema.alterTable('recipients', (t) => {
    t.uuid('person_id').references('people.id'); // the head (applicant) of the recipient household
    t.index(['person_id', 'status']);
  });
  await knex.schema.alterTable('emergencies', (t) => {
    t.uuid('person_id').references('people.id');
    t.index(['person_id', 'created_at']);
  });
  await knex.schema.alterTable('payments', (t) => {
    t.uuid('person_id').references('people.id'); // the payee: the recipient's head, the person in an emergency
    t.string('duplicate_of'); // only on lines paid twice before this migration: the line it duplicates
    t.index(['person_id', 'kind', 'month']);
  });

  await knex.schema.createTable('assistance_batches', (t) => {
    t.string('id').primary(); // <department>:<batchId>
    t.string('department').notNullable();
    t.string('batch_id').notNullable();
    t.string('source').notNullable(); // API | FILE | CLI
    t.string('file_name');
    t.integer('accepted').notNullable();
    t.integer('duplicates').notNullable(); // rows already reported (same department reference)
    t.integer('rejected').notNullable();
    t.jsonb('rejections').notNullable(); // [{ line, reference, reasons }] — no ID numbers
    t.string('reported_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('assistance_records', (t) => {
    t.string('id').primary(); // <department>:<reference>: a department's own record id, so a re-sent row adds nothing
    t.uuid('person_id').notNullable().references('people.id');
    t.uuid('household_id').references('households.id'); // the person's household when reported
    t.string('region_code', 12).notNullable(); // the household's township (scope), else the reporter's region
    t.string('kind').notNullable(); // ASSISTANCE_KINDS (domain/assistance.ts)
    t.string('department').notNullable();
    t.string('reference').notNullable();
    t.string('period', 7).notNullable(); // YYYY (a year's entitlement) or YYYY-MM
    t.date('granted_on').notNullable();
    t.decimal('amount', 12, 2);
    t.jsonb('details');
    t.string('batch_id').notNullable();
    t.string('reported_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['person_id', 'kind', 'period']);
    t.index(['household_id']);
    t.index(['region_code', 'kind', 'period']);
  });

  // Member keys belong to a case's economic model (case_people), not to a household that several cases share.
  await knex.schema.alterTable('members', (t) => {
    t.dropUnique(['household_id', 'member_key']);
    t.dropIndex(['id_number']);
  });
  await migrateRows(knex);
  await backfillPayments(knex);

  // One current household per person; the roster never holds two MONTHLY lines of one person and month.
  await knex.raw('create unique index members_current_person_uq on members (person_id) where left_on is null');
  await knex.raw(
    `create unique index payments_person_month_kind_uq on payments (person_id, month, kind)
       where kind = 'MONTHLY' and duplicate_of is null`,
  );
  await knex.schema.alterTable('members', (t) => {
    t.dropColumns('name', 'id_number', 'member_key');
    t.uuid('person_id').notNullable().alter();
    t.index(['household_id']);
  });
}

async function migrateRows(knex: Knex): Promise<void> {
  // 1. One person per distinct ID number; name, birth date and sex from the newest row.
  const rows = await knex('members as m')
    .join('households as h', 'h.id', 'm.household_id')
    .orderBy([{ column: 'h.created_at', order: 'desc' }, { column: 'm.id' }])
    .select('m.id', 'm.id_number', 'm.name', 'm.birth_date', 'm.sex');
  const personOf = new Map<string, string>();
  const people: Record<string, unknown>[] = [];
  const memberPerson: { id: string; person: string }[] = [];
  if (rows.length) {
    const keys = idKeys();
    for (const r of rows) {
      let person = personOf.get(r.id_number);
      if (!person) {
        person = randomUUID();
        personOf.set(r.id_number, person);
        const sealed = sealIdNumber(r.id_number, keys);
        people.push({
          id: person,
          id_hash: lookupHash(r.id_number, keys),
          id_cipher: sealed.cipher,
          id_key: sealed.keyId,
          name: r.name,
          birth_date: r.birth_date,
          sex: r.sex,
        });
      }
      memberPerson.push({ id: r.id, person });
    }
  }
  for (let i = 0; i < people.length; i += 1000) await knex('people').insert(people.slice(i, i + 1000));
  for (let i = 0; i < memberPerson.length; i += 1000) {
    const chunk = memberPerson.slice(i, i + 1000);
    await knex.raw(
      `update members m set person_id = v.person::uuid from (values ${chunk.map(() => '(?, ?)').join(',')})
         as v(id, person) where m.id = v.id::uuid`,
      chunk.flatMap((c) => [c.id, c.person]),
    );
  }

  // 2. What each case was about, from the rows of its own (pre-merge) household; an emergency is about its person.
  await knex.raw(`insert into case_people (case_id, person_id, member_key, relation)
    select c.id, m.person_id, m.member_key, m.relation from cases c join members m on m.household_id = c.household_id
     where not exists (select 1 from emergencies e where e.case_id = c.id)
    on conflict do nothing`);
  await knex.raw(`insert into case_people (case_id, person_id, member_key, relation)
    select e.case_id, m.person_id, 'm1', 'APPLICANT' from emergencies e join members m on m.id = e.member_id
    on conflict do nothing`);
  await knex.raw(`update cases c set economy = h.economy from households h
     where h.id = c.household_id and c.process = 'application' and h.economy is not null`);
  await knex.raw('update emergencies e set person_id = m.person_id from members m where m.id = e.member_id');
  await knex.schema.alterTable('emergencies', (t) => {
    t.dropForeign(['member_id']);
    t.dropColumn('member_id');
  });
  await knex.raw(`update recipients r set person_id = (select cp.person_id from case_people cp
      where cp.case_id = r.case_id order by (cp.relation = 'APPLICANT') desc, cp.member_key limit 1)`);

  // 3. Households sharing a member are one household: union-find over (household, person).
  const links = await knex('members as m')
    .join('households as h', 'h.id', 'm.household_id')
    .select('m.household_id', 'm.person_id', 'h.created_at');
  const parent = new Map<string, string>();
  const created = new Map<string, number>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const firstHouseholdOf = new Map<string, string>();
  for (const l of links) {
    if (!parent.has(l.household_id)) parent.set(l.household_id, l.household_id);
    created.set(l.household_id, new Date(l.created_at).getTime());
  }
  const earlier = (a: string, b: string) =>
    created.get(a)! < created.get(b)! || (created.get(a) === created.get(b) && a < b);
  for (const l of links) {
    const other = firstHouseholdOf.get(l.person_id);
    if (!other) firstHouseholdOf.set(l.person_id, l.household_id);
    else {
      const [a, b] = [find(other), find(l.household_id)];
      if (a !== b) {
        if (earlier(a, b)) parent.set(b, a);
        else parent.set(a, b);
      }
    }
  }
  const map = [...parent.keys()].flatMap((h) => (find(h) === h ? [] : [{ old: h, survivor: find(h) }]));
  // Every person's membership starts with the first household they were seen in.
  await knex.raw(`update members m set joined_on = f.first from (
      select m2.person_id, min(h.created_at)::date first from members m2 join households h on h.id = m2.household_id
       group by m2.person_id) f where f.person_id = m.person_id`);
  if (!map.length) return;
  await knex.raw('create temp table household_merge (old uuid primary key, survivor uuid not null) on commit drop');
  for (let i = 0; i < map.length; i += 1000) await knex('household_merge').insert(map.slice(i, i + 1000));
  // The survivor takes the newest household's facts (residence, township, economy: the latest declared).
  await knex.raw(`update households s set region_code = n.region_code, village_code = n.village_code,
      residence = n.residence, address = n.address, economy = coalesce(n.economy, s.economy), updated_at = now()
    from (select distinct on (coalesce(x.survivor, h.id)) coalesce(x.survivor, h.id) survivor, h.*
            from households h left join household_merge x on x.old = h.id
           where h.id in (select old from household_merge) or h.id in (select survivor from household_merge)
           order by coalesce(x.survivor, h.id), h.created_at desc) n
   where s.id = n.survivor and n.id <> s.id`);
  // One membership per person: the row of the newest household they were in.
  await knex.raw(`delete from members m using (
      select m2.id, row_number() over (partition by coalesce(x.survivor, m2.household_id), m2.person_id
                                       order by h.created_at desc, m2.id) rn
        from members m2 join households h on h.id = m2.household_id
        left join household_merge x on x.old = m2.household_id
    ) r where r.id = m.id and r.rn > 1`);
  for (const table of ['members', 'cases', 'payments', 'recipients', 'emergencies', 'assistance_plans'])
    await knex.raw(
      `update ${table} t set household_id = x.survivor from household_merge x where x.old = t.household_id`,
    );
  await knex.raw(`update households h set merged_into = x.survivor from household_merge x where x.old = h.id`);
}

/** Payees of existing payments, and lines paid twice before the constraint existed. */
async function backfillPayments(knex: Knex): Promise<void> {
  await knex.raw(`update payments p set person_id = r.person_id from recipients r where r.id = p.recipient_id`);
  await knex.raw(`update payments p set person_id = e.person_id from emergencies e
     where p.person_id is null and e.case_id = p.case_id`);
  await knex.raw(`update payments p set person_id = cp.person_id from case_people cp
     where p.person_id is null and cp.case_id = p.case_id and cp.relation = 'APPLICANT'`);
  await knex.raw(`update payments p set duplicate_of = d.first_id from (
      select id, first_value(id) over w first_id, row_number() over w rn from payments
       where kind = 'MONTHLY' and person_id is not null
      window w as (partition by person_id, month order by created_at, id)) d
    where d.id = p.id and d.rn > 1`);
}

export async function down(knex: Knex): Promise<void> {
  // Merged households stay merged; every person's number is decrypted back into their member rows.
  await knex.schema.alterTable('emergencies', (t) => {
    t.uuid('member_id').references('members.id');
  });
  await knex.schema.alterTable('members', (t) => {
    t.string('member_key');
    t.string('name');
    t.string('id_number', 18);
  });
  const people = await knex('people').select('id', 'id_cipher', 'id_key', 'name');
  for (const p of people) {
    const idNumber = openIdNumber({ cipher: p.id_cipher, keyId: p.id_key });
    await knex('members').where({ person_id: p.id }).update({ id_number: idNumber, name: p.name });
  }
  await knex.raw(`update members m set member_key = coalesce((select cp.member_key from case_people cp
      join cases c on c.id = cp.case_id where cp.person_id = m.person_id and c.household_id = m.household_id
      order by c.created_at desc limit 1), 'p-' || m.person_id)`);
  await knex.raw(`update emergencies e set member_id = m.id from members m where m.person_id = e.person_id`);
  await knex.raw('drop index if exists payments_person_month_kind_uq');
  await knex.raw('drop index if exists members_current_person_uq');
  for (const table of ['assistance_records', 'assistance_batches', 'case_people'])
    await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['person_id', 'kind', 'month']);
    t.dropColumns('person_id', 'duplicate_of');
  });
  await knex.schema.alterTable('emergencies', (t) => {
    t.dropIndex(['person_id', 'created_at']);
    t.dropColumn('person_id');
  });
  await knex.schema.alterTable('recipients', (t) => {
    t.dropIndex(['person_id', 'status']);
    t.dropColumn('person_id');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('economy');
  });
  await knex.schema.alterTable('members', (t) => {
    t.dropIndex(['household_id']);
    t.dropColumns('person_id', 'joined_on', 'left_on');
    t.unique(['household_id', 'member_key']);
    t.index(['id_number']);
  });
  await knex.schema.alterTable('households', (t) => {
    t.dropColumns('merged_into', 'updated_at');
  });
  await knex.schema.dropTableIfExists('people');
}
