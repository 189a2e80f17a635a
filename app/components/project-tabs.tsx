import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";

// The sections of a project: its campaign page, its comments (with the maintained count), and
// its Ideas board when it has one.

export function ProjectTabs({
  slug,
  commentCount,
  ideaCount = null,
  current,
}: {
  slug: string;
  commentCount: number;
  /** The board's visible ideas when it is public (domain/idea-actions boardIsPublic); null: no tab. */
  ideaCount?: number | null;
  current: "campaign" | "comments" | "ideas" | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <nav className="project-tabs" aria-label={t("comments:tabs.label")}>
      <Link to={`/projects/${slug}`} aria-current={current === "campaign" ? "page" : undefined}>
        {t("comments:tabs.campaign")}
      </Link>
      <Link to={`/projects/${slug}/comments`} aria-current={current === "comments" ? "page" : undefined}>
        {t("comments:tabs.commentsCount", { n: f.number(commentCount) })}
      </Link>
      {ideaCount !== null ? (
        <Link to={`/projects/${slug}/ideas`} aria-current={current === "ideas" ? "page" : undefined}>
          {t("ideas:tab", { n: f.number(ideaCount) })}
        </Link>
      ) : null}
    </nav>
  );
}
