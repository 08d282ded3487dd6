import { describe, expect, it } from 'vitest';
import type { Role } from '../api/types';
import { canAccess, landingPathFor, navigationFor, rolesFor } from './roles';

const paths = (role: Role) => navigationFor(role).map((item) => item.path);

describe('role → navigation', () => {
  it.each<[Role, string[]]>([
    ['platform_admin', ['/', '/platform/tenants']],
    ['content_author', ['/']],
    ['student', ['/', '/learning']],
    ['tenant_admin', ['/learning', '/hr', '/admin']],
    ['hr_manager', ['/learning', '/hr']],
    ['learner', ['/learning']],
  ])('%s sees %j', (role, expected) => {
    expect(paths(role)).toEqual(expected);
  });

  it.each<[Role, string]>([
    ['platform_admin', '/platform/tenants'],
    ['tenant_admin', '/admin'],
    ['hr_manager', '/hr'],
    ['student', '/learning'],
    ['learner', '/learning'],
    ['content_author', '/'],
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
  });
});
