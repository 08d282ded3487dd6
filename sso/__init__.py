"""Per-tenant single sign-on (tenant schemas): SAML 2.0 and OIDC identity providers configured by
each company's own admin, JIT provisioning, attribute and group mapping. See docs/sso.md."""
