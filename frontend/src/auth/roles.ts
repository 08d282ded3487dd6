import type { Role, User } from '../api/types';
import type { MessageKey } from '../i18n/messages';

export type Area = 'storefront' | 'learning' | 'team' | 'authoring' | 'hr' | 'admin' | 'platform';

export interface NavItem {
  area: Area;
  path: string;
  labelKey: MessageKey;
  /** Other path prefixes that belong to the area (highlighted as the current section). */
  prefixes: readonly string[];
}

export const NAV_ITEMS: Record<Area, NavItem> = {
  storefront: { area: 'storefront', path: '/catalog', labelKey: 'nav.storefront', prefixes: ['/catalog', '/courses/'] },
  learning: { area: 'learning', path: '/learning', labelKey: 'nav.learning', prefixes: ['/learning', '/learn/'] },
  team: { area: 'team', path: '/team', labelKey: 'nav.team', prefixes: ['/team'] },
  authoring: { area: 'authoring', path: '/authoring', labelKey: 'nav.authoring', prefixes: ['/authoring'] },
  hr: { area: 'hr', path: '/hr', labelKey: 'nav.hr', prefixes: ['/hr'] },
  admin: { area: 'admin', path: '/admin', labelKey: 'nav.admin', prefixes: ['/admin'] },
  platform: { area: 'platform', path: '/platform/tenants', labelKey: 'nav.platform', prefixes: ['/platform'] },
};

/**
 * Which areas each role sees in the navigation (in display order). The
 * catalogue is open to every signed-in role (on corporate hosts the server
 * limits it to the courses licensed to the tenant).
 */
export const ROLE_AREAS: Record<Role, readonly Area[]> = {
  platform_admin: ['storefront', 'authoring', 'platform'],
  content_author: ['storefront', 'authoring'],
  student: ['storefront', 'learning'],
  tenant_admin: ['storefront', 'learning', 'hr', 'admin'],
  hr_manager: ['storefront', 'learning', 'hr'],
  learner: ['storefront', 'learning'],
};

/** Whether `pathname` belongs to the navigation item (for the "current section" highlight). */
export function isNavItemActive(item: NavItem, pathname: string): boolean {
  if (item.area === 'storefront' && pathname === '/') return true;
  return item.prefixes.some((prefix) => pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

export const ALL_ROLES = Object.keys(ROLE_AREAS) as Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && value in ROLE_AREAS;
}

export function areasFor(role: Role): readonly Area[] {
  return ROLE_AREAS[role] ?? [];
}

export function navigationFor(role: Role): NavItem[] {
  return areasFor(role).map((area) => NAV_ITEMS[area]);
}

/** Roles of a company's people: on a corporate tenant they may have reports ("My team"). */
const CORPORATE_ROLES: readonly Role[] = ['learner', 'hr_manager', 'tenant_admin'];

/**
 * The header navigation of a signed-in user: the role's areas plus "My team" (right after
 * "My learning") for people of a corporate tenant. The team page is not role-guarded: the
 * API answers with an empty team for someone without reports.
 */
export function navigationForUser(user: Pick<User, 'role' | 'tenant'>): NavItem[] {
  const items = navigationFor(user.role);
  if (user.tenant?.kind !== 'corporate' || !CORPORATE_ROLES.includes(user.role)) return items;
  const after = items.findIndex((item) => item.area === 'learning');
  return [...items.slice(0, after + 1), NAV_ITEMS.team, ...items.slice(after + 1)];
}

export function canAccess(role: Role, area: Area): boolean {
  return areasFor(role).includes(area);
}

/** Roles allowed into an area (used by the route guards). */
export function rolesFor(area: Area): Role[] {
  return ALL_ROLES.filter((role) => canAccess(role, area));
}

/** Where a user lands after signing in. */
export function landingPathFor(role: Role): string {
  switch (role) {
    case 'platform_admin':
      return '/platform/tenants';
    case 'tenant_admin':
      return '/admin';
    case 'hr_manager':
      return '/hr';
    case 'content_author':
      return '/authoring';
    default:
      return '/learning';
  }
}
