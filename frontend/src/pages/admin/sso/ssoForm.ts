import type { FieldErrors } from '../../../api/client';
import {
  SSO_MAPPED_FIELDS,
  SSO_PRESETS,
  type SsoAttributeMapping,
  type SsoGroupMapping,
  type SsoJitRole,
  type SsoMappedField,
  type SsoProtocol,
  type SsoProvider,
  type SsoProviderInput,
  type SsoProviderPatch,
} from '../../../api/types';
import type { Translate } from '../../../i18n/I18nContext';
import type { MessageKey } from '../../../i18n/messages';

/** The server refuses metadata documents above this size (sso/services/config.py). */
export const MAX_METADATA_BYTES = 512 * 1024;

/** A certificate this close to its expiry gets a warning (the server warns 30 days ahead). */
const WARNING_DAYS = 30;

export type Built<T> = { value: T; errors?: undefined } | { value?: undefined; errors: FieldErrors };

const trimmed = (value: string) => value.trim();

// --- presets ----------------------------------------------------------------------------------

/** [value, label] pairs for the preset select: the known presets first, in a fixed order. */
export function presetOptions(serverPresets: readonly string[] | null, t: Translate): Array<readonly [string, string]> {
  const known = SSO_PRESETS.filter((preset) => !serverPresets || serverPresets.includes(preset));
  const unknown = (serverPresets ?? []).filter((preset) => !(SSO_PRESETS as readonly string[]).includes(preset));
  return [
    ...known.map((preset) => [preset, t(`sso.preset.${preset}` as MessageKey)] as const),
    ...unknown.map((preset) => [preset, preset] as const),
  ];
}

export function presetLabel(preset: string, t: Translate): string {
  return (SSO_PRESETS as readonly string[]).includes(preset) ? t(`sso.preset.${preset}` as MessageKey) : preset;
}

// --- the "add provider" form ------------------------------------------------------------------

export interface CreateState {
  protocol: SsoProtocol;
  name: string;
  preset: string;
  metadataUrl: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
}

export const EMPTY_CREATE: CreateState = {
  protocol: 'saml',
  name: '',
  preset: 'custom',
  metadataUrl: '',
  discoveryUrl: '',
  clientId: '',
  clientSecret: '',
};

/**
 * POST /api/sso/providers/ body: only the fields of the chosen protocol, empty ones left out.
 * `metadataXml` is the chosen metadata file's text (sent in the same request, so a bad document
 * creates nothing).
 */
export function buildCreateInput(s: CreateState, metadataXml: string | null, t: Translate): Built<SsoProviderInput> {
  const errors: FieldErrors = {};
  if (!trimmed(s.name)) errors.name = [t('error.required')];
  if (s.protocol === 'saml' && trimmed(s.metadataUrl) && metadataXml !== null) {
    errors.metadata_file = [t('sso.error.urlOrFile')];
  }
  if (Object.keys(errors).length) return { errors };

  const input: SsoProviderInput = { protocol: s.protocol, name: trimmed(s.name), preset: s.preset };
  if (s.protocol === 'saml') {
    if (metadataXml !== null) input.metadata_xml = metadataXml;
    else if (trimmed(s.metadataUrl)) input.metadata_url = trimmed(s.metadataUrl);
  } else {
    if (trimmed(s.discoveryUrl)) input.oidc_discovery_url = trimmed(s.discoveryUrl);
    if (trimmed(s.clientId)) input.oidc_client_id = trimmed(s.clientId);
    if (s.clientSecret.trim()) input.oidc_client_secret = s.clientSecret.trim();
  }
  return { value: input };
}

// --- the provider settings form -----------------------------------------------------------------

export interface GroupRow {
  /** Stable React key of the row. */
  key: number;
  idpGroup: string;
  /** The LMS group id as the select's value ('' = not chosen). */
  groupId: string;
}

export interface EditState {
  name: string;
  preset: string;
  metadataUrl: string;
  discoveryUrl: string;
  clientId: string;
  /** Write-only: empty keeps the stored secret. */
  clientSecret: string;
  scopes: string;
  mapping: Record<SsoMappedField, string>;
  groups: GroupRow[];
  jit: boolean;
  idpInitiated: boolean;
  defaultRole: SsoJitRole;
  /** As typed: domains separated by commas, spaces or new lines (see parseDomains). */
  allowedDomains: string;
  trustEmail: boolean;
}

let rowKey = 0;
export const nextRowKey = () => (rowKey += 1);

export function mappingState(mapping: SsoAttributeMapping): Record<SsoMappedField, string> {
  return Object.fromEntries(SSO_MAPPED_FIELDS.map((field) => [field, mapping[field] ?? ''])) as Record<
    SsoMappedField,
    string
  >;
}

export function editState(provider: SsoProvider): EditState {
  return {
    name: provider.name,
    preset: provider.preset,
    metadataUrl: provider.metadata_url,
    discoveryUrl: provider.oidc_discovery_url,
    clientId: provider.oidc_client_id,
    clientSecret: '',
    scopes: provider.oidc_scopes,
    mapping: mappingState(provider.attribute_mapping),
    groups: provider.group_mapping.map((row) => ({
      key: nextRowKey(),
      idpGroup: row.idp_group,
      groupId: String(row.group_id),
    })),
    jit: provider.jit_enabled,
    idpInitiated: provider.allow_idp_initiated,
    defaultRole: provider.default_role === 'hr_manager' ? 'hr_manager' : 'learner',
    allowedDomains: domainsText(provider.allowed_domains ?? []),
    trustEmail: Boolean(provider.trust_email_for_linking),
  };
}

/**
 * The "allowed e-mail domains" input as a list: split at commas, semicolons and white space,
 * lower-cased, empty items and repeats dropped (first occurrence kept). The server checks that
 * each item is a domain name.
 */
export function parseDomains(text: string): string[] {
  const domains: string[] = [];
  for (const item of text.split(/[\s,;]+/)) {
    const domain = item.trim().toLowerCase();
    if (domain && !domains.includes(domain)) domains.push(domain);
  }
  return domains;
}

/** The stored list as the input shows it, one domain per line. */
export const domainsText = (domains: readonly string[]) => domains.join('\n');

/** The same domains, whatever their order (the order means nothing to the server). */
function sameDomains(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].map((domain) => domain.toLowerCase()).sort();
  return a.length === b.length && [...a].sort().every((domain, i) => domain === sortedB[i]);
}

/** The mapping as the API takes it: trimmed, empty fields left out. */
export function mappingPayload(mapping: Record<SsoMappedField, string>): SsoAttributeMapping {
  const result: SsoAttributeMapping = {};
  for (const field of SSO_MAPPED_FIELDS) {
    const value = mapping[field].trim();
    if (value) result[field] = value;
  }
  return result;
}

function sameMapping(a: SsoAttributeMapping, b: SsoAttributeMapping): boolean {
  return SSO_MAPPED_FIELDS.every((field) => (a[field] ?? '') === (b[field] ?? ''));
}

function sameGroups(a: readonly SsoGroupMapping[], b: readonly SsoGroupMapping[]): boolean {
  return a.length === b.length && a.every((row, i) => row.idp_group === b[i].idp_group && row.group_id === b[i].group_id);
}

/** Field key of a group-mapping row's control, for per-row errors. */
export const groupFieldKey = (index: number, part: 'idp' | 'lms') => `group_mapping.${index}.${part}`;

/**
 * The PATCH body: only what changed, so that saving does not re-fetch the metadata or discovery
 * document, and a preset change without mapping edits lets the server apply the preset's names.
 */
export function buildPatch(
  provider: SsoProvider,
  s: EditState,
  metadataXml: string | null,
  t: Translate,
): Built<SsoProviderPatch> {
  const errors: FieldErrors = {};
  const patch: SsoProviderPatch = {};

  const name = trimmed(s.name);
  if (!name) errors.name = [t('error.required')];
  else if (name !== provider.name) patch.name = name;

  const presetChanged = s.preset !== provider.preset;
  if (presetChanged) patch.preset = s.preset;

  const mapping = mappingPayload(s.mapping);
  const mappingEdited = !sameMapping(mapping, provider.attribute_mapping);
  if (mappingEdited) {
    if (!mapping.email) errors['attribute_mapping.email'] = [t('sso.error.emailMapping')];
    else patch.attribute_mapping = mapping;
  }

  const groups: SsoGroupMapping[] = [];
  s.groups.forEach((row, index) => {
    const idpGroup = row.idpGroup.trim();
    if (!idpGroup) errors[groupFieldKey(index, 'idp')] = [t('error.required')];
    if (!row.groupId) errors[groupFieldKey(index, 'lms')] = [t('error.required')];
    if (idpGroup && row.groupId) groups.push({ idp_group: idpGroup, group_id: Number(row.groupId) });
  });
  if (!sameGroups(groups, provider.group_mapping)) patch.group_mapping = groups;

  if (s.jit !== provider.jit_enabled) patch.jit_enabled = s.jit;
  if (s.idpInitiated !== provider.allow_idp_initiated) patch.allow_idp_initiated = s.idpInitiated;
  if (s.defaultRole !== provider.default_role) patch.default_role = s.defaultRole;

  const domains = parseDomains(s.allowedDomains);
  if (!sameDomains(domains, provider.allowed_domains ?? [])) patch.allowed_domains = domains;
  if (s.trustEmail !== Boolean(provider.trust_email_for_linking)) patch.trust_email_for_linking = s.trustEmail;

  if (provider.protocol === 'saml') {
    const url = trimmed(s.metadataUrl);
    if (url && metadataXml !== null) errors.metadata_file = [t('sso.error.urlOrFile')];
    else if (metadataXml !== null) patch.metadata_xml = metadataXml;
    else if (url && url !== provider.metadata_url) patch.metadata_url = url;
  } else {
    const url = trimmed(s.discoveryUrl);
    if (url && url !== provider.oidc_discovery_url) patch.oidc_discovery_url = url;
    const clientId = trimmed(s.clientId);
    if (clientId !== provider.oidc_client_id) patch.oidc_client_id = clientId;
    if (s.clientSecret.trim()) patch.oidc_client_secret = s.clientSecret.trim();
    const scopes = s.scopes.split(/\s+/).filter(Boolean);
    if (!scopes.includes('openid')) errors.oidc_scopes = [t('sso.error.scopes')];
    else if (scopes.join(' ') !== provider.oidc_scopes) patch.oidc_scopes = scopes.join(' ');
  }

  if (Object.keys(errors).length) return { errors };
  return { value: patch };
}

// --- files ------------------------------------------------------------------------------------

/** The text of a chosen metadata file, or a field error (too large / unreadable). */
export function readMetadataFile(file: File, t: Translate): Promise<Built<string>> {
  if (file.size > MAX_METADATA_BYTES) return Promise.resolve({ errors: { metadata_file: [t('sso.error.fileTooLarge')] } });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ value: typeof reader.result === 'string' ? reader.result : '' });
    reader.onerror = () => resolve({ errors: { metadata_file: [t('sso.error.fileUnreadable')] } });
    reader.readAsText(file);
  });
}

// --- certificates -----------------------------------------------------------------------------

export type CertificateState = 'none' | 'ok' | 'soon' | 'expired';

export function certificateState(expiresAt: string | null, now = Date.now()): CertificateState {
  if (!expiresAt) return 'none';
  const time = new Date(expiresAt).getTime();
  if (Number.isNaN(time)) return 'none';
  if (time <= now) return 'expired';
  return time - now <= WARNING_DAYS * 24 * 3600 * 1000 ? 'soon' : 'ok';
}

// --- API field errors → form fields -------------------------------------------------------------

/**
 * The server names some errors after its own inputs: `url` (any fetched URL), `metadata_xml`
 * (the document, whether it came from the URL or a file), `slug` (derived from the name).
 * Moves them onto the control the admin used. Errors about one item of the domain list
 * (`allowed_domains.N`) go to the list's single input.
 */
export function remapProviderFields(
  fields: FieldErrors,
  context: { protocol: SsoProtocol; usedFile: boolean },
): FieldErrors {
  const target: Record<string, string> = {
    slug: 'name',
    url: context.protocol === 'saml' ? 'metadata_url' : 'oidc_discovery_url',
    metadata_xml: context.usedFile ? 'metadata_file' : 'metadata_url',
  };
  const result: FieldErrors = {};
  for (const [name, messages] of Object.entries(fields)) {
    const key = target[name] ?? (/^allowed_domains\.\d+$/.test(name) ? 'allowed_domains' : name);
    result[key] = [...(result[key] ?? []), ...messages];
  }
  return result;
}
