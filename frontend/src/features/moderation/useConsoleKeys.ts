import { useEffect, useEffectEvent } from 'react';

/** isTyping says whether a key pressed on target would type into a field (so it is no shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/**
 * useConsoleKeys runs the console's one-key shortcuts (j, k, a, r, e, ?),
 * except while the person types, in a form that turns them off
 * (data-shortcuts="off"), in a dialog, or while paused (the help is open).
 */
export function useConsoleKeys(actions: Record<string, () => void>, paused: boolean) {
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || paused) return;
    if (isTyping(e.target) || (e.target instanceof Element && e.target.closest('[data-shortcuts="off"], [role="dialog"]'))) return;
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
