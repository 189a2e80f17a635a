/** Where a stored image is served (routes/images.$id.ts), for pages, cards and emails. */
export function imageUrl(imageId: string): string {
  return `/images/${imageId}`;
}
