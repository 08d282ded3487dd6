import type { Location } from 'react-router-dom';
import type { User } from '../api/types';
import { landingPathFor } from './roles';

/** The guarded page that sent the visitor to /login (RequireAuth's `state.from`), if it is a safe local path. */
export function intendedPath(location: Pick<Location, 'state'>): string | null {
  const state = location.state as { from?: unknown } | null;
  const from = state?.from;
  if (
    typeof from === 'string' &&
    from.startsWith('/') &&
    !from.startsWith('//') &&
    !from.includes('\\') &&
    !from.startsWith('/login')
  ) {
    return from;
  }
  return null;
}

/** Where to go after signing in: back to the guarded page the user came from, else the role's landing. */
export function postLoginPath(user: User, location: Location): string {
  return intendedPath(location) ?? landingPathFor(user.role);
}

/**
 * Where a "Sign in with …" button goes: the provider's login URL with the page to come back to.
 * The server accepts same-host paths only and falls back to /learning (as we do without one).
 */
export function ssoLoginHref(loginUrl: string, next: string | null): string {
  const separator = loginUrl.includes('?') ? '&' : '?';
  return `${loginUrl}${separator}next=${encodeURIComponent(next ?? '/learning')}`;
}

/**
 * Full-page navigation out of the SPA (SSO sign-in, connection test, single logout). An object
 * so that tests can replace `assign` (jsdom cannot navigate).
 */
export const pageNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};
