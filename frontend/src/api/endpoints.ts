import { api } from './client';
import type {
  AuditEntry,
  AuthResponse,
  Branding,
  Domain,
  Invitation,
  Paged,
  Tenant,
  TenantStatus,
  User,
} from './types';

const enc = encodeURIComponent;

// Endpoints that answer 401 for reasons other than an expired access token
// must not trigger the refresh-and-retry logic.
const noRefresh = { refreshOn401: false, auth: false } as const;

export const authApi = {
  login: (email: string, password: string) =>
    api.post<AuthResponse>('/api/auth/token/', { email, password }, noRefresh),
  me: () => api.get<User>('/api/me/'),
  invitation: (token: string) =>
    api.get<Invitation>(`/api/auth/invitations/${enc(token)}/`, noRefresh),
  acceptInvitation: (
    token: string,
    data: { password: string; first_name?: string; last_name?: string },
  ) => api.post<AuthResponse>(`/api/auth/invitations/${enc(token)}/accept/`, data, noRefresh),
  requestPasswordReset: (email: string) =>
    api.post<void>('/api/auth/password-reset/', { email }, noRefresh),
  confirmPasswordReset: (token: string, password: string) =>
    api.post<AuthResponse>('/api/auth/password-reset/confirm/', { token, password }, noRefresh),
};

export const brandingApi = {
  get: (signal?: AbortSignal) =>
    api.get<Branding>('/api/branding/', { auth: false, refreshOn401: false, signal }),
  update: (form: FormData) =>
    api.request<Branding>('/api/tenant/branding/', { method: 'PATCH', form }),
};

export const auditApi = {
  list: (page: number, signal?: AbortSignal) =>
    api.get<Paged<AuditEntry>>('/api/audit/', { query: { page }, signal }),
};

export interface NewTenant {
  slug: string;
  name: string;
  admin_email: string;
  seats: number;
}

export interface TenantPatch {
  name?: string;
  seats?: number;
  status?: Exclude<TenantStatus, 'provisioning'>;
}

export const platformApi = {
  listTenants: (params: { search?: string; page?: number }, signal?: AbortSignal) =>
    api.get<Paged<Tenant>>('/api/platform/tenants/', {
      query: { search: params.search, page: params.page && params.page > 1 ? params.page : undefined },
      signal,
    }),
  createTenant: (data: NewTenant) => api.post<Tenant>('/api/platform/tenants/', data),
  getTenant: (slug: string, signal?: AbortSignal) =>
    api.get<Tenant>(`/api/platform/tenants/${enc(slug)}/`, { signal }),
  updateTenant: (slug: string, data: TenantPatch) =>
    api.patch<Tenant>(`/api/platform/tenants/${enc(slug)}/`, data),
  retryProvisioning: (slug: string) =>
    api.post<Tenant>(`/api/platform/tenants/${enc(slug)}/retry/`),
  addDomain: (slug: string, host: string) =>
    api.post<Domain>(`/api/platform/tenants/${enc(slug)}/domains/`, { host }),
  verifyDomain: (slug: string, id: Domain['id']) =>
    api.post<Domain>(`/api/platform/tenants/${enc(slug)}/domains/${enc(String(id))}/verify/`),
  removeDomain: (slug: string, id: Domain['id']) =>
    api.delete(`/api/platform/tenants/${enc(slug)}/domains/${enc(String(id))}/`),
};
