import { useSyncExternalStore } from 'react'
import { getCredentials, subscribeCredentials, type Credentials } from '../../api/credentials'

/** The stored API key (and why the last session ended), re-rendering when either changes. */
export function useCredentials(): Credentials {
  return useSyncExternalStore(subscribeCredentials, getCredentials)
}
