import { useCallback, useState } from 'react';

/**
 * useAnnouncer keeps what a page's polite live region says: announce replaces
 * it, and the same words twice in a row are changed a little (a no-break
 * space) so that screen readers say them again.
 */
export function useAnnouncer(): [string, (text: string) => void] {
  const [text, setText] = useState('');
  const announce = useCallback((next: string) => setText((prev) => (prev === next ? `${next}\u00a0` : next)), []);
  return [text, announce];
}
