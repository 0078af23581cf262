// How the repository shows a document's date, its file's type and its size.
import type { TFunction } from 'i18next';

/** formatDay renders a calendar date (YYYY-MM-DD) in the interface language, whatever the time zone. */
export function formatDay(day: string, lang: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/**
 * formatSize renders a number of bytes as kB or MB in the interface language,
 * counting as operating systems do (1 MB = 1,048,576 bytes): the 25 MB limit
 * shows as "25 MB".
 */
export function formatSize(bytes: number, lang: string): string {
  const mb = 1024 * 1024;
  const unit = bytes >= mb ? 'megabyte' : 'kilobyte';
  const value = bytes >= mb ? bytes / mb : Math.max(bytes / 1024, 0.1);
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** fileTypes names the detected content types in words (repository.fileTypes.<name>). */
const fileTypes: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
  'application/msword': 'word',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'excel',
  'application/vnd.ms-excel': 'excel',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'powerpoint',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'text/csv': 'csv',
  'text/plain': 'text',
};

/** fileType names a file's type for people: "PDF", "Word document", "Image (PNG)"... */
export function fileType(t: TFunction, contentType: string): string {
  const name = fileTypes[contentType];
  if (name) return t(`repository.fileTypes.${name}`);
  if (contentType.startsWith('image/')) return t('repository.fileTypes.image', { format: contentType.slice(6).toUpperCase() });
  return contentType;
}

/** languageName names a language tag in the interface language ("fr" is "French"). */
export function languageName(tag: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** today is the local calendar date, YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
