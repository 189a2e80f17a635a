import { useTranslation } from "react-i18next";

// A project's FAQ as the public page shows it: each question opens its answer (a native
// <details>, so it works without JavaScript and with the keyboard). The answers are stored
// sanitised (app/domain/markdown.ts, conversation rules).

export interface FaqItem {
  id: string;
  question: string;
  answerHtml: string;
}

export function FaqList({ entries, lang }: { entries: readonly FaqItem[]; lang?: string }) {
  const { t } = useTranslation();
  return (
    <section className="faq" aria-labelledby="faq-title" id="faq">
      <h2 id="faq-title">{t("messages:faq.publicTitle")}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t("messages:faq.publicNone")}</p>
      ) : (
        <div className="faq-list" lang={lang}>
          {entries.map((entry) => (
            <details key={entry.id} className="faq-item">
              <summary>{entry.question}</summary>
              <div className="faq-answer" dangerouslySetInnerHTML={{ __html: entry.answerHtml }} />
            </details>
          ))}
        </div>
      )}
    </section>
  );
}
