import { FinTable, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import type { FinancePledgePage } from "./page.server";

// The finance pledge page's records, oldest first: state changes, charge attempts, journal
// lines and the audit log (the refunds table, with its retry button, stays with the page).

/** Every move of the pledge through its states, with who, why and the detail recorded. */
export function StateChanges({ transitions }: { transitions: FinancePledgePage["transitions"] }) {
  return (
    <section className="fin-section" aria-labelledby="history-title">
      <header>
        <h2 id="history-title">State changes</h2>
      </header>
      <FinTable columns={["When (UTC)", "From", "To", "By", "Reason"]}>
        {transitions.map((t) => (
          <tr key={t.id}>
            <td className="nowrap">
              <When at={t.at} />
            </td>
            <td>{t.from ? <StatusBadge status={t.from} /> : <span className="muted">new</span>}</td>
            <td>
              <StatusBadge status={t.to} />
            </td>
            <td>{t.actor ?? <span className="muted">system</span>}</td>
            <td className="wrap">
              {t.reason ?? ""}
              {t.detail.length ? (
                <span className="fin-detail">
                  {t.detail.map((d) => (
                    <span key={d.k}>
                      {d.k} <Ref id={d.v} />
                    </span>
                  ))}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </FinTable>
    </section>
  );
}

/** Every charge attempt with its idempotency key, Stripe object and error. */
export function ChargeAttempts({ attempts }: { attempts: FinancePledgePage["attempts"] }) {
  return (
    <section className="fin-section" aria-labelledby="attempts-title">
      <header>
        <h2 id="attempts-title">Charge attempts</h2>
        <p className="muted small">{attempts.length}</p>
      </header>
      {attempts.length === 0 ? (
        <p className="fin-empty">No charge attempt was made for this pledge.</p>
      ) : (
        <FinTable
          columns={[
            "#",
            "Kind",
            "Started (UTC)",
            { label: "Amount", num: true },
            "Status",
            "Stripe object",
            "Idempotency key",
            "Error",
          ]}
        >
          {attempts.map((a) => (
            <tr key={a.id}>
              <td className="num">{a.attempt}</td>
              <td>{a.kind}</td>
              <td className="nowrap">
                <When at={a.startedAt} />
              </td>
              <td className="num">{a.amount}</td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td>
                <Ref id={a.stripeId} />
              </td>
              <td>
                <Ref id={a.key} />
              </td>
              <td className="wrap">
                {a.error ? <code className="fin-ref">{a.error}</code> : null}{" "}
                {a.message ? <span className="small">{a.message}</span> : null}
              </td>
            </tr>
          ))}
        </FinTable>
      )}
    </section>
  );
}

/** The debits and credits booked for the pledge. */
export function JournalLines({ journal }: { journal: FinancePledgePage["journal"] }) {
  return (
    <section className="fin-section" aria-labelledby="journal-title">
      <header>
        <h2 id="journal-title">Journal lines</h2>
        <p className="muted small">debits and credits booked for this pledge</p>
      </header>
      {journal.length === 0 ? (
        <p className="fin-empty">Nothing is booked for this pledge.</p>
      ) : (
        <FinTable
          columns={[
            "Txn",
            "Kind",
            "Booked (UTC)",
            "Account",
            { label: "Debit", num: true },
            { label: "Credit", num: true },
            "Stripe object",
          ]}
        >
          {journal.map((j) => (
            <tr key={j.key}>
              <td className="num">{j.transactionId}</td>
              <td className="nowrap">{j.kind.replace("_", " ")}</td>
              <td className="nowrap">
                <When at={j.at} />
              </td>
              <td>
                <code className="fin-ref">{j.account}</code>
              </td>
              <td className="num">{j.debit}</td>
              <td className="num">{j.credit}</td>
              <td>
                <Ref id={j.stripeId} />
              </td>
            </tr>
          ))}
        </FinTable>
      )}
    </section>
  );
}

/** Staff actions on the pledge: who, what and why. */
export function AuditLog({ audit }: { audit: FinancePledgePage["audit"] }) {
  return (
    <section className="fin-section" aria-labelledby="audit-title">
      <header>
        <h2 id="audit-title">Audit log</h2>
      </header>
      {audit.length === 0 ? (
        <p className="fin-empty">No staff action on this pledge yet.</p>
      ) : (
        <FinTable columns={["When (UTC)", "Who", "What", "Why"]}>
          {audit.map((a) => (
            <tr key={a.id}>
              <td className="nowrap">
                <When at={a.at} />
              </td>
              <td>{a.actor ?? "system"}</td>
              <td>
                <code className="fin-ref">{a.action}</code>
              </td>
              <td className="wrap">{a.reason}</td>
            </tr>
          ))}
        </FinTable>
      )}
    </section>
  );
}
