/** A stable hue per campaign, so a campaign without a cover still looks like itself. */
function hueOf(seed: string) {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return h % 360;
}

/**
 * The campaign's cover in a fixed 16:9 frame. Without an uploaded image it draws a quiet
 * gradient and is hidden from assistive technology (there is nothing to describe).
 */
export function CampaignCover({
  url,
  alt,
  seed,
  eager = false,
  className = "",
}: {
  url: string | null;
  alt: string;
  seed: string;
  eager?: boolean;
  className?: string;
}) {
  if (url) {
    return (
      <div className={`cover ${className}`}>
        <img src={url} alt={alt} width={960} height={540} loading={eager ? "eager" : "lazy"} decoding="async" />
      </div>
    );
  }
  const hue = hueOf(seed);
  return (
    <div
      className={`cover cover-placeholder ${className}`}
      aria-hidden="true"
      style={{ background: `linear-gradient(135deg, hsl(${hue} 55% 86%), hsl(${(hue + 40) % 360} 50% 70%))` }}
    />
  );
}
