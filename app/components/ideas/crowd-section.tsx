import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

// "Ideas from the crowd" on a project page: the public counts, the adopted ideas crediting their
// authors, and the way to the board. Counts and short names only: the same for every viewer.

export function CrowdSection({
  slug,
  ideaCount,
  adoptedCount,
  adopted,
  open,
}: {
  slug: string;
  ideaCount: number;
  adoptedCount: number;
  adopted: { id: string; title: string; authorName: string }[];
  /** The board takes new ideas. */
  open: boolean;
}) {
  const { t } = useTranslation();
  const board = `/projects/${slug}/ideas`;
  return (
    <section className="crowd-ideas" aria-labelledby="crowd-title">
      <h2 id="crowd-title">{t("ideas:crowd.title")}</h2>
      <p className="crowd-ideas-counts">
        {ideaCount === 0
          ? t("ideas:crowd.empty")
          : `${t("ideas:crowd.ideas", { count: ideaCount })}, ${t("ideas:crowd.adopted", { count: adoptedCount })}`}
      </p>
      {adopted.length > 0 ? (
        <ul className="crowd-ideas-adopted" role="list">
          {adopted.map((idea) => (
            <li key={idea.id}>
              <Link to={`${board}/${idea.id}`}>{idea.title}</Link>{" "}
              <span className="muted">— {t("ideas:crowd.adoptedFrom", { name: idea.authorName })}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to={board}>{open ? t("ideas:crowd.share") : t("ideas:crowd.openBoard")}</Link>
      </p>
    </section>
  );
}
