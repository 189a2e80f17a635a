import { useTranslation } from "react-i18next";

// The public delivery record: of the rewards due, how many backers confirmed received (and how
// many were counted as received by the 60-day rule, said so), how many by the estimated month;
// for the project, and for its creator across all their campaigns. Counts only.

export interface DeliveryRecordData {
  due: number;
  received: number;
  assumed: number;
  percent: number;
  onTimePercent: number | null;
  campaigns: number;
}

function RecordLine({ record, assumedDays }: { record: DeliveryRecordData; assumedDays: number }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="delivery-record-line">
        {t("fulfilment:record.received", { received: record.received, count: record.due, percent: record.percent }) +
          (record.onTimePercent !== null ? t("fulfilment:record.onTime", { percent: record.onTimePercent }) : "")}
      </p>
      {record.assumed > 0 ? (
        <p className="muted small">{t("fulfilment:record.assumed", { count: record.assumed, days: assumedDays })}</p>
      ) : null}
    </>
  );
}

export function DeliveryRecord({
  campaign,
  creator,
  creatorName,
  assumedDays,
}: {
  campaign: DeliveryRecordData | null;
  creator: DeliveryRecordData | null;
  creatorName: string;
  assumedDays: number;
}) {
  const { t } = useTranslation();
  if (!campaign && !creator) return null;
  return (
    <section className="card delivery-record" aria-labelledby="delivery-record-title">
      <h2 id="delivery-record-title">{t("fulfilment:record.title")}</h2>
      {campaign ? (
        <RecordLine record={campaign} assumedDays={assumedDays} />
      ) : (
        <p className="muted">{t("fulfilment:record.noneYet")}</p>
      )}
      {/* The creator's record, when it says more than this project's: other campaigns count in it. */}
      {creator && (campaign === null || creator.campaigns > 1) ? (
        <>
          <h3>{t("fulfilment:record.creator", { name: creatorName, count: creator.campaigns })}</h3>
          <RecordLine record={creator} assumedDays={assumedDays} />
        </>
      ) : null}
    </section>
  );
}
