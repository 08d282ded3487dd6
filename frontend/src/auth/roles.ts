import type { Role } from '../api/types';
import type { MessageKey } from '../i18n/messages';

export type Area = 'storefront' | 'learning' | 'hr' | 'admin' | 'platform';

export interface NavItem {
  area: Area;
  path: string;
  labelKey: MessageKey;
}

export const NAV_ITEMS: Record<Area, NavItem> = {
  storefront: { area: 'storefront', path: '/', labelKey: 'nav.storefront' },
  learning: { area: 'learning', path: '/learning', labelKey: 'nav.learning' },
  hr: { area: 'hr', path: '/hr', labelKey: 'nav.hr' },
  admin: { area: 'admin', path: '/admin', labelKey: 'nav.admin' },
  platform: { area: 'platform', path: '/platform/tenants', labelKey: 'nav.platform' },
};

/** Which areas each role sees in the navigation (in display order). */
export const ROLE_AREAS: Record<Role, readonly Area[]> = {
  platform_admin: ['storefront', 'platform'],
  content_author: ['storefront'],
  student: ['storefront', 'learning'],
  tenant_admin: ['learning', 'hr', 'admin'],
  hr_manager: ['learning', 'hr'],
  learner: ['learning'],
};

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
      // Content authors only have the storefront area.
      return '/';
    default:
      return '/learning';
  }
}
