import { sql, type Kysely } from "kysely";

// Fulfilment (issue 14), the fulfilment helper's part: the address retention pass finds the
// rewards confirmed received before a cutoff through this index, not by reading every row.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index fulfilments_received_idx on fulfilments (received_at) where received_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index fulfilments_received_idx`.execute(db);
}
