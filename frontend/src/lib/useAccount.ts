import { useSyncExternalStore } from 'react';
import { currentAccount, subscribe, type Account } from '../api/session';

/** useAccount returns the signed-in account, or null, and re-renders on change. */
export function useAccount(): Account | null {
  return useSyncExternalStore(subscribe, currentAccount, currentAccount);
}
