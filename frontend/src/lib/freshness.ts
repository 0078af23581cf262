// Public reads carry `Cache-Control: max-age=5`, so right after this tab wrote
// something the browser (or a CDN) could answer a refetch, or a reload, with
// the page as it was before. For a short while after a write, reads of that
// scope (a document's id, or a name such as "idea-5") revalidate instead. The
// time of the write is kept in sessionStorage so that a reload of the tab
// knows it too.
const revalidateFor = 15_000;
const writtenAt = new Map<number | string, number>();
const storageKey = (scope: number | string) => `cocreate.wrote.${scope}`;

/** noteWrite records that this tab just changed something in a scope (a document's id, or a name). */
export function noteWrite(scope: number | string) {
  const now = Date.now();
  writtenAt.set(scope, now);
  try {
    sessionStorage.setItem(storageKey(scope), String(now));
  } catch {
    // storage unavailable: this page still knows
  }
}

/** cacheMode is how to read a scope: past the browser's cache for a short while after this tab wrote in it. */
export function cacheMode(scope: number | string): RequestCache {
  let at = writtenAt.get(scope);
  if (at === undefined) {
    try {
      at = Number(sessionStorage.getItem(storageKey(scope))) || undefined;
    } catch {
      at = undefined;
    }
  }
  return at !== undefined && Date.now() - at < revalidateFor ? 'no-cache' : 'default';
}
