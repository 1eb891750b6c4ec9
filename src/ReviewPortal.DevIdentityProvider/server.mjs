// ReviewPortal's development identity provider: a real OpenID Provider (oidc-provider) for
// development, the demo and tests. Never for production: people and passwords come from a file,
// and all state is in memory.
//
//   node server.mjs --port <n|0> --people <people.json> --clients <clients.json> [--allow-control]
//
// Stdout carries exactly one line, {"ready":true,"issuer":"http://127.0.0.1:PORT"}, once the
// provider accepts requests; whoever started the process waits for it. Everything else goes to stderr.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { MemoryAdapter, sessionIdsOf } from './store.mjs';
import {
  CONTENT_SECURITY_POLICY, errorPage, loginPage, logoutPage, signedOutPage,
} from './pages.mjs';

// Stdout is the ready-line channel. oidc-provider prints notices with console.info, so every
// console method goes to stderr before the library is loaded (hence the dynamic import below).
for (const method of ['log', 'info', 'debug']) {
  console[method] = (...args) => console.error(...args);
}

const EXIT_BAD_INPUT = 2;
const ACR = 'urn:reviewportal:pwd';
const AMR = ['pwd'];
const SCOPES = ['openid', 'profile', 'email', 'groups', 'offline_access'];
const MAX_BODY_BYTES = 64 * 1024;

class InputError extends Error {}

function fail(message) {
  throw new InputError(message);
}

// ---------------------------------------------------------------------------------------------
// Arguments and files

function readArguments(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        people: { type: 'string' },
        clients: { type: 'string' },
        'allow-control': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${error.message}\nusage: node server.mjs --port <n|0> --people <people.json> --clients <clients.json> [--allow-control]`);
  }
  for (const name of ['port', 'people', 'clients']) {
    if (values[name] === undefined || values[name] === '') fail(`--${name} is required`);
  }
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    fail(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${values.port}"`);
  }
  return {
    port: Number(values.port),
    peopleFile: values.people,
    clientsFile: values.clients,
    allowControl: values['allow-control'],
  };
}

function readJsonArray(file, what) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read the ${what} file ${file}: ${error.code ?? error.message}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`the ${what} file ${file} is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    fail(`the ${what} file ${file} must hold a non-empty JSON array`);
  }
  return parsed;
}

function checkEntry(file, index, entry, { required, optional }) {
  const where = `${file}: entry ${index}`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(`${where} must be an object`);
  for (const key of Object.keys(entry)) {
    if (!(key in required) && !(key in optional)) fail(`${where} has an unknown property "${key}"`);
  }
  for (const [key, check] of Object.entries(required)) {
    if (!(key in entry)) fail(`${where} is missing "${key}"`);
    check(entry[key], `${where}: "${key}"`);
  }
  for (const [key, check] of Object.entries(optional)) {
    if (key in entry) check(entry[key], `${where}: "${key}"`);
  }
}

const nonEmptyString = (value, label) => {
  if (typeof value !== 'string' || value.trim() === '') fail(`${label} must be a non-empty string`);
};
const stringArray = (value, label) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
    fail(`${label} must be an array of non-empty strings`);
  }
};
const booleanValue = (value, label) => {
  if (typeof value !== 'boolean') fail(`${label} must be true or false`);
};
const urlArray = (value, label) => {
  stringArray(value, label);
  for (const item of value) {
    let url;
    try {
      url = new URL(item);
    } catch {
      fail(`${label} has "${item}", which is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${label} has "${item}", which is not http(s)`);
    if (url.hash) fail(`${label} has "${item}", which must not have a fragment`);
  }
};

function readPeople(file) {
  const people = new Map();
  const emails = new Set();
  readJsonArray(file, 'people').forEach((entry, index) => {
    checkEntry(file, index, entry, {
      required: {
        sub: nonEmptyString, email: nonEmptyString, name: nonEmptyString, password: nonEmptyString, groups: stringArray,
      },
      optional: { emailVerified: booleanValue },
    });
    const email = entry.email.trim().toLowerCase();
    if (!email.includes('@')) fail(`${file}: entry ${index}: "email" must be an email address, not "${entry.email}"`);
    if (people.has(entry.sub)) fail(`${file}: entry ${index}: sub "${entry.sub}" is used twice`);
    if (emails.has(email)) fail(`${file}: entry ${index}: email "${entry.email}" is used twice`);
    emails.add(email);
    people.set(entry.sub, {
      sub: entry.sub,
      email: entry.email.trim(),
      name: entry.name,
      passwordHash: hashPassword(entry.password),
      groups: [...new Set(entry.groups)],
      emailVerified: entry.emailVerified ?? true,
    });
  });
  return people;
}

function readClients(file) {
  const seen = new Set();
  return readJsonArray(file, 'clients').map((entry, index) => {
    checkEntry(file, index, entry, {
      required: { client_id: nonEmptyString, client_secret: nonEmptyString, redirect_uris: urlArray },
      optional: {
        post_logout_redirect_uris: urlArray,
        client_name: nonEmptyString,
        token_endpoint_auth_method: (value, label) => {
          if (!['client_secret_post', 'client_secret_basic'].includes(value)) {
            fail(`${label} must be client_secret_post or client_secret_basic`);
          }
        },
      },
    });
    if (entry.redirect_uris.length === 0) fail(`${file}: entry ${index}: "redirect_uris" must not be empty`);
    if (seen.has(entry.client_id)) fail(`${file}: entry ${index}: client_id "${entry.client_id}" is used twice`);
    seen.add(entry.client_id);
    return {
      client_id: entry.client_id,
      client_secret: entry.client_secret,
      client_name: entry.client_name ?? entry.client_id,
      redirect_uris: entry.redirect_uris,
      post_logout_redirect_uris: entry.post_logout_redirect_uris ?? [],
      // Microsoft.AspNetCore.Authentication.OpenIdConnect sends the secret in the form body.
      token_endpoint_auth_method: entry.token_endpoint_auth_method ?? 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // auth_time is what step-up re-authentication checks; oidc-provider leaves it out of the
      // ID Token unless the client asks for it with max_age or registers this.
      require_auth_time: true,
      id_token_signed_response_alg: 'RS256',
    };
  });
}

// Passwords are compared as digests so that the comparison takes the same time whatever matches.
function hashPassword(password) {
  return createHash('sha256').update(password, 'utf8').digest();
}

function passwordMatches(person, password) {
  return timingSafeEqual(person.passwordHash, hashPassword(password));
}

// ---------------------------------------------------------------------------------------------
// The provider

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `k-${randomBytes(8).toString('base64url')}`, alg: 'RS256', use: 'sig' };
}

function accountFor(person) {
  return {
    accountId: person.sub,
    // Read at every call, so userinfo and refreshed ID Tokens follow group changes at once.
    // oidc-provider keeps only the claims that the granted scopes allow.
    async claims() {
      return {
        sub: person.sub,
        email: person.email,
        email_verified: person.emailVerified,
        name: person.name,
        preferred_username: person.email,
        groups: [...person.groups],
      };
    },
  };
}

function providerConfiguration({ clients, people, cookieKeys, signingKeys, port }) {
  return {
    adapter: MemoryAdapter,
    clients,
    jwks: { keys: signingKeys },
    cookies: {
      keys: cookieKeys,
      // Browsers share cookies between ports of one host, so two providers on 127.0.0.1 (or the
      // provider next to the portal) would overwrite each other's cookies under the default names.
      names: {
        session: `rpidp${port}_session`,
        interaction: `rpidp${port}_interaction`,
        resume: `rpidp${port}_interaction_resume`,
      },
    },
    findAccount(ctx, id) {
      const person = people.get(id);
      return person ? accountFor(person) : undefined;
    },
    scopes: SCOPES,
    claims: {
      auth_time: null,
      sid: null,
      iss: null,
      // acr and amr ride on the openid scope so that every ID Token carries them; otherwise
      // oidc-provider includes acr only when the request asks for it (acr_values or claims).
      openid: ['sub', 'acr', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Put the scope's claims into the ID Token as well: the portal's OpenID Connect handler reads
    // its identity from the ID Token and does not call userinfo by default.
    conformIdTokenClaims: false,
    acrValues: [ACR],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      require_auth_time: true,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = logoutPage({ form, clientName: ctx.oidc.client?.clientName });
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = signedOutPage({ clientName: ctx.oidc.client?.clientName });
        },
      },
      userinfo: { enabled: true },
      revocation: {
        enabled: true,
        async allowedPolicy(ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      introspection: {
        enabled: true,
        async allowedPolicy(ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      // Not advertised: the portal's handler would switch to PAR when the discovery document
      // lists it, and the development provider keeps to the plain front-channel request.
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      resourceIndicators: { enabled: false },
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      RefreshToken: 8 * 60 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
      Interaction: 30 * 60,
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async renderError(ctx, out) {
      ctx.state.errorPage = true;
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  };
}

function logProviderEvents(provider) {
  provider.on('server_error', (ctx, error) => {
    console.error(`server_error on ${ctx.method} ${ctx.path}:`, error);
  });
  for (const event of [
    'authorization.error', 'grant.error', 'userinfo.error', 'end_session.error', 'end_session_confirm.error',
    'revocation.error', 'introspection.error', 'jwks.error', 'discovery.error',
  ]) {
    provider.on(event, (ctx, error) => {
      const detail = error.error_detail ? ` (${error.error_detail})` : '';
      console.error(`${event}: ${error.error ?? error.name}: ${error.error_description ?? error.message}${detail}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('request body too large'), { statusCode: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendHtml(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

function sendJson(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

// ---------------------------------------------------------------------------------------------
// Interactions: the sign-in page, and consent given on the person's behalf

function findPersonByEmail(people, email) {
  const wanted = email.trim().toLowerCase();
  for (const person of people.values()) {
    if (person.email.toLowerCase() === wanted) return person;
  }
  return undefined;
}

async function clientNameOf(provider, clientId) {
  const client = await provider.Client.find(clientId);
  return client?.clientName ?? clientId;
}

// The configured clients are first-party: whatever they ask for within the supported scopes and
// claims is granted without a page.
async function grantConsent(provider, details) {
  const { prompt: { details: missing }, params, session } = details;
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (!grant) {
    grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  }
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  // A grant that expired since the request began is replaced, and the provider must be told so.
  return grantId === details.grantId ? {} : { grantId };
}

async function handleInteraction(state, req, res, uid, action) {
  const provider = state.provider;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    sendHtml(res, 400, errorPage({ error: 'invalid_request', error_description: 'this sign-in page belongs to another request' }));
    return;
  }
  const promptName = details.prompt.name;

  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User cancelled the sign-in',
    }, { mergeWithLastSubmission: false });
    return;
  }

  if (promptName === 'consent') {
    const consent = await grantConsent(provider, details);
    await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    return;
  }

  if (promptName !== 'login') {
    await provider.interactionFinished(req, res, {
      error: 'interaction_required',
      error_description: `the ${promptName} prompt is not supported`,
    }, { mergeWithLastSubmission: false });
    return;
  }

  const clientName = await clientNameOf(provider, details.params.client_id);
  if (action === 'show') {
    sendHtml(res, 200, loginPage({ uid, clientName, email: details.params.login_hint ?? '' }));
    return;
  }

  const form = new URLSearchParams(await readBody(req));
  const email = form.get('login') ?? '';
  const password = form.get('password') ?? '';
  const person = findPersonByEmail(state.people, email);
  if (!person || !passwordMatches(person, password)) {
    sendHtml(res, 200, loginPage({
      uid, clientName, email, error: 'The email or password is not right. Check both and try again.',
    }));
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId: person.sub, acr: ACR, amr: AMR, remember: true },
  }, { mergeWithLastSubmission: false });
}

// ---------------------------------------------------------------------------------------------
// Control endpoints for tests (only with --allow-control)

async function handleControl(state, req, res, pathname) {
  const groupsMatch = /^\/_control\/people\/([^/]+)\/groups$/.exec(pathname);
  const personMatch = /^\/_control\/people\/([^/]+)$/.exec(pathname);

  if (groupsMatch) {
    if (req.method !== 'PUT') return methodNotAllowed(res, 'PUT');
    const person = state.people.get(decodeURIComponent(groupsMatch[1]));
    if (!person) return sendJson(res, 404, { error: 'not_found', error_description: 'no person with that sub' });
    let groups;
    try {
      groups = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'the body must be a JSON array of group names' });
    }
    if (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group.trim() === '')) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'the body must be a JSON array of group names' });
    }
    person.groups = [...new Set(groups)];
    return sendJson(res, 200, { sub: person.sub, groups: person.groups });
  }

  if (personMatch) {
    if (req.method !== 'DELETE') return methodNotAllowed(res, 'DELETE');
    const sub = decodeURIComponent(personMatch[1]);
    if (!state.people.has(sub)) return sendJson(res, 404, { error: 'not_found', error_description: 'no person with that sub' });
    state.people.delete(sub);
    // Their sign-in at the provider ends too, so the next authorization request asks for a password.
    const sessions = sessionIdsOf(sub);
    await Promise.all(sessions.map((id) => new MemoryAdapter('Session').destroy(id)));
    return sendJson(res, 200, { sub, removed: true, sessionsEnded: sessions.length });
  }

  if (pathname === '/_control/rotate-keys') {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const key = newSigningKey();
    // oidc-provider signs with the first key that fits, and fixes its keystore at construction.
    state.signingKeys = [key, ...state.signingKeys];
    state.provider = buildProvider(state);
    return sendJson(res, 200, { kid: key.kid, kids: state.signingKeys.map((k) => k.kid) });
  }

  return sendJson(res, 404, { error: 'not_found' });
}

function methodNotAllowed(res, allowed) {
  res.setHeader('Allow', allowed);
  sendJson(res, 405, { error: 'method_not_allowed', error_description: `use ${allowed}` });
}

// ---------------------------------------------------------------------------------------------
// Wiring

let Provider;

// OpenID Connect Core lets a provider honour offline_access only with prompt=consent, and
// oidc-provider drops it otherwise, so the portal would never get a refresh token. The clients are
// first-party and consent is given on the person's behalf without a page, so asking for consent
// costs no extra step: it is added to every authorization request that asks for offline_access.
// prompt=none stays as it is, since it cannot be combined with another prompt.
async function consentForOfflineAccess(ctx, next) {
  if (ctx.method === 'GET' && ctx.path === '/auth') {
    const { scope, prompt } = ctx.query;
    if (typeof scope === 'string' && scope.split(' ').includes('offline_access')
      && (prompt === undefined || typeof prompt === 'string')) {
      const prompts = (prompt ?? '').split(' ').filter(Boolean);
      if (!prompts.includes('none') && !prompts.includes('consent')) {
        ctx.query = { ...ctx.query, prompt: [...prompts, 'consent'].join(' ') };
      }
    }
  }
  await next();
}

// An authorization error that goes back to the client by form_post (the portal's default response
// mode) is a page that posts the error on; oidc-provider serves it as 400, which browsers report
// as a failed load in the console although nothing failed at this end. The client still gets
// the error from the posted form. The provider's own error pages keep their status.
async function formPostErrorsAsPages(ctx, next) {
  await next();
  if (ctx.status === 400 && ctx.path.startsWith('/auth') && ctx.response.is('html') && !ctx.state.errorPage) {
    ctx.status = 200;
  }
}

function buildProvider(state) {
  const provider = new Provider(state.issuer, providerConfiguration(state));
  provider.use(formPostErrorsAsPages);
  provider.use(consentForOfflineAccess);
  logProviderEvents(provider);
  state.callbacks.set(provider, provider.callback());
  return provider;
}

const INTERACTION_ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;

async function route(state, req, res) {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');

  const { pathname } = new URL(req.url, state.issuer);

  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  if (pathname === '/favicon.ico' && req.method === 'GET') {
    res.statusCode = 204;
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.end();
    return;
  }

  if (state.allowControl && pathname.startsWith('/_control/')) {
    await handleControl(state, req, res, pathname);
    return;
  }

  const interaction = INTERACTION_ROUTE.exec(pathname);
  if (interaction) {
    const [, uid, step] = interaction;
    const action = step ?? 'show';
    const expected = action === 'show' ? 'GET' : 'POST';
    if (req.method === expected) {
      await handleInteraction(state, req, res, uid, action);
      return;
    }
  }

  const provider = state.provider;
  await state.callbacks.get(provider)(req, res);
}

function errorResponse(res, error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // oidc-provider's errors (an expired or unknown interaction, say) carry a status and a code.
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) console.error('unexpected error:', error);
  sendHtml(res, status, errorPage({
    error: error.error ?? 'server_error',
    error_description: status === 500 ? 'an unexpected error occurred' : (error.error_description ?? error.message),
  }));
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const args = readArguments(process.argv.slice(2));
  const people = readPeople(args.peopleFile);
  const clients = readClients(args.clientsFile);

  ({ default: Provider } = await import('oidc-provider'));

  const state = {
    people,
    clients,
    allowControl: args.allowControl,
    cookieKeys: [randomBytes(32).toString('base64url')],
    signingKeys: [newSigningKey()],
    callbacks: new WeakMap(),
    issuer: undefined,
    port: undefined,
    provider: undefined,
  };

  const server = createServer((req, res) => {
    if (!state.provider) {
      sendJson(res, 503, { error: 'temporarily_unavailable' });
      return;
    }
    route(state, req, res).catch((error) => errorResponse(res, error));
  });

  try {
    state.port = await listen(server, args.port);
  } catch (error) {
    fail(`cannot listen on 127.0.0.1:${args.port}: ${error.code ?? error.message}`);
  }
  state.issuer = `http://127.0.0.1:${state.port}`;

  try {
    state.provider = buildProvider(state);
    // Static clients are only checked when first used; check them now so a bad file fails the start.
    for (const client of clients) {
      await state.provider.Client.find(client.client_id);
    }
  } catch (error) {
    server.close();
    fail(`${args.clientsFile}: ${error.error_description ?? error.message}`);
  }

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  console.error(`development identity provider for ${people.size} people and ${clients.length} client(s) at ${state.issuer}${args.allowControl ? ' (control endpoints on)' : ''}`);
  process.stdout.write(`${JSON.stringify({ ready: true, issuer: state.issuer })}\n`);
}

main().catch((error) => {
  if (error instanceof InputError) {
    console.error(`dev identity provider: ${error.message}`);
    process.exit(EXIT_BAD_INPUT);
  }
  console.error('dev identity provider failed to start:', error);
  process.exit(1);
});
