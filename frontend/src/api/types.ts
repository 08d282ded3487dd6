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

/** A tenant's right to a course; `course_slug: null` covers the whole catalogue. */
export interface CourseLicense {
  id: number | string;
  course_slug: string | null;
  granted_at: string;
  granted_by: string | number | null;
}

/** POST body: one course or the whole catalogue. */
export type LicenseGrant = { course_slug: string } | { all: true };

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

// ---------------------------------------------------------------------------
// Catalogue, learning and authoring (docs/learning-api.md)

export type Id = number | string;

/** Money in minor units (kopecks, cents). */
export interface Money {
  amount: number;
  currency: string;
}

export type CourseLevel = 'beginner' | 'intermediate' | 'advanced';
export const COURSE_LEVELS: readonly CourseLevel[] = ['beginner', 'intermediate', 'advanced'];
export type CourseLanguage = 'ru' | 'en';
export const COURSE_LANGUAGES: readonly CourseLanguage[] = ['ru', 'en'];
export type LessonKind = 'video' | 'article' | 'file' | 'quiz';
export const LESSON_KINDS: readonly LessonKind[] = ['video', 'article', 'file', 'quiz'];

export interface Category {
  slug: string;
  name: string;
}

export type EnrolmentStatus = 'active' | 'completed' | 'revoked';

export interface EnrolmentSummary {
  status: EnrolmentStatus;
  progress_percent: number;
}

export interface CourseCard {
  slug: string;
  title: string;
  subtitle: string;
  cover_url: string | null;
  category: Category | null;
  tags: string[];
  level: CourseLevel;
  language: CourseLanguage;
  estimated_minutes: number | null;
  price: Money;
  is_free: boolean;
  lesson_count: number;
  /** Authors only (e.g. "draft", "published"). */
  status?: string;
  enrolment: EnrolmentSummary | null;
}

export interface AssignedCourse extends CourseCard {
  due_at: string | null;
  /** Mandatory (true) or recommended (false); older servers leave it out. */
  required?: boolean;
}

export interface LessonSummary {
  id: Id;
  title: string;
  kind: LessonKind;
  position: number;
  is_free_preview: boolean;
  is_required: boolean;
  duration_seconds: number | null;
  /** Learner views only. */
  completed?: boolean;
  /** Not enrolled and not a free preview. */
  locked?: boolean;
}

export interface CourseModule<L extends LessonSummary = LessonSummary> {
  id: Id;
  title: string;
  position: number;
  lessons: L[];
}

export interface CourseDetail extends CourseCard {
  description_html: string;
  authors: Array<{ name: string }>;
  modules: CourseModule[];
}

export interface VideoProgress {
  position_seconds: number;
  watched_seconds: number;
  completed: boolean;
}

export interface LessonVideo {
  playback_url: string;
  expires_at: string;
  duration_seconds: number | null;
  content_type: string;
}

export interface LessonFile {
  download_url: string;
  filename: string;
  size: number;
}

export interface QuizInfo {
  pass_mark: number;
  /** 0 = unlimited. */
  attempt_limit: number;
  attempts_used: number;
  best_score: number | null;
  passed: boolean;
  question_count: number;
}

export interface LessonContent extends LessonSummary {
  video?: LessonVideo;
  progress?: VideoProgress;
  body_html?: string;
  file?: LessonFile;
  quiz?: QuizInfo;
  course: { slug: string; title: string };
  next_lesson_id: Id | null;
  previous_lesson_id: Id | null;
}

export interface ProgressBody {
  position_seconds: number;
  watched_seconds: number;
}

export interface ProgressResult extends ProgressBody {
  completed: boolean;
  course_progress_percent: number;
}

export type QuestionKind = 'single' | 'multiple';

export interface QuizQuestion {
  id: Id;
  text: string;
  kind: QuestionKind;
  options: Array<{ id: Id; text: string }>;
}

export interface QuizAttempt {
  attempt_id: Id;
  questions: QuizQuestion[];
}

export type QuizAnswers = Record<string, Id[]>;

export interface Certificate {
  code: string;
  course_slug: string;
  course_title: string;
  issued_at: string;
  revoked_at: string | null;
  pdf_url: string;
  verify_url: string;
}

export interface QuizResult {
  score_percent: number;
  passed: boolean;
  pass_mark: number;
  results: Array<{ question_id: Id; correct: boolean; correct_option_ids: Id[] }>;
  course_progress_percent: number;
  certificate: Certificate | null;
}

export interface MyLearning {
  in_progress: CourseCard[];
  assigned: AssignedCourse[];
  completed: CourseCard[];
  certificates: Certificate[];
}

export interface CertificateVerification {
  code: string;
  learner_name: string;
  course_title: string;
  school_name: string;
  issued_at: string;
  valid: boolean;
  revoked_at: string | null;
}

// Authoring

export interface MediaAsset {
  id: Id;
  status: string;
  content_type: string;
  size: number;
  filename: string;
  duration_seconds: number | null;
}

export interface QuizSpecOption {
  id?: Id;
  text: string;
  is_correct: boolean;
}

export interface QuizSpecQuestion {
  id?: Id;
  text: string;
  kind: QuestionKind;
  options: QuizSpecOption[];
}

export interface QuizSpec {
  pass_mark: number;
  attempt_limit: number;
  shuffle: boolean;
  questions: QuizSpecQuestion[];
}

export interface AuthoringLesson extends LessonSummary {
  body_md?: string;
  /** The attached upload (the server calls it `media`; `media_asset` accepted too). */
  media?: MediaAsset | null;
  media_asset?: MediaAsset | null;
  media_asset_id?: Id | null;
  quiz?: QuizSpec | null;
}

export type AuthoringModule = CourseModule<AuthoringLesson>;

export interface AuthoringCourse extends CourseCard {
  description_md: string;
  category_slug?: string | null;
  /** What still blocks publishing (informational; publish re-checks). */
  publication_problems?: string[];
  modules: AuthoringModule[];
}

export interface NewCourse {
  slug: string;
  title: string;
  subtitle?: string;
  description_md?: string;
  category_slug?: string;
  tags?: string[];
  level?: CourseLevel;
  language?: CourseLanguage;
  estimated_minutes?: number;
  price_amount?: number;
  currency?: string;
}

/** `category_slug: null` clears the category. */
export type CoursePatch = Partial<Omit<NewCourse, 'slug' | 'category_slug'>> & { category_slug?: string | null };

export interface LessonPatch {
  title?: string;
  is_free_preview?: boolean;
  is_required?: boolean;
  body_md?: string;
  media_asset_id?: Id | null;
  quiz?: QuizSpec;
}

export interface ReorderPayload {
  modules: Array<{ id: Id; lessons: Id[] }>;
}

export type UploadKind = 'video' | 'file';

export interface UploadTicket {
  asset_id: Id;
  part_size: number;
  part_count: number;
}

export interface UploadedPart {
  part_number: number;
  etag: string;
  size: number;
}

export interface UploadStatus {
  asset_id: Id;
  status: 'uploading' | 'ready' | 'rejected' | string;
  uploaded_parts: UploadedPart[];
  part_size: number;
  part_count: number;
}

export interface CompletedPart {
  part_number: number;
  etag: string;
}

// ---------------------------------------------------------------------------
// Corporate HR (lms/corporate/api): directory, imports, assignments, rules, reports

export type TenantRole = Extract<Role, 'learner' | 'hr_manager' | 'tenant_admin'>;
export const TENANT_ROLES: readonly TenantRole[] = ['learner', 'hr_manager', 'tenant_admin'];

export type EmployeeStatus = 'invited' | 'active' | 'deactivated';
export const EMPLOYEE_STATUSES: readonly EmployeeStatus[] = ['invited', 'active', 'deactivated'];

export interface EmployeeRef {
  id: number;
  email: string;
  name: string;
}

export interface Employee {
  id: number;
  user_id: number;
  email: string;
  first_name: string;
  last_name: string;
  full_name: string;
  role: Role;
  language: string;
  status: EmployeeStatus;
  employee_id: string;
  title: string;
  location: string;
  /** YYYY-MM-DD */
  hire_date: string | null;
  department: { id: number; path: string } | null;
  manager: EmployeeRef | null;
  groups: Array<{ id: number; name: string }>;
  email_reminders: boolean;
  email_digest: boolean;
  deactivated_at: string | null;
  created_at: string;
}

export interface EmployeeFilters {
  search?: string;
  department?: string;
  group?: string;
  status?: string;
  manager?: string;
  page?: number;
  page_size?: number;
}

/** POST /api/hr/employees/ (409 `seat_limit_reached` with details {used, limit, available, requested}). */
export interface NewEmployee {
  email: string;
  first_name?: string;
  last_name?: string;
  role?: TenantRole;
  language?: Lang;
  employee_id?: string;
  title?: string;
  location?: string;
  hire_date?: string | null;
  department_id?: number | null;
  manager_id?: number | null;
  group_ids?: number[];
}

export type EmployeePatch = Partial<Omit<NewEmployee, 'email'>> & {
  email_reminders?: boolean;
  email_digest?: boolean;
};

export interface SeatUsage {
  used: number;
  limit: number;
  available: number;
}

/** Flat and ordered by path; the client nests by `parent_id`. */
export interface Department {
  id: number;
  name: string;
  /** "A/B/C" */
  path: string;
  parent_id: number | null;
  /** Active employees directly in this department. */
  employees: number;
}

export interface Group {
  id: number;
  name: string;
  description: string;
  members: number | null;
  created_at: string;
}

export interface GroupMembersChange {
  add?: number[];
  remove?: number[];
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export interface ImportJob {
  id: number;
  filename: string;
  dry_run: boolean;
  status: ImportStatus;
  file_format: string;
  encoding: string;
  total_rows: number;
  processed_rows: number;
  progress_percent: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
  file_error: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export type AssignmentStatus = 'completed' | 'overdue' | 'in_progress' | 'not_started';
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['not_started', 'in_progress', 'overdue', 'completed'];

export interface CourseRef {
  slug: string;
  title: string;
}

export interface Assignment {
  id: number;
  user: EmployeeRef;
  course: CourseRef;
  cycle: number;
  source: string;
  rule_id: number | null;
  required: boolean;
  assigned_at: string;
  due_at: string | null;
  recertify_months: number | null;
  status: AssignmentStatus;
  progress_percent: number;
  completed_at: string | null;
}

/** The filter of GET /api/hr/assignments/ (not the derived status of a row). */
export type AssignmentListStatus = 'open' | 'overdue' | 'completed';

export type DueKind = 'none' | 'date' | 'after_assignment' | 'after_hire';

export type DueSpec =
  | { kind: 'none' }
  | { kind: 'date'; date: string }
  | { kind: 'after_assignment' | 'after_hire'; days: number };

export interface AssignPayload {
  courses: string[];
  /** User ids (an employee's `user_id`), not employee ids. */
  users: number[];
  groups: number[];
  departments: number[];
  due: DueSpec;
  required: boolean;
  recertify_months: number | null;
}

export interface AssignResult {
  created: number;
  already_assigned: number;
  people: number;
}

export type BulkAssignmentAction = { ids: number[]; action: 'unassign' } | { ids: number[]; action: 'set_due'; due: DueSpec };

export interface BulkAssignmentResult {
  cancelled?: number;
  updated?: number;
}

export type RuleAttribute = 'title' | 'location';
export const RULE_ATTRIBUTES: readonly RuleAttribute[] = ['title', 'location'];
export type DueFrom = 'assignment' | 'hire';

export type RuleTarget =
  | { kind: 'group'; id: number; name?: string }
  | { kind: 'department'; id: number; path?: string; include_subdepartments?: boolean }
  | { kind: 'attribute'; attribute: RuleAttribute; value: string };

export interface Rule {
  id: number;
  name: string;
  course: CourseRef;
  target: RuleTarget;
  due_days: number | null;
  due_from: DueFrom;
  required: boolean;
  recertify_months: number | null;
  is_active: boolean;
  created_by: string;
  created_at: string;
  last_applied_at: string | null;
}

export interface RuleInput {
  name: string;
  course: string;
  target: RuleTarget;
  due_days: number | null;
  due_from: DueFrom;
  required: boolean;
  recertify_months: number | null;
  is_active: boolean;
}

/** A saved rule and how many assignments applying it made at once. */
export interface RuleSaved extends Rule {
  assigned_now: number;
}

export interface NotificationSettings {
  reminder_days_before: number;
  escalation_days_after: number;
  /** 0 = Monday … 6 = Sunday */
  digest_weekday: number;
  recertification_lead_days: number;
}

export interface ReportFilters {
  department?: string;
  group?: string;
  course?: string;
  manager?: string;
  status?: string;
  required?: string;
  include_deactivated?: string;
}

export interface DashboardFigures {
  assigned: number;
  completed: number;
  overdue: number;
  in_progress: number;
  not_started: number;
  /** Percent with one decimal. */
  completion_rate: number;
}

export interface Dashboard {
  generated_at: string;
  totals: DashboardFigures & { learners: number };
  by_department: Array<DashboardFigures & { id: number | null; path: string }>;
  by_course: Array<DashboardFigures & { slug: string; title: string }>;
  trend: Array<{ week: string; assigned: number; completed: number }>;
  seats: SeatUsage;
}

export type ExportFormat = 'csv' | 'xlsx';

export interface TranscriptAssignment {
  assignment_id: number;
  course: CourseRef;
  cycle: number;
  source: string;
  required: boolean;
  assigned_at: string;
  due_at: string | null;
  state: 'current' | 'cancelled' | 'superseded';
  status: AssignmentStatus;
  progress_percent: number;
  completed_at: string | null;
  certificate: string | null;
}

export interface TranscriptSelfDirected {
  course: CourseRef;
  enrolled_at: string;
  progress_percent: number;
  completed_at: string | null;
  certificate: string | null;
}

export interface Transcript {
  employee: EmployeeRef;
  assignments: TranscriptAssignment[];
  self_directed: TranscriptSelfDirected[];
}

export interface TeamAssignment {
  course: CourseRef;
  due_at: string | null;
  required: boolean;
  status: AssignmentStatus;
  progress_percent: number;
  completed_at: string | null;
}

export interface TeamMember {
  id: number;
  email: string;
  name: string;
  department: string;
  manager_id: number | null;
  assigned: number;
  completed: number;
  overdue: number;
  assignments: TeamAssignment[];
}

export interface EmailPreferences {
  email_reminders: boolean;
  email_digest: boolean;
}

// --- Single sign-on (sso/api.py, sso/services/config.py) ---------------------

export type SsoProtocol = 'saml' | 'oidc';
export const SSO_PROTOCOLS: readonly SsoProtocol[] = ['saml', 'oidc'];

/** Attribute-mapping presets the server knows (GET /api/sso/providers/ lists them as `presets`). */
export type SsoPreset = 'entra' | 'adfs' | 'okta' | 'keycloak' | 'google' | 'custom';
export const SSO_PRESETS: readonly SsoPreset[] = ['entra', 'adfs', 'okta', 'keycloak', 'google', 'custom'];

/** The person fields an IdP attribute can fill (`email` must be mapped). */
export const SSO_MAPPED_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'employee_id',
  'department',
  'manager_email',
  'groups',
  'title',
] as const;
export type SsoMappedField = (typeof SSO_MAPPED_FIELDS)[number];
export type SsoAttributeMapping = Partial<Record<SsoMappedField, string>>;

/** Roles just-in-time provisioning may give (never tenant admin). */
export type SsoJitRole = 'learner' | 'hr_manager';
export const SSO_JIT_ROLES: readonly SsoJitRole[] = ['learner', 'hr_manager'];

export interface SsoGroupMapping {
  idp_group: string;
  /** An LMS group (GET /api/hr/groups/). */
  group_id: number;
}

/** A provider as the API answers (secrets never come back: only `has_client_secret`). */
export interface SsoProvider {
  id: number;
  slug: string;
  name: string;
  protocol: SsoProtocol;
  enabled: boolean;
  preset: string;
  metadata_url: string;
  idp_entity_id: string;
  idp_sso_url: string;
  idp_slo_url: string;
  allow_idp_initiated: boolean;
  oidc_discovery_url: string;
  oidc_issuer: string;
  oidc_client_id: string;
  oidc_scopes: string;
  attribute_mapping: SsoAttributeMapping;
  group_mapping: SsoGroupMapping[];
  jit_enabled: boolean;
  default_role: string;
  /** E-mail domains this IdP may vouch for; empty = the company's verified e-mail domains. */
  allowed_domains: string[];
  /** Link to an existing account by e-mail even without the IdP saying the address is verified. */
  trust_email_for_linking: boolean;
  has_client_secret: boolean;
  /** How many IdP signing certificates the imported metadata had. */
  certificates: number;
  certificate_expires_at: string | null;
  /** SAML: metadata imported; OIDC: issuer, client id and secret present. */
  configured: boolean;
  created_at: string;
  updated_at: string;
}

export interface SsoProviderList {
  results: SsoProvider[];
  presets: string[];
}

/** PATCH /api/sso/providers/{id}/ (every field optional; the secret is write-only). */
export interface SsoProviderPatch {
  name?: string;
  slug?: string;
  preset?: string;
  metadata_url?: string;
  metadata_xml?: string;
  oidc_discovery_url?: string;
  oidc_client_id?: string;
  oidc_client_secret?: string;
  oidc_scopes?: string;
  attribute_mapping?: SsoAttributeMapping;
  group_mapping?: SsoGroupMapping[];
  jit_enabled?: boolean;
  default_role?: SsoJitRole;
  allow_idp_initiated?: boolean;
  /** Lower-case domain names, at most 50; the server answers 400 on `allowed_domains` for a bad one. */
  allowed_domains?: string[];
  trust_email_for_linking?: boolean;
  enabled?: boolean;
}

/** POST /api/sso/providers/ (a new provider starts disabled whatever `enabled` says). */
export interface SsoProviderInput extends SsoProviderPatch {
  protocol: SsoProtocol;
  name: string;
}

/** One entry of GET /api/sso/providers/{id}/history/ (newest first). */
export interface SsoProviderChange {
  action: string;
  actor: string;
  fields: string[];
  snapshot: Record<string, unknown>;
  created_at: string;
}

/** A certificate expiring within 30 days; `provider` is a provider slug, null for our SP certificate. */
export interface SsoCertificateWarning {
  provider: string | null;
  expires_at: string;
  expired: boolean;
}

export interface SsoServiceProvider {
  entity_id: string;
  metadata_url: string;
  acs_url: string;
  sls_url: string;
  oidc_redirect_uri: string;
  certificate: string;
  certificate_expires_at: string | null;
}

export interface SsoSettings {
  sso_required: boolean;
  /** A user id (the tenant admin who keeps password sign-in). */
  fallback_admin_id: number | null;
  sp: SsoServiceProvider;
  certificate_warnings: SsoCertificateWarning[];
}

export interface SsoSettingsPatch {
  sso_required?: boolean;
  fallback_admin_id?: number | null;
}

/** An e-mail domain for home-realm discovery, verified through a DNS TXT record. */
export interface SsoLoginDomain {
  id: number;
  domain: string;
  verified: boolean;
  verified_at: string | null;
  txt_record_name: string;
  txt_record_value: string;
}

/** GET /api/auth/sso/options/: the sign-in buttons of this host. */
export interface SsoLoginOption {
  name: string;
  protocol: SsoProtocol;
  /** A same-host path such as /sso/saml/acme-idp/login/. */
  login_url: string;
}

export interface SsoLoginOptions {
  providers: SsoLoginOption[];
  sso_required: boolean;
}

/**
 * POST /api/auth/sso/invitations/{token}/ (company host, no auth: the invitation token is the credential).
 * The same shape as the sign-in options, but each `login_url` carries a one-time grant for this invitation
 * (`?link=…`, usable once within 10 minutes): open it with a full-page navigation right away, do not keep it.
 * 404 for an unknown invitation, 410 for an expired or used one.
 */
export type SsoInvitationOptions = SsoLoginOptions;

/** POST /api/auth/sso/discover/ (base domain only). */
export interface SsoDiscovery {
  redirect: string | null;
}
