import { useTranslation } from "react-i18next";
import { FinTable, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { journalKindWord } from "~/domain/finance";
import type { FinancePledgePage } from "./page.server";

// The finance pledge page's records, oldest first: state changes, charge attempts, journal
// lines and the audit log (the refunds table, with its retry button, stays with the page).

/** Every move of the pledge through its states, with who, why and the detail recorded. */
export function StateChanges({ transitions }: { transitions: FinancePledgePage["transitions"] }) {
  const { t } = useTranslation();
  return (
    <section className="fin-section" aria-labelledby="history-title">
      <header>
        <h2 id="history-title">{t("finance:history.transitionsTitle")}</h2>
      </header>
      <FinTable
        columns={[
          t("finance:history.when"),
          t("finance:history.from"),
          t("finance:history.to"),
          t("finance:history.by"),
          t("finance:history.reason"),
        ]}
      >
        {transitions.map((change) => (
          <tr key={change.id}>
            <td className="nowrap">
              <When at={change.at} />
            </td>
            <td>
              {change.from ? (
                <StatusBadge status={change.from} />
              ) : (
                <span className="muted">{t("finance:history.new")}</span>
              )}
            </td>
            <td>
              <StatusBadge status={change.to} />
            </td>
            <td>{change.actor ?? <span className="muted">{t("finance:history.system")}</span>}</td>
            <td className="wrap">
              {change.reason ?? ""}
              {change.detail.length ? (
                <span className="fin-detail">
                  {change.detail.map((d) => (
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
  const { t } = useTranslation();
  const kinds: Record<string, string> = {
    charge: t("finance:history.attemptKinds.charge"),
    refund: t("finance:history.attemptKinds.refund"),
  };
  return (
    <section className="fin-section" aria-labelledby="attempts-title">
      <header>
        <h2 id="attempts-title">{t("finance:history.attemptsTitle")}</h2>
        <p className="muted small">{attempts.length}</p>
      </header>
      {attempts.length === 0 ? (
        <p className="fin-empty">{t("finance:history.noAttempts")}</p>
      ) : (
        <FinTable
          columns={[
            "#",
            t("finance:history.attemptColumns.kind"),
            t("finance:history.attemptColumns.started"),
            { label: t("finance:history.attemptColumns.amount"), num: true },
            t("finance:history.attemptColumns.status"),
            t("finance:history.attemptColumns.stripe"),
            t("finance:history.attemptColumns.key"),
            t("finance:history.attemptColumns.error"),
          ]}
        >
          {attempts.map((a) => (
            <tr key={a.id}>
              <td className="num">{a.attempt}</td>
              <td>{kinds[a.kind] ?? a.kind}</td>
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
  const { t } = useTranslation();
  return (
    <section className="fin-section" aria-labelledby="journal-title">
      <header>
        <h2 id="journal-title">{t("finance:history.journalTitle")}</h2>
        <p className="muted small">{t("finance:history.journalLead")}</p>
      </header>
      {journal.length === 0 ? (
        <p className="fin-empty">{t("finance:history.noJournal")}</p>
      ) : (
        <FinTable
          columns={[
            t("finance:history.journalColumns.txn"),
            t("finance:history.journalColumns.kind"),
            t("finance:history.journalColumns.booked"),
            t("finance:history.journalColumns.account"),
            { label: t("finance:history.journalColumns.debit"), num: true },
            { label: t("finance:history.journalColumns.credit"), num: true },
            t("finance:history.journalColumns.stripe"),
          ]}
        >
          {journal.map((j) => (
            <tr key={j.key}>
              <td className="num">{j.transactionId}</td>
              <td className="nowrap">{journalKindWord(t, j.kind)}</td>
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
  const { t } = useTranslation();
  return (
    <section className="fin-section" aria-labelledby="audit-title">
      <header>
        <h2 id="audit-title">{t("finance:history.auditTitle")}</h2>
      </header>
      {audit.length === 0 ? (
        <p className="fin-empty">{t("finance:history.noAudit")}</p>
      ) : (
        <FinTable
          columns={[
            t("finance:history.auditColumns.when"),
            t("finance:history.auditColumns.who"),
            t("finance:history.auditColumns.what"),
            t("finance:history.auditColumns.why"),
          ]}
        >
          {audit.map((a) => (
            <tr key={a.id}>
              <td className="nowrap">
                <When at={a.at} />
              </td>
              <td>{a.actor ?? t("finance:history.system")}</td>
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
