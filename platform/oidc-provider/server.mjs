// A development/test OpenID Connect provider: panva's oidc-provider with PKCE required.
// Configuration comes as JSON in OIDC_CONFIG: {"port", "issuer", "clients": [...], "accounts": {id: claims}}.
// Its built-in development interactions show a login form (any password) and a consent page.
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_CONFIG || '{}');
const accounts = config.accounts || {};

const provider = new Provider(config.issuer, {
  clients: config.clients || [],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name', 'name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  cookies: { keys: ['ffs-dev-oidc-cookie-key'] },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.proxy = false;
const server = provider.listen(config.port || 0, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
