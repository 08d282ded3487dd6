export type Lang = 'ru' | 'en';

export type Role =
  | 'platform_admin'
  | 'content_author'
  | 'student'
  | 'tenant_admin'
  | 'hr_manager'
  | 'learner';

export type TenantKind = 'public' | 'corporate';

export interface UserTenant {
  slug: string;
  schema: string;
  kind: TenantKind;
  name: string;
}

export interface User {
  id: number | string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  language: string;
  tenant: UserTenant;
}

export interface AuthResponse {
  access: string;
  user: User;
}

export interface Paged<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Branding {
  display_name: string;
  logo_url: string | null;
  favicon_url: string | null;
  primary_color: string;
  accent_color: string;
  support_email: string | null;
  metrika_id: string | number | null;
  tenant: { slug: string; kind: TenantKind; name: string };
}

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'archived';
export type ProvisioningState = 'pending' | 'running' | 'failed' | 'done';

export interface Domain {
  id: number | string;
  host: string;
  is_primary: boolean;
  verified: boolean;
  verification_txt_name: string;
  verification_txt_value: string;
}

export interface Tenant {
  slug: string;
  name: string;
  kind: TenantKind;
  status: TenantStatus;
  seats: number;
  admin_email: string;
  primary_url: string;
  created_at: string;
  updated_at: string;
  provisioning: {
    state: ProvisioningState;
    progress: number;
    step: string;
    error: string | null;
  };
  domains: Domain[];
}

export interface Invitation {
  email: string;
  tenant_name: string;
  expires_at: string;
}

export interface AuditEntry {
  id: number | string;
  created_at: string;
  actor_email: string | null;
  action: string;
  target: string;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export const PAGE_SIZE = 25;
