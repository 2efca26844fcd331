// A real OpenID Connect provider for Ramp's OIDC tests: the npm package
// oidc-provider (pinned in package-lock.json), with the accounts in
// accounts.json (each with an `hsa_id` claim, as a region's IdP vouches
// for a SITHS card holder), one confidential client that must use PKCE,
// and a plain login form the tests fill in (no consent screen: the client
// is the region's own). Listens on a free port of 127.0.0.1 and prints
// one JSON line, {"issuer": "http://127.0.0.1:PORT"}, once it serves.
//
//   node provider.mjs --redirect-uri URL --post-logout-redirect-uri URL
//        [--client-id ramp] [--client-secret SECRET]
//        [--code-ttl SECONDS]          how long a code may be redeemed (default 60)
//        [--claims-in id_token|userinfo] where `name` and `hsa_id` are given (default id_token)

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    'redirect-uri': { type: 'string' },
    'post-logout-redirect-uri': { type: 'string' },
    'client-id': { type: 'string', default: 'ramp' },
    'client-secret': { type: 'string', default: 'ramp-test-secret' },
    'code-ttl': { type: 'string', default: '60' },
    'claims-in': { type: 'string', default: 'id_token' },
  },
});
for (const required of ['redirect-uri', 'post-logout-redirect-uri']) {
  if (!args[required]) {
    console.error(`provider.mjs: --${required} is required`);
    process.exit(2);
  }
}
if (!['id_token', 'userinfo'].includes(args['claims-in'])) {
  console.error('provider.mjs: --claims-in is id_token or userinfo');
  process.exit(2);
}

const accounts = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url), 'utf8'));

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

function loginForm(uid, clientId, error) {
  return page('Regionens inloggningstjänst (test)', `
<p>Logga in till ${escape(clientId)}.</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
  <p><label for="login">Användar-id</label> <input id="login" name="login" autocomplete="username" required></p>
  <p><label for="password">Lösenord</label> <input id="password" name="password" type="password" required></p>
  <p><button type="submit">Logga in hos IdP</button></p>
</form>`);
}

async function grantFor(provider, clientId, accountId, grantId) {
  const existing = grantId && await provider.Grant.find(grantId);
  if (existing) return existing;
  const grant = new provider.Grant({ clientId, accountId });
  grant.addOIDCScope('openid profile');
  grant.addOIDCClaims(['name', 'hsa_id']);
  await grant.save();
  return grant;
}

// A key of its own for every run: nothing secret is kept in the repository.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' };

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args['redirect-uri']],
      post_logout_redirect_uris: [args['post-logout-redirect-uri']],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'hsa_id'] },
    // With `true` (the library's default) the profile claims go to the
    // userinfo endpoint only; many regional IdPs put them in the ID token.
    conformIdTokenClaims: args['claims-in'] === 'userinfo',
    ttl: {
      AuthorizationCode: Number(args['code-ttl']),
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_ctx, sub) {
      const account = accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const claims = { sub, name: account.name };
          if (account.hsa_id) claims.hsa_id = account.hsa_id;
          return claims;
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      return grantFor(ctx.oidc.provider, ctx.oidc.client.clientId, ctx.oidc.session.accountId, grantId);
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Logga ut från regionens inloggningstjänst (test)', `${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button></p>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Utloggad', '<p>Du är utloggad från regionens inloggningstjänst.</p>');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Fel i inloggningstjänsten', Object.entries(out)
        .map(([k, v]) => `<p><strong>${escape(k)}</strong>: ${escape(v)}</p>`).join(''));
    },
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/?]+)$/.exec(new URL(req.url, issuer).pathname);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const clientId = details.params.client_id;
      if (details.prompt.name === 'consent') {
        const grant = await grantFor(provider, clientId, details.session.accountId, details.grantId);
        return provider.interactionFinished(req, res, { consent: { grantId: grant.jti } }, { mergeWithLastSubmission: true });
      }
      if (req.method === 'POST') {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const login = form.get('login') ?? '';
        if (accounts[login]?.password === form.get('password')) {
          return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
        }
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginForm(details.uid, clientId, 'Fel användar-id eller lösenord.'));
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(loginForm(details.uid, clientId));
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(`interaction failed: ${err.message}`);
    }
  });
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
