import type { SsoLoginDomain, SsoProvider, SsoSettings } from '../api/types';

/** Contract-shaped sample data for the single sign-on tests (sso/api.py). */
export function ssoProvider(overrides: Partial<SsoProvider> = {}): SsoProvider {
  return {
    id: 7,
    slug: 'acme-idp',
    name: 'Acme IdP',
    protocol: 'saml',
    enabled: false,
    preset: 'okta',
    metadata_url: '',
    idp_entity_id: '',
    idp_sso_url: '',
    idp_slo_url: '',
    allow_idp_initiated: false,
    oidc_discovery_url: '',
    oidc_issuer: '',
    oidc_client_id: '',
    oidc_scopes: 'openid email profile',
    attribute_mapping: { email: 'email', first_name: 'firstName', last_name: 'lastName', groups: 'groups' },
    group_mapping: [],
    jit_enabled: true,
    default_role: 'learner',
    allowed_domains: [],
    trust_email_for_linking: false,
    has_client_secret: false,
    certificates: 0,
    certificate_expires_at: null,
    configured: false,
    created_at: '2026-05-01T10:00:00Z',
    updated_at: '2026-05-01T10:00:00Z',
    ...overrides,
  };
}

export function oidcProvider(overrides: Partial<SsoProvider> = {}): SsoProvider {
  return ssoProvider({
    id: 8,
    slug: 'globex-id',
    name: 'Globex ID',
    protocol: 'oidc',
    preset: 'keycloak',
    attribute_mapping: { email: 'email', first_name: 'given_name', last_name: 'family_name', groups: 'groups' },
    ...overrides,
  });
}

export function ssoSettings(overrides: Partial<SsoSettings> = {}): SsoSettings {
  return {
    sso_required: false,
    fallback_admin_id: null,
    sp: {
      entity_id: 'http://acme.localhost:8000/sso/saml/metadata/',
      metadata_url: 'http://acme.localhost:8000/sso/saml/metadata/',
      acs_url: 'http://acme.localhost:8000/sso/saml/acs/',
      sls_url: 'http://acme.localhost:8000/sso/saml/sls/',
      oidc_redirect_uri: 'http://acme.localhost:8000/sso/oidc/callback/',
      certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      certificate_expires_at: '2029-05-01T10:00:00Z',
    },
    certificate_warnings: [],
    ...overrides,
  };
}

export function loginDomain(overrides: Partial<SsoLoginDomain> = {}): SsoLoginDomain {
  return {
    id: 3,
    domain: 'acme.com',
    verified: false,
    verified_at: null,
    txt_record_name: '_ffs-login.acme.com',
    txt_record_value: 'ffs-login-verification=abc123',
    ...overrides,
  };
}
