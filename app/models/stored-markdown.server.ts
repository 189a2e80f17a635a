import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { MARKDOWN_VERSION, renderConversation, renderStory, renderUpdateBody } from "../domain/markdown";

// Stories, updates, comments, messages, FAQ answers and ideas are stored rendered, each row with the renderer version that made it
// (decision 019). When MARKDOWN_VERSION rises, the rows an older version made are rendered again
// here, in batches. Each batch is one short transaction that locks its rows with FOR UPDATE SKIP
// LOCKED: processes starting together share the rows instead of rendering them twice, and a save
// of a locked row waits for the batch rather than being overwritten by it. Rows a newer version
// made (a newer process during a rolling deploy) are left alone.

const STORED = [
  { table: "campaigns", source: "story_md", render: renderStory },
  { table: "campaign_updates", source: "body_md", render: renderUpdateBody },
  { table: "comments", source: "body_md", render: (md: string) => ({ body_html: renderConversation(md) }) },
  { table: "messages", source: "body_md", render: (md: string) => ({ body_html: renderConversation(md) }) },
  { table: "faq_entries", source: "answer_md", render: (md: string) => ({ answer_html: renderConversation(md) }) },
  { table: "ideas", source: "body_md", render: (md: string) => ({ body_html: renderConversation(md) }) },
] as const;

type StoredTable = (typeof STORED)[number];
export type Rerendered = Record<StoredTable["table"], number>;

/**
 * Renders again every story, update, comment, message, FAQ answer and idea stored by an older renderer; returns how many rows of
 * each table it rendered. Idempotent: a second run finds nothing to do. `stopped` is asked
 * between batches, so a process shutting down waits for one batch at most.
 */
export async function rerenderStaleMarkdown(
  db: Db,
  { batchSize = 200, stopped = () => false }: { batchSize?: number; stopped?: () => boolean } = {},
): Promise<Rerendered> {
  const counts: Rerendered = { campaigns: 0, campaign_updates: 0, comments: 0, messages: 0, faq_entries: 0, ideas: 0 };
  for (const stored of STORED) {
    // Keyset on the id, so each batch moves forward past the rows another process holds.
    let after: string | null = null;
    while (!stopped()) {
      const ids = await rerenderBatch(db, stored, { after, batchSize });
      counts[stored.table] += ids.length;
      if (ids.length < batchSize) break;
      after = ids[ids.length - 1]!;
    }
  }
  return counts;
}

async function rerenderBatch(
  db: Db,
  { table, source, render }: StoredTable,
  { after, batchSize }: { after: string | null; batchSize: number },
): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const { rows } = await sql<{ id: string; source: string }>`
      select id, ${sql.ref(source)} as source from ${sql.table(table)}
      where markdown_version < ${MARKDOWN_VERSION} ${after ? sql`and id > ${after}` : sql``}
      order by id limit ${batchSize}
      for update skip locked`.execute(trx);
    if (rows.length === 0) return [];
    const rendered = rows.map((row) => ({ id: row.id, columns: Object.entries(render(row.source)) }));
    const names = rendered[0]!.columns.map(([name]) => name);
    const values = rendered.map(
      ({ id, columns }) => sql`(${id}::uuid, ${sql.join(columns.map(([, text]) => sql`${text}::text`))})`,
    );
    await sql`
      update ${sql.table(table)} as t
      set ${sql.join(names.map((name) => sql`${sql.ref(name)} = ${sql.ref(`v.${name}`)}`))},
        markdown_version = ${MARKDOWN_VERSION}
      from (values ${sql.join(values)}) as v(id, ${sql.join(names.map((name) => sql.ref(name)))})
      where t.id = v.id`.execute(trx);
    return rows.map((row) => row.id);
  });
}
