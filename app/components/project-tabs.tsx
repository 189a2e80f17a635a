import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";

// The sections of a project: its campaign page and its comments (with the maintained count).

export function ProjectTabs({
  slug,
  commentCount,
  current,
}: {
  slug: string;
  commentCount: number;
  current: "campaign" | "comments" | null;
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
    </nav>
  );
}
