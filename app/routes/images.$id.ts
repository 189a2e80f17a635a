import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { readImage } from "~/services/images.server";
import { notFound } from "~/web/responses";

// Uploaded images never change under an id, so browsers and CDNs may keep them for a year.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const image = await readImage(await getDb(), params.id ?? "");
  if (!image) notFound("Image not found");
  const etag = `"${image.sha256}"`;
  const headers = {
    "Content-Type": image.content_type,
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(image.bytes, { headers: { ...headers, "Content-Length": String(image.byte_size) } });
}
