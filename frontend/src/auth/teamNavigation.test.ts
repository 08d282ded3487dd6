import { describe, expect, it } from 'vitest';
import type { Role, TenantKind } from '../api/types';
import { isNavItemActive, NAV_ITEMS, navigationForUser } from './roles';

const user = (role: Role, kind: TenantKind) => ({ role, tenant: { slug: 't', schema: 't', kind, name: 'T' } });
const paths = (role: Role, kind: TenantKind) => navigationForUser(user(role, kind)).map((item) => item.path);

describe('"My team" in the header', () => {
  it('is shown to people of a corporate tenant, right after "My learning"', () => {
    expect(paths('learner', 'corporate')).toEqual(['/catalog', '/learning', '/team']);
    expect(paths('hr_manager', 'corporate')).toEqual(['/catalog', '/learning', '/team', '/hr']);
    expect(paths('tenant_admin', 'corporate')).toEqual(['/catalog', '/learning', '/team', '/hr', '/admin']);
  });

  it('is not shown on the public storefront or to platform roles', () => {
    expect(paths('hr_manager', 'public')).toEqual(['/catalog', '/learning', '/hr']);
    expect(paths('student', 'public')).toEqual(['/catalog', '/learning']);
    expect(paths('platform_admin', 'corporate')).toEqual(['/catalog', '/authoring', '/platform/tenants']);
  });

  it('highlights the team section', () => {
    expect(isNavItemActive(NAV_ITEMS.team, '/team')).toBe(true);
    expect(isNavItemActive(NAV_ITEMS.hr, '/hr/employees/3')).toBe(true);
  });
});
