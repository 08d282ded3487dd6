import type { Location } from 'react-router-dom';
import type { User } from '../api/types';
import { landingPathFor } from './roles';

/** Where to go after signing in: back to the guarded page the user came from, else the role's landing. */
export function postLoginPath(user: User, location: Location): string {
  const state = location.state as { from?: unknown } | null;
  const from = state?.from;
  if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')) {
    return from;
  }
  return landingPathFor(user.role);
}
