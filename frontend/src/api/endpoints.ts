import { api, type DownloadedFile } from './client';
import type {
  AssignmentListStatus,
  Assignment,
  AssignPayload,
  AssignResult,
  AuditEntry,
  BulkAssignmentAction,
  BulkAssignmentResult,
  Dashboard,
  Department,
  EmailPreferences,
  Employee,
  EmployeeFilters,
  EmployeePatch,
  ExportFormat,
  Group,
  GroupMembersChange,
  ImportJob,
  NewEmployee,
  NotificationSettings,
  ReportFilters,
  Rule,
  RuleInput,
  RuleSaved,
  SeatUsage,
  SsoDiscovery,
  SsoInvitationOptions,
  SsoLoginDomain,
  SsoLoginOptions,
  SsoProvider,
  SsoProviderChange,
  SsoProviderInput,
  SsoProviderList,
  SsoProviderPatch,
  SsoSettings,
  SsoSettingsPatch,
  TeamMember,
  Transcript,
  AuthoringCourse,
  AuthoringLesson,
  AuthoringModule,
  AuthResponse,
  Branding,
  Category,
  CertificateVerification,
  CompletedPart,
  CourseCard,
  CourseLicense,
  CourseDetail,
  CoursePatch,
  Domain,
  EnrolmentSummary,
  Id,
  Invitation,
  LicenseGrant,
  LessonContent,
  LessonKind,
  LessonPatch,
  MediaAsset,
  MyLearning,
  NewCourse,
  Paged,
  ProgressBody,
  ProgressResult,
  QuizAnswers,
  QuizAttempt,
  QuizResult,
  ReorderPayload,
  Tenant,
  TenantStatus,
  UploadKind,
  UploadStatus,
  UploadTicket,
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
  /** 403 `sso_required` when the company signs in through its identity provider only. */
  acceptInvitation: (
    token: string,
    data: { password: string; first_name?: string; last_name?: string },
  ) => api.post<AuthResponse>(`/api/auth/invitations/${enc(token)}/accept/`, data, noRefresh),
  /**
   * Accepting an invitation through single sign-on: the host's providers, each with a one-time login URL
   * bound to this invitation (go there with a full-page navigation). 404 unknown, 410 expired or used.
   */
  ssoInvitation: (token: string) =>
    api.post<SsoInvitationOptions>(`/api/auth/sso/invitations/${enc(token)}/`, undefined, noRefresh),
  requestPasswordReset: (email: string) =>
    api.post<void>('/api/auth/password-reset/', { email }, noRefresh),
  confirmPasswordReset: (token: string, password: string) =>
    api.post<AuthResponse>('/api/auth/password-reset/confirm/', { token, password }, noRefresh),
  /** The single sign-on buttons of this host (none on the storefront). */
  ssoOptions: (signal?: AbortSignal) =>
    api.get<SsoLoginOptions>('/api/auth/sso/options/', { ...noRefresh, signal }),
  /** Home-realm discovery on the base domain: the company sign-in URL for this address, if any (404 elsewhere). */
  ssoDiscover: (email: string, signal?: AbortSignal) =>
    api.post<SsoDiscovery>('/api/auth/sso/discover/', { email }, { ...noRefresh, signal }),
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
  listLicenses: (slug: string, signal?: AbortSignal) =>
    api.get<CourseLicense[]>(`/api/platform/tenants/${enc(slug)}/licenses/`, { signal }),
  /** 409 `license_exists`; 400 with `fields.course_slug` for an unknown course. */
  grantLicense: (slug: string, data: LicenseGrant) =>
    api.post<CourseLicense>(`/api/platform/tenants/${enc(slug)}/licenses/`, data),
  revokeLicense: (slug: string, id: CourseLicense['id']) =>
    api.delete(`/api/platform/tenants/${enc(slug)}/licenses/${enc(String(id))}/`),
};

// --- Catalogue and learning (any host) -------------------------------------

const id = (value: Id) => enc(String(value));

export const catalogApi = {
  /** `query` comes from catalogQuery() (search, category, level, language, free, page). */
  courses: (query: Record<string, string>, signal?: AbortSignal) =>
    api.get<Paged<CourseCard>>('/api/catalog/courses/', { query, signal }),
  categories: (signal?: AbortSignal) => api.get<Category[]>('/api/catalog/categories/', { signal }),
  course: (slug: string, options: { preview?: boolean } = {}, signal?: AbortSignal) =>
    api.get<CourseDetail>(`/api/catalog/courses/${enc(slug)}/`, {
      query: { preview: options.preview ? '1' : undefined },
      signal,
    }),
  /** 201 new / 200 existing enrolment; 402 `payment_required` for paid courses. */
  enrol: (slug: string) => api.post<Partial<EnrolmentSummary>>(`/api/catalog/courses/${enc(slug)}/enrol/`),
};

export const learningApi = {
  my: (signal?: AbortSignal) => api.get<MyLearning>('/api/learning/my/', { signal }),
  course: (slug: string, signal?: AbortSignal) =>
    api.get<CourseDetail>(`/api/learning/courses/${enc(slug)}/`, { signal }),
  lesson: (lessonId: Id, signal?: AbortSignal) =>
    api.get<LessonContent>(`/api/learning/lessons/${id(lessonId)}/`, { signal }),
  saveProgress: (lessonId: Id, body: ProgressBody, keepalive = false) =>
    api.put<ProgressResult>(`/api/learning/lessons/${id(lessonId)}/progress/`, body, { keepalive }),
  startAttempt: (lessonId: Id) => api.post<QuizAttempt>(`/api/learning/lessons/${id(lessonId)}/attempts/`),
  submitAttempt: (attemptId: Id, answers: QuizAnswers) =>
    api.post<QuizResult>(`/api/learning/attempts/${id(attemptId)}/submit/`, { answers }),
  certificatePdf: (url: string) => api.getBlob(url),
};

export const verifyApi = {
  get: (code: string, signal?: AbortSignal) =>
    api.get<CertificateVerification>(`/api/verify/${enc(code)}/`, { auth: false, refreshOn401: false, signal }),
};

// --- Authoring (storefront host) --------------------------------------------

export const authoringApi = {
  /** The server may answer with a plain list (not paged); both are accepted. */
  courses: async (page: number, signal?: AbortSignal): Promise<Paged<CourseCard>> => {
    const data = await api.get<Paged<CourseCard> | CourseCard[]>('/api/authoring/courses/', {
      query: { page: page > 1 ? page : undefined },
      signal,
    });
    return Array.isArray(data) ? { count: data.length, next: null, previous: null, results: data } : data;
  },
  createCourse: (data: NewCourse) => api.post<AuthoringCourse>('/api/authoring/courses/', data),
  course: (slug: string, signal?: AbortSignal) =>
    api.get<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/`, { signal }),
  updateCourse: (slug: string, data: CoursePatch) =>
    api.patch<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/`, data),
  deleteCourse: (slug: string) => api.delete(`/api/authoring/courses/${enc(slug)}/`),
  uploadCover: (slug: string, file: File) => {
    const form = new FormData();
    form.append('cover', file);
    return api.request<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/cover/`, { method: 'POST', form });
  },
  publish: (slug: string) => api.post<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/publish/`),
  unpublish: (slug: string) => api.post<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/unpublish/`),
  archive: (slug: string) => api.post<AuthoringCourse>(`/api/authoring/courses/${enc(slug)}/archive/`),
  addModule: (slug: string, title: string) =>
    api.post<AuthoringModule>(`/api/authoring/courses/${enc(slug)}/modules/`, { title }),
  updateModule: (moduleId: Id, title: string) =>
    api.patch<AuthoringModule>(`/api/authoring/modules/${id(moduleId)}/`, { title }),
  deleteModule: (moduleId: Id) => api.delete(`/api/authoring/modules/${id(moduleId)}/`),
  addLesson: (moduleId: Id, data: { title: string; kind: LessonKind; is_free_preview?: boolean; is_required?: boolean }) =>
    api.post<AuthoringLesson>(`/api/authoring/modules/${id(moduleId)}/lessons/`, data),
  updateLesson: (lessonId: Id, data: LessonPatch) =>
    api.patch<AuthoringLesson>(`/api/authoring/lessons/${id(lessonId)}/`, data),
  deleteLesson: (lessonId: Id) => api.delete(`/api/authoring/lessons/${id(lessonId)}/`),
  reorder: (slug: string, payload: ReorderPayload) =>
    api.post<unknown>(`/api/authoring/courses/${enc(slug)}/reorder/`, payload),
};

export const uploadsApi = {
  create: (data: { filename: string; size: number; content_type: string; kind: UploadKind }) =>
    api.post<UploadTicket>('/api/authoring/uploads/', data),
  partUrls: (assetId: Id, partNumbers: number[]) =>
    api.post<{ urls: Record<string, string> }>(`/api/authoring/uploads/${id(assetId)}/parts/`, {
      part_numbers: partNumbers,
    }),
  status: (assetId: Id) => api.get<UploadStatus>(`/api/authoring/uploads/${id(assetId)}/`),
  /** Tell the server a part is stored, so a resumed upload can skip it (storage may lack ListParts). */
  reportPart: (assetId: Id, partNumber: number, etag: string, size: number) =>
    api.post<void>(`/api/authoring/uploads/${id(assetId)}/parts/${partNumber}/`, { etag, size }),
  complete: (assetId: Id, parts: CompletedPart[]) =>
    api.post<MediaAsset>(`/api/authoring/uploads/${id(assetId)}/complete/`, { parts }),
  abort: (assetId: Id) => api.delete(`/api/authoring/uploads/${id(assetId)}/`),
};

export type UploadsApi = typeof uploadsApi;

// --- Corporate HR (tenant host; hr_manager and tenant_admin) ----------------

/** Largest page the API serves (lib/pagination.py); used for pick lists. */
const PICK_LIST_SIZE = 200;

const pageQuery = (page?: number) => (page && page > 1 ? page : undefined);

export const hrApi = {
  employees: (filters: EmployeeFilters = {}, signal?: AbortSignal) =>
    api.get<Paged<Employee>>('/api/hr/employees/', {
      query: { ...filters, page: pageQuery(filters.page) },
      signal,
    }),
  /** 409 `seat_limit_reached` (details: used, limit) or `user_exists`; 403 for roles by an HR manager. */
  createEmployee: (data: NewEmployee) => api.post<Employee>('/api/hr/employees/', data),
  employee: (employeeId: Id, signal?: AbortSignal) =>
    api.get<Employee>(`/api/hr/employees/${id(employeeId)}/`, { signal }),
  updateEmployee: (employeeId: Id, data: EmployeePatch) =>
    api.patch<Employee>(`/api/hr/employees/${id(employeeId)}/`, data),
  deactivate: (employeeId: Id) => api.post<Employee>(`/api/hr/employees/${id(employeeId)}/deactivate/`),
  /** 409 `seat_limit_reached` when no seat is free. */
  reactivate: (employeeId: Id) => api.post<Employee>(`/api/hr/employees/${id(employeeId)}/reactivate/`),
  /** 409 `not_invited` for someone who already signed in. */
  resendInvitation: (employeeId: Id) => api.post<Employee>(`/api/hr/employees/${id(employeeId)}/invite/`),
  transcript: (employeeId: Id, signal?: AbortSignal) =>
    api.get<Transcript>(`/api/hr/employees/${id(employeeId)}/transcript/`, { signal }),
  seats: (signal?: AbortSignal) => api.get<SeatUsage>('/api/hr/seats/', { signal }),

  departments: (signal?: AbortSignal) => api.get<{ results: Department[] }>('/api/hr/departments/', { signal }),
  createDepartment: (data: { name: string; parent_id: number | null }) =>
    api.post<Department>('/api/hr/departments/', data),
  updateDepartment: (departmentId: Id, data: { name?: string; parent_id?: number | null }) =>
    api.patch<Department>(`/api/hr/departments/${id(departmentId)}/`, data),
  /** 409 `department_not_empty` while it has sub-departments or employees. */
  deleteDepartment: (departmentId: Id) => api.delete(`/api/hr/departments/${id(departmentId)}/`),

  groups: (params: { search?: string; page?: number; page_size?: number } = {}, signal?: AbortSignal) =>
    api.get<Paged<Group>>('/api/hr/groups/', { query: { ...params, page: pageQuery(params.page) }, signal }),
  allGroups: (signal?: AbortSignal) => hrApi.groups({ page_size: PICK_LIST_SIZE }, signal),
  group: (groupId: Id, signal?: AbortSignal) => api.get<Group>(`/api/hr/groups/${id(groupId)}/`, { signal }),
  createGroup: (data: { name: string; description?: string }) => api.post<Group>('/api/hr/groups/', data),
  updateGroup: (groupId: Id, data: { name?: string; description?: string }) =>
    api.patch<Group>(`/api/hr/groups/${id(groupId)}/`, data),
  deleteGroup: (groupId: Id) => api.delete(`/api/hr/groups/${id(groupId)}/`),
  groupMembers: (groupId: Id, page: number, signal?: AbortSignal) =>
    api.get<Paged<Employee>>(`/api/hr/groups/${id(groupId)}/members/`, { query: { page: pageQuery(page) }, signal }),
  /** Employee ids (not user ids). */
  changeGroupMembers: (groupId: Id, change: GroupMembersChange) =>
    api.post<{ added: number; removed: number }>(`/api/hr/groups/${id(groupId)}/members/`, change),

  imports: (page: number, signal?: AbortSignal) =>
    api.get<Paged<ImportJob>>('/api/hr/imports/', { query: { page: pageQuery(page) }, signal }),
  /** Multipart; 202 with the queued job, 413 above 10 MB. */
  startImport: (file: File, options: { dryRun: boolean; sendInvitations: boolean }) => {
    const form = new FormData();
    form.append('file', file);
    form.append('dry_run', options.dryRun ? 'true' : 'false');
    form.append('send_invitations', options.sendInvitations ? 'true' : 'false');
    return api.request<ImportJob>('/api/hr/imports/', { method: 'POST', form });
  },
  importJob: (jobId: Id, signal?: AbortSignal) => api.get<ImportJob>(`/api/hr/imports/${id(jobId)}/`, { signal }),

  assignments: (
    params: { course?: string; user?: string; status?: AssignmentListStatus | ''; page?: number },
    signal?: AbortSignal,
  ) => api.get<Paged<Assignment>>('/api/hr/assignments/', { query: { ...params, page: pageQuery(params.page) }, signal }),
  assign: (payload: AssignPayload) => api.post<AssignResult>('/api/hr/assignments/', payload),
  bulkAssignments: (action: BulkAssignmentAction) =>
    api.post<BulkAssignmentResult>('/api/hr/assignments/bulk/', action),

  rules: (signal?: AbortSignal) => api.get<{ results: Rule[] }>('/api/hr/rules/', { signal }),
  createRule: (data: RuleInput) => api.post<RuleSaved>('/api/hr/rules/', data),
  updateRule: (ruleId: Id, data: Partial<RuleInput>) => api.patch<RuleSaved>(`/api/hr/rules/${id(ruleId)}/`, data),
  deleteRule: (ruleId: Id) => api.delete(`/api/hr/rules/${id(ruleId)}/`),

  notificationSettings: (signal?: AbortSignal) =>
    api.get<NotificationSettings>('/api/hr/notification-settings/', { signal }),
  updateNotificationSettings: (data: Partial<NotificationSettings>) =>
    api.patch<NotificationSettings>('/api/hr/notification-settings/', data),

  dashboard: (filters: ReportFilters, signal?: AbortSignal) =>
    api.get<Dashboard>('/api/hr/reports/dashboard/', { query: { ...filters }, signal }),
  /** The streamed CSV/XLSX report, fetched with the bearer token (the browser cannot attach it). */
  exportReport: (format: ExportFormat, filters: ReportFilters): Promise<DownloadedFile> =>
    api.download('/api/hr/reports/export/', { query: { file: format, ...filters } }),

  /**
   * Every course the tenant may assign (the tenant catalogue), following `next` pages.
   * Capped at `maxPages` pages of 200 to keep a runaway catalogue from looping.
   */
  assignableCourses: async (signal?: AbortSignal, maxPages = 10): Promise<CourseCard[]> => {
    const courses: CourseCard[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const data = await api.get<Paged<CourseCard>>('/api/catalog/courses/', {
        query: { page_size: PICK_LIST_SIZE, page: pageQuery(page) },
        signal,
      });
      courses.push(...data.results);
      if (!data.next) break;
    }
    return courses;
  },
};

// --- Any member of a corporate tenant ----------------------------------------

export const teamApi = {
  /** The caller's direct and indirect reports; an empty list for people without reports. */
  team: (signal?: AbortSignal) => api.get<{ results: TeamMember[] }>('/api/team/', { signal }),
};

export const preferencesApi = {
  get: (signal?: AbortSignal) => api.get<EmailPreferences>('/api/me/preferences/', { signal }),
  update: (data: Partial<EmailPreferences>) => api.patch<EmailPreferences>('/api/me/preferences/', data),
};

// --- Single sign-on configuration (corporate host; tenant_admin) -------------

export type SsoMetadataSource = { url: string } | { xml: string } | { file: File };

export const ssoApi = {
  /** The providers plus the names of the attribute-mapping presets. */
  providers: (signal?: AbortSignal) => api.get<SsoProviderList>('/api/sso/providers/', { signal }),
  /** 409 `idp_exists` (same slug or entity ID); metadata/discovery problems are field errors. */
  createProvider: (data: SsoProviderInput) => api.post<SsoProvider>('/api/sso/providers/', data),
  provider: (providerId: Id, signal?: AbortSignal) =>
    api.get<SsoProvider>(`/api/sso/providers/${id(providerId)}/`, { signal }),
  /** 400 `idp_not_configured` when enabling a provider without metadata (SAML) or discovery and client (OIDC). */
  updateProvider: (providerId: Id, data: SsoProviderPatch) =>
    api.patch<SsoProvider>(`/api/sso/providers/${id(providerId)}/`, data),
  deleteProvider: (providerId: Id) => api.delete(`/api/sso/providers/${id(providerId)}/`),
  /** (Re-)import SAML metadata: a file (multipart), its URL or the XML itself. */
  importMetadata: (providerId: Id, source: SsoMetadataSource) => {
    const path = `/api/sso/providers/${id(providerId)}/metadata/`;
    if ('file' in source) {
      const form = new FormData();
      form.append('file', source.file);
      return api.request<SsoProvider>(path, { method: 'POST', form });
    }
    return api.post<SsoProvider>(path, source);
  },
  /** A one-time URL (60 s) that runs a test sign-in at the IdP and shows the attributes received. */
  testProvider: (providerId: Id) => api.post<{ url: string }>(`/api/sso/providers/${id(providerId)}/test/`),
  history: (providerId: Id, signal?: AbortSignal) =>
    api.get<{ results: SsoProviderChange[] }>(`/api/sso/providers/${id(providerId)}/history/`, { signal }),

  settings: (signal?: AbortSignal) => api.get<SsoSettings>('/api/sso/settings/', { signal }),
  /** 400 with `fields.sso_required` when no provider is enabled or no fallback admin is chosen. */
  updateSettings: (data: SsoSettingsPatch) => api.patch<SsoSettings>('/api/sso/settings/', data),

  domains: (signal?: AbortSignal) => api.get<{ results: SsoLoginDomain[] }>('/api/sso/domains/', { signal }),
  /** 400 `invalid_domain`, 409 `domain_taken`. */
  addDomain: (domain: string) => api.post<SsoLoginDomain>('/api/sso/domains/', { domain }),
  /** 400 `verification_failed` until the TXT record is published, `dns_unavailable` when DNS does not answer. */
  verifyDomain: (domainId: Id) => api.post<SsoLoginDomain>(`/api/sso/domains/${id(domainId)}/verify/`),
  removeDomain: (domainId: Id) => api.delete(`/api/sso/domains/${id(domainId)}/`),
};
