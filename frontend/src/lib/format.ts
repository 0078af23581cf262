// Formatting shared by every feature: dates in the interface language, and
// short plain-text excerpts for lists.

/** formatDate renders a timestamp as a long date in the interface language. */
export function formatDate(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(iso));
}

/** formatDateTime renders a timestamp as a date and time in the interface language. */
export function formatDateTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** excerpt shortens a contribution's text for lists. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return Array.from(flat).length > max ? `${Array.from(flat).slice(0, max - 1).join('')}…` : flat;
}

/** listOf joins names the way the interface language does ("A, B and C"). */
export function listOf(items: string[], lang: string): string {
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
