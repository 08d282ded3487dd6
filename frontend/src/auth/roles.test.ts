import { describe, expect, it } from 'vitest';
import type { Role } from '../api/types';
import { canAccess, isNavItemActive, landingPathFor, NAV_ITEMS, navigationFor, rolesFor } from './roles';

const paths = (role: Role) => navigationFor(role).map((item) => item.path);

describe('role → navigation', () => {
  it.each<[Role, string[]]>([
    ['platform_admin', ['/catalog', '/authoring', '/platform/tenants']],
    ['content_author', ['/catalog', '/authoring']],
    ['student', ['/catalog', '/learning']],
    ['tenant_admin', ['/catalog', '/learning', '/hr', '/admin']],
    ['hr_manager', ['/catalog', '/learning', '/hr']],
    ['learner', ['/catalog', '/learning']],
  ])('%s sees %j', (role, expected) => {
    expect(paths(role)).toEqual(expected);
  });

  it.each<[Role, string]>([
    ['platform_admin', '/platform/tenants'],
    ['tenant_admin', '/admin'],
    ['hr_manager', '/hr'],
    ['student', '/learning'],
    ['learner', '/learning'],
    ['content_author', '/authoring'],
  ])('%s lands on %s after login', (role, path) => {
    expect(landingPathFor(role)).toBe(path);
  });

  it('every landing page is an area the role can open', () => {
    for (const role of ['platform_admin', 'content_author', 'student', 'tenant_admin', 'hr_manager', 'learner'] as Role[]) {
      expect(paths(role)).toContain(landingPathFor(role));
    }
  });

  it('guards areas by role', () => {
    expect(canAccess('tenant_admin', 'admin')).toBe(true);
    expect(canAccess('hr_manager', 'admin')).toBe(false);
    expect(canAccess('learner', 'hr')).toBe(false);
    expect(canAccess('platform_admin', 'learning')).toBe(false);
    expect(rolesFor('platform')).toEqual(['platform_admin']);
    expect(rolesFor('hr').sort()).toEqual(['hr_manager', 'tenant_admin']);
    expect(rolesFor('authoring').sort()).toEqual(['content_author', 'platform_admin']);
    expect(rolesFor('learning').sort()).toEqual(['hr_manager', 'learner', 'student', 'tenant_admin']);
    expect(canAccess('content_author', 'learning')).toBe(false);
    expect(canAccess('student', 'authoring')).toBe(false);
  });

  it('shows the catalogue to every role, labelled "Catalogue"', () => {
    for (const role of ['platform_admin', 'content_author', 'student', 'tenant_admin', 'hr_manager', 'learner'] as Role[]) {
      expect(navigationFor(role)[0]).toMatchObject({ area: 'storefront', labelKey: 'nav.storefront' });
    }
  });

  it('highlights the section of nested pages', () => {
    expect(isNavItemActive(NAV_ITEMS.storefront, '/')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.storefront, '/courses/intro')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.learning, '/learn/intro/lessons/3')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.learning, '/learning')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.learning, '/learningx')).toBe(false);
    expect(isNavItemActive(NAV_ITEMS.authoring, '/authoring/courses/intro')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.platform, '/platform/tenants/acme')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.learning, '/')).toBe(false);
  });
});
