// Tests of the development identity provider, run against the real server in a child process.
// They drive the protocol as a browser and a relying party would, with fetch and a cookie jar,
// and wait only on the ready line and on responses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

const SERVER = new URL('./server.mjs', import.meta.url).pathname;
const PASSWORD = 'Test-Passw0rd!';
const CLIENT = {
  client_id: 'portal-test',
  client_secret: 'test-secret',
  redirect_uris: ['http://127.0.0.1:9/signin-oidc'],
  post_logout_redirect_uris: ['http://127.0.0.1:9/signout-callback-oidc'],
};
const SCOPE = 'openid profile email groups offline_access';

const PEOPLE = [
  { sub: 'u-riley', email: 'Riley@Test.local', name: 'Riley Reviewer', password: PASSWORD, groups: ['reviewers'] },
  { sub: 'u-casey', email: 'casey@test.local', name: 'Casey <Groups>', password: PASSWORD, groups: ['reviewers'] },
  { sub: 'u-jordan', email: 'jordan@test.local', name: 'Jordan Gone', password: PASSWORD, groups: ['legal'], emailVerified: false },
];

const workDir = mkdtempSync(join(tmpdir(), 'rp-dev-idp-'));
const peopleFile = join(workDir, 'people.json');
const clientsFile = join(workDir, 'clients.json');
writeFileSync(peopleFile, JSON.stringify(PEOPLE));
writeFileSync(clientsFile, JSON.stringify([CLIENT]));

// ---------------------------------------------------------------------------------------------
// Helpers

function run(args) {
  const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    // The provider's log, for when a test fails for a reason that only the server saw.
    if (process.env.DEV_IDP_STDERR) process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, exited, stderr: () => stderr };
}

async function startProvider({ allowControl }) {
  const args = ['--port', '0', '--people', peopleFile, '--clients', clientsFile];
  if (allowControl) args.push('--allow-control');
  const proc = run(args);
  const lines = [];
  const lineReader = createInterface({ input: proc.child.stdout });
  const ready = new Promise((resolve, reject) => {
    lineReader.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(JSON.parse(line));
    });
    proc.exited.then(({ code, stderr }) => reject(new Error(`provider exited (${code}) before ready:\n${stderr}`)));
  });
  const readyLine = await ready;
  return {
    ...readyLine,
    lines,
    async stop() {
      proc.child.kill('SIGTERM');
      return proc.exited;
    },
  };
}

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');

function decodeJwt(jwt) {
  const [header, payload, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url')),
    payload: JSON.parse(Buffer.from(payload, 'base64url')),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

async function verifyJwt(issuer, jwt) {
  const decoded = decodeJwt(jwt);
  const { keys } = await (await fetch(`${issuer}/jwks`)).json();
  const jwk = keys.find((key) => key.kid === decoded.header.kid);
  assert.ok(jwk, `the JWKS has the token's key ${decoded.header.kid}`);
  assert.equal(decoded.header.alg, 'RS256');
  const valid = verify('sha256', Buffer.from(decoded.signingInput), createPublicKey({ key: jwk, format: 'jwk' }), decoded.signature);
  assert.ok(valid, 'the signature verifies against the JWKS');
  return decoded;
}

// A browser's part of the protocol: cookies per path, redirects followed by hand.
class Browser {
  constructor(issuer) {
    this.issuer = issuer;
    this.cookies = new Map(); // `${path};${name}` -> { name, value, path }
  }

  cookieHeader(url) {
    const onPath = ({ path }) => path === '/' || url.pathname === path || url.pathname.startsWith(`${path.replace(/\/$/, '')}/`);
    return [...this.cookies.values()]
      .filter(onPath)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  store(url, response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = attributeValue;
        if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
        if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
      }
      const key = `${path};${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  async request(target, { method = 'GET', form } = {}) {
    const url = new URL(target, this.issuer);
    const headers = { accept: 'text/html' };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.store(url, response);
    return { url, response, text: await response.text() };
  }

  // Follows the provider's redirects until a page is shown or the browser leaves for the client.
  async follow(first) {
    let current = first;
    for (let hops = 0; hops < 10; hops += 1) {
      const { response, url } = current;
      if (response.status >= 300 && response.status < 400) {
        const location = new URL(response.headers.get('location'), url);
        if (location.origin !== new URL(this.issuer).origin) {
          return { left: location, previous: current };
        }
        current = await this.request(location);
      } else {
        return { page: current };
      }
    }
    throw new Error('too many redirects');
  }
}

function newAuthorizationRequest(extra = {}) {
  const verifier = base64url(randomBytes(32));
  const request = {
    verifier,
    state: base64url(randomBytes(16)),
    nonce: base64url(randomBytes(16)),
  };
  request.params = {
    client_id: CLIENT.client_id,
    response_type: 'code',
    redirect_uri: CLIENT.redirect_uris[0],
    scope: SCOPE,
    state: request.state,
    nonce: request.nonce,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    // ASP.NET Core's handler adds these telemetry parameters to every request.
    'x-client-SKU': 'ID_NET10_0',
    'x-client-ver': '8.0.0.0',
    ...extra,
  };
  return request;
}

async function startAuthorization(browser, request) {
  return browser.follow(await browser.request(`/auth?${new URLSearchParams(request.params)}`));
}

function loginFormAction(html) {
  const match = /<form method="post" action="([^"]+\/login)"/.exec(html);
  assert.ok(match, 'the page has the sign-in form');
  return match[1];
}

async function submitLogin(browser, page, email, password) {
  return browser.follow(await browser.request(loginFormAction(page.text), {
    method: 'POST', form: { login: email, password },
  }));
}

function codeFrom(result, request) {
  assert.ok(result.left, 'the browser went back to the client');
  assert.equal(`${result.left.origin}${result.left.pathname}`, CLIENT.redirect_uris[0]);
  assert.equal(result.left.searchParams.get('state'), request.state);
  assert.equal(result.left.searchParams.get('error'), null, result.left.searchParams.get('error_description') ?? '');
  const code = result.left.searchParams.get('code');
  assert.ok(code, 'the redirect has a code');
  return code;
}

async function tokenRequest(issuer, form) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, ...form }),
  });
  return { status: response.status, body: await response.json() };
}

async function redeem(issuer, code, verifier) {
  return tokenRequest(issuer, {
    grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CLIENT.redirect_uris[0],
  });
}

async function userinfo(issuer, accessToken) {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
}

// Signs a person in through the whole front channel and redeems the code.
async function signIn(issuer, email, { browser = new Browser(issuer), extra } = {}) {
  const request = newAuthorizationRequest(extra);
  let result = await startAuthorization(browser, request);
  if (result.page) result = await submitLogin(browser, result.page, email, PASSWORD);
  const tokens = await redeem(issuer, codeFrom(result, request), request.verifier);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return { browser, request, tokens: tokens.body, idToken: decodeJwt(tokens.body.id_token).payload };
}

// auth_time counts whole seconds: a later sign-in shows a larger value only in a later second.
async function untilSecondAfter(epochSeconds) {
  const wait = (epochSeconds + 1) * 1000 - Date.now();
  if (wait > 0) await delay(wait);
}

// ---------------------------------------------------------------------------------------------

describe('with --allow-control', () => {
  let idp;
  before(async () => { idp = await startProvider({ allowControl: true }); });
  after(async () => {
    const { code, signal } = await idp.stop();
    assert.equal(code, 0, `exit after SIGTERM (signal ${signal})`);
    assert.equal(idp.lines.length, 1, 'stdout carried only the ready line');
  });

  test('announces itself with exactly one ready line', () => {
    assert.equal(idp.ready, true);
    assert.match(idp.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(JSON.parse(idp.lines[0]), { ready: true, issuer: idp.issuer });
  });

  test('discovery document', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const discovery = await response.json();
    assert.equal(discovery.issuer, idp.issuer);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.equal(discovery.end_session_endpoint, `${idp.issuer}/session/end`);
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.grant_types_supported, ['authorization_code', 'refresh_token']);
    for (const scope of ['openid', 'profile', 'email', 'groups', 'offline_access']) {
      assert.ok(discovery.scopes_supported.includes(scope), scope);
    }
    assert.ok(discovery.userinfo_endpoint);
    assert.ok(discovery.revocation_endpoint);
    assert.equal(discovery.pushed_authorization_request_endpoint, undefined, 'PAR is not advertised');
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
  });

  test('code flow with PKCE: sign-in page, wrong then right password, tokens, refresh, userinfo', async () => {
    const browser = new Browser(idp.issuer);
    const request = newAuthorizationRequest();

    const first = await startAuthorization(browser, request);
    assert.ok(first.page, 'a sign-in page is shown');
    assert.equal(first.page.response.status, 200);
    const html = first.page.text;
    assert.match(html, /<title>Sign in · ReviewPortal development identity provider<\/title>/);
    assert.match(html, /<label for="login">Email<\/label>/);
    assert.match(html, /<input id="login" name="login"/);
    assert.match(html, /<label for="password">Password<\/label>/);
    assert.match(html, /<input id="password" name="password" type="password"/);
    assert.match(html, />Sign in<\/button>/);
    assert.match(html, />Cancel<\/button>/);
    assert.match(html, /development identity provider, for development and tests only/);
    assert.doesNotMatch(html, /<script/i, 'no script on the page');
    assert.doesNotMatch(html, /role="alert"/);
    assert.match(first.page.response.headers.get('content-security-policy'), /default-src 'none'/);

    const wrong = await submitLogin(browser, first.page, 'riley@test.local', 'not-the-password');
    assert.equal(wrong.page.response.status, 200);
    assert.match(wrong.page.text, /<p class="alert" role="alert" id="login-error">The email or password is not right/);
    assert.match(wrong.page.text, /value="riley@test.local"/, 'the email stays filled in');

    const unknown = await submitLogin(browser, wrong.page, 'nobody@test.local', PASSWORD);
    assert.equal(unknown.page.response.status, 200);
    assert.match(unknown.page.text, /role="alert"/);

    // Email is matched without regard to case.
    const right = await submitLogin(browser, unknown.page, 'RILEY@test.LOCAL', PASSWORD);
    const code = codeFrom(right, request);
    assert.equal(right.left.searchParams.get('iss'), idp.issuer);

    const tokens = await redeem(idp.issuer, code, request.verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.token_type, 'Bearer');
    assert.ok(tokens.body.access_token);
    assert.ok(tokens.body.refresh_token, 'offline_access gives a refresh token without a consent prompt');
    assert.ok(tokens.body.expires_in <= 600);

    const { payload: idToken } = await verifyJwt(idp.issuer, tokens.body.id_token);
    assert.equal(idToken.iss, idp.issuer);
    assert.equal(idToken.aud, CLIENT.client_id);
    assert.equal(idToken.sub, 'u-riley');
    assert.equal(idToken.nonce, request.nonce);
    assert.equal(idToken.email, 'Riley@Test.local');
    assert.equal(idToken.email_verified, true);
    assert.equal(idToken.name, 'Riley Reviewer');
    assert.equal(idToken.preferred_username, 'Riley@Test.local');
    assert.deepEqual(idToken.groups, ['reviewers']);
    assert.equal(idToken.acr, 'urn:reviewportal:pwd');
    assert.deepEqual(idToken.amr, ['pwd']);
    assert.equal(typeof idToken.auth_time, 'number');
    assert.ok(Math.abs(idToken.auth_time - Date.now() / 1000) < 60);
    assert.ok(idToken.exp - idToken.iat <= 600);

    const info = await userinfo(idp.issuer, tokens.body.access_token);
    assert.equal(info.status, 200);
    assert.equal(info.body.sub, 'u-riley');
    assert.deepEqual(info.body.groups, ['reviewers']);
    assert.equal(info.body.email, 'Riley@Test.local');

    const refreshed = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.ok(refreshed.body.access_token);
    assert.notEqual(refreshed.body.access_token, tokens.body.access_token);
    assert.ok(refreshed.body.refresh_token);
    const { payload: refreshedIdToken } = await verifyJwt(idp.issuer, refreshed.body.id_token);
    assert.equal(refreshedIdToken.sub, 'u-riley');
    assert.equal(refreshedIdToken.auth_time, idToken.auth_time, 'refresh keeps the original auth_time');
    assert.equal((await userinfo(idp.issuer, refreshed.body.access_token)).status, 200);

    // A second authorization in the same browser needs no password.
    const again = newAuthorizationRequest();
    const silent = await startAuthorization(browser, again);
    codeFrom(silent, again);
  });

  test('form_post answers with a page whose only script the policy allows by hash', async () => {
    const browser = new Browser(idp.issuer);
    const request = newAuthorizationRequest({ response_mode: 'form_post' });
    const shown = await startAuthorization(browser, request);
    const posted = await submitLogin(browser, shown.page, 'riley@test.local', PASSWORD);
    assert.ok(posted.page, 'a page that posts back to the client');
    const { text, response } = posted.page;
    assert.match(text, new RegExp(`<form method="post" action="${CLIENT.redirect_uris[0]}">`));
    assert.match(text, new RegExp(`name="state" value="${request.state}"`));
    assert.match(text, /name="code" value="[^"]+"/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(text)[1];
    const hash = createHash('sha256').update(script).digest('base64');
    assert.match(response.headers.get('content-security-policy'), new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
  });

  test('the code exchange fails without the verifier or with another one, and PKCE is required', async () => {
    const browser = new Browser(idp.issuer);
    const request = newAuthorizationRequest();
    const shown = await startAuthorization(browser, request);
    const code = codeFrom(await submitLogin(browser, shown.page, 'riley@test.local', PASSWORD), request);

    const missing = await tokenRequest(idp.issuer, {
      grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect_uris[0],
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_grant');

    const request2 = newAuthorizationRequest();
    const code2 = codeFrom(await startAuthorization(browser, request2), request2);
    const other = await redeem(idp.issuer, code2, base64url(randomBytes(32)));
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'invalid_grant');

    const { code_challenge: _c, code_challenge_method: _m, ...withoutPkce } = newAuthorizationRequest().params;
    const refused = await browser.follow(await browser.request(`/auth?${new URLSearchParams(withoutPkce)}`));
    assert.equal(refused.left.searchParams.get('error'), 'invalid_request');
    assert.match(refused.left.searchParams.get('error_description'), /PKCE/);
  });

  test('prompt=login and max_age=0 ask for the password again and give a newer auth_time', async () => {
    const first = await signIn(idp.issuer, 'riley@test.local');

    await untilSecondAfter(first.idToken.auth_time);
    const request = newAuthorizationRequest({ prompt: 'login' });
    const shown = await startAuthorization(first.browser, request);
    assert.ok(shown.page, 'prompt=login shows the sign-in page despite the session');
    assert.match(shown.page.text, /<h1>Sign in<\/h1>/);
    const code = codeFrom(await submitLogin(first.browser, shown.page, 'riley@test.local', PASSWORD), request);
    const stepUp = await redeem(idp.issuer, code, request.verifier);
    assert.equal(stepUp.status, 200);
    const stepUpIdToken = decodeJwt(stepUp.body.id_token).payload;
    assert.ok(stepUpIdToken.auth_time > first.idToken.auth_time, 'auth_time moved on');
    assert.equal(stepUpIdToken.sub, 'u-riley');
    assert.ok(stepUp.body.refresh_token, 'a step-up sign-in still gives a refresh token');

    await untilSecondAfter(stepUpIdToken.auth_time);
    const maxAge = await signIn(idp.issuer, 'riley@test.local', { browser: first.browser, extra: { max_age: '0' } });
    assert.ok(maxAge.idToken.auth_time > stepUpIdToken.auth_time, 'max_age=0 forces a fresh sign-in');
  });

  test('signing in as someone else over an existing session ends the first session and signs in the second', async () => {
    const first = await signIn(idp.issuer, 'riley@test.local');
    const request = newAuthorizationRequest({ prompt: 'login' });
    const shown = await startAuthorization(first.browser, request);
    const switched = await submitLogin(first.browser, shown.page, 'casey@test.local', PASSWORD);
    // oidc-provider first ends the old session through a self-submitting sign-out form.
    assert.ok(switched.page, 'the page that signs the first person out');
    const action = /<form method="post" action="([^"]+)">/.exec(switched.page.text)[1];
    const inputs = Object.fromEntries([...switched.page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)]
      .map(([, name, value]) => [name, value]));
    assert.equal(new URL(action).pathname, '/session/end/confirm');
    const done = await first.browser.follow(await first.browser.request(action, { method: 'POST', form: inputs }));
    const tokens = await redeem(idp.issuer, codeFrom(done, request), request.verifier);
    assert.equal(tokens.status, 200);
    assert.equal(decodeJwt(tokens.body.id_token).payload.sub, 'u-casey');
  });

  test('cancel sends access_denied back to the redirect_uri with the state', async () => {
    const browser = new Browser(idp.issuer);
    const request = newAuthorizationRequest();
    const shown = await startAuthorization(browser, request);
    const action = /<form method="post" action="([^"]+\/abort)"/.exec(shown.page.text)[1];
    const cancelled = await browser.follow(await browser.request(action, { method: 'POST', form: {} }));
    assert.equal(`${cancelled.left.origin}${cancelled.left.pathname}`, CLIENT.redirect_uris[0]);
    assert.equal(cancelled.left.searchParams.get('error'), 'access_denied');
    assert.equal(cancelled.left.searchParams.get('state'), request.state);
    assert.equal(cancelled.left.searchParams.get('code'), null);
  });

  test('cancel with form_post posts access_denied on from a page that loads without an error status', async () => {
    const browser = new Browser(idp.issuer);
    const request = newAuthorizationRequest({ response_mode: 'form_post', login_hint: 'casey@test.local' });
    const shown = await startAuthorization(browser, request);
    assert.match(shown.page.text, /<input id="login" name="login" type="email" autocomplete="username" required value="casey@test.local"/, 'login_hint fills in the email');
    const action = /<form method="post" action="([^"]+\/abort)"/.exec(shown.page.text)[1];
    const cancelled = await browser.follow(await browser.request(action, { method: 'POST', form: {} }));
    assert.equal(cancelled.page.response.status, 200);
    assert.match(cancelled.page.text, /name="error" value="access_denied"/);
    assert.match(cancelled.page.text, new RegExp(`name="state" value="${request.state}"`));

    const invalid = await browser.request('/auth?client_id=unknown-client&response_type=code');
    assert.equal(invalid.response.status, 400, 'the provider\'s own error page keeps its status');
    assert.match(invalid.text, /invalid_client/);
  });

  test('a stale or foreign interaction shows an error page, never a crash', async () => {
    const browser = new Browser(idp.issuer);
    const stale = await browser.request('/interaction/doesnotexist');
    assert.equal(stale.response.status, 400);
    assert.match(stale.text, /role="alert"/);
    const post = await browser.request('/interaction/doesnotexist/login', { method: 'POST', form: { login: 'x', password: 'y' } });
    assert.equal(post.response.status, 400);
  });

  test('sign-out with post_logout_redirect_uri ends the session and goes back with the state', async () => {
    const { browser, tokens } = await signIn(idp.issuer, 'riley@test.local');
    const state = base64url(randomBytes(8));
    const query = new URLSearchParams({
      id_token_hint: tokens.id_token, post_logout_redirect_uri: CLIENT.post_logout_redirect_uris[0], state, 'x-client-SKU': 'ID_NET10_0',
    });
    const confirm = await browser.request(`/session/end?${query}`);
    assert.equal(confirm.response.status, 200);
    assert.match(confirm.text, /<title>Sign out · ReviewPortal development identity provider<\/title>/);
    assert.doesNotMatch(confirm.text, /<script/i);
    const form = /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"\/><\/form>/.exec(confirm.text);
    assert.ok(form, 'the confirmation form');
    const done = await browser.follow(await browser.request(form[1], { method: 'POST', form: { xsrf: form[2], logout: 'yes' } }));
    assert.equal(`${done.left.origin}${done.left.pathname}`, CLIENT.post_logout_redirect_uris[0]);
    assert.equal(done.left.searchParams.get('state'), state);

    const request = newAuthorizationRequest();
    const afterLogout = await startAuthorization(browser, request);
    assert.ok(afterLogout.page, 'signing in again asks for the password');
  });

  test('control: replacing groups shows in userinfo and in refreshed ID Tokens at once', async () => {
    const { tokens, idToken } = await signIn(idp.issuer, 'casey@test.local');
    assert.deepEqual(idToken.groups, ['reviewers']);

    const put = await fetch(`${idp.issuer}/_control/people/u-casey/groups`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(['legal', 'managers']),
    });
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), { sub: 'u-casey', groups: ['legal', 'managers'] });

    const info = await userinfo(idp.issuer, tokens.access_token);
    assert.deepEqual(info.body.groups, ['legal', 'managers']);
    const refreshed = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200);
    assert.deepEqual(decodeJwt(refreshed.body.id_token).payload.groups, ['legal', 'managers']);

    const bad = await fetch(`${idp.issuer}/_control/people/u-casey/groups`, { method: 'PUT', body: '{"not":"an array"}' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'invalid_request');
    const nobody = await fetch(`${idp.issuer}/_control/people/u-nobody/groups`, { method: 'PUT', body: '[]' });
    assert.equal(nobody.status, 404);
    const wrongMethod = await fetch(`${idp.issuer}/_control/people/u-casey/groups`);
    assert.equal(wrongMethod.status, 405);
  });

  test('control: rotating keys signs new tokens with a new key and keeps the old one published', async () => {
    const before = await signIn(idp.issuer, 'riley@test.local');
    const oldKid = decodeJwt(before.tokens.id_token).header.kid;

    const rotate = await fetch(`${idp.issuer}/_control/rotate-keys`, { method: 'POST' });
    assert.equal(rotate.status, 200);
    const { kid, kids } = await rotate.json();
    assert.notEqual(kid, oldKid);
    assert.equal(kids[0], kid);
    assert.ok(kids.includes(oldKid));

    const { keys } = await (await fetch(`${idp.issuer}/jwks`)).json();
    assert.deepEqual(keys.map((key) => key.kid).sort(), [...kids].sort());
    assert.ok(keys.every((key) => key.d === undefined), 'no private parts in the JWKS');

    // The session, refresh tokens and the old ID Token all survive the rotation.
    const refreshed = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: before.tokens.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await verifyJwt(idp.issuer, refreshed.body.id_token)).header.kid, kid);
    const silent = await signIn(idp.issuer, 'riley@test.local', { browser: before.browser });
    assert.equal((await verifyJwt(idp.issuer, silent.tokens.id_token)).header.kid, kid);
    await verifyJwt(idp.issuer, before.tokens.id_token);
  });

  test('control: removing a person makes refresh and userinfo fail and ends their sign-in', async () => {
    const { browser, tokens } = await signIn(idp.issuer, 'jordan@test.local');
    assert.equal(decodeJwt(tokens.id_token).payload.email_verified, false);

    const removed = await fetch(`${idp.issuer}/_control/people/u-jordan`, { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.deepEqual(await removed.json(), { sub: 'u-jordan', removed: true, sessionsEnded: 1 });

    const refreshed = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.body.error, 'invalid_grant');
    assert.equal((await userinfo(idp.issuer, tokens.access_token)).status, 401);

    const request = newAuthorizationRequest();
    const again = await startAuthorization(browser, request);
    assert.ok(again.page, 'the sign-in page, not a silent sign-in');
    const refused = await submitLogin(browser, again.page, 'jordan@test.local', PASSWORD);
    assert.match(refused.page.text, /role="alert"/);

    assert.equal((await fetch(`${idp.issuer}/_control/people/u-jordan`, { method: 'DELETE' })).status, 404);
  });

  test('introspection and revocation, for the client that holds the token', async () => {
    const { tokens } = await signIn(idp.issuer, 'riley@test.local');
    const post = async (path, form) => {
      const response = await fetch(`${idp.issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, ...form }),
      });
      return { status: response.status, body: await response.text() };
    };
    const active = await post('/token/introspection', { token: tokens.access_token });
    assert.equal(active.status, 200);
    assert.equal(JSON.parse(active.body).active, true);
    assert.equal(JSON.parse(active.body).sub, 'u-riley');

    const revoked = await post('/token/revocation', { token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    assert.equal(revoked.status, 200);
    const refreshed = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.body.error, 'invalid_grant');
    assert.equal(JSON.parse((await post('/token/introspection', { token: tokens.access_token })).body).active, false,
      'revoking the refresh token ends the grant and the access tokens issued under it');
  });

  test('unknown routes get the provider\'s 404', async () => {
    assert.equal((await fetch(`${idp.issuer}/nothing-here`)).status, 404);
    assert.equal((await fetch(`${idp.issuer}/_control/nothing`)).status, 404);
  });
});

describe('without --allow-control', () => {
  let idp;
  before(async () => { idp = await startProvider({ allowControl: false }); });
  after(async () => { await idp.stop(); });

  test('the control endpoints do not exist', async () => {
    const put = await fetch(`${idp.issuer}/_control/people/u-casey/groups`, { method: 'PUT', body: '["x"]' });
    assert.equal(put.status, 404);
    assert.equal((await fetch(`${idp.issuer}/_control/people/u-casey`, { method: 'DELETE' })).status, 404);
    assert.equal((await fetch(`${idp.issuer}/_control/rotate-keys`, { method: 'POST' })).status, 404);
    const { idToken } = await signIn(idp.issuer, 'casey@test.local');
    assert.deepEqual(idToken.groups, ['reviewers'], 'the groups were not changed');
  });
});

describe('bad arguments and files', () => {
  async function expectRefusal(args, pattern) {
    const { exited } = run(args);
    const { code, stderr } = await exited;
    assert.equal(code, 2, stderr);
    assert.match(stderr, pattern);
  }

  function file(name, content) {
    const path = join(workDir, name);
    writeFileSync(path, content);
    return path;
  }

  test('a missing or bad --port', async () => {
    await expectRefusal(['--people', peopleFile, '--clients', clientsFile], /--port is required/);
    await expectRefusal(['--port', 'eighty', '--people', peopleFile, '--clients', clientsFile], /--port must be a whole number/);
    await expectRefusal(['--port', '0', '--people', peopleFile, '--clients', clientsFile, '--verbose'], /Unknown option '--verbose'/);
  });

  test('a people file that is missing, not JSON, or has a bad entry', async () => {
    const missing = join(workDir, 'absent.json');
    await expectRefusal(['--port', '0', '--people', missing, '--clients', clientsFile], new RegExp(`cannot read the people file ${missing}`));
    await expectRefusal(['--port', '0', '--people', file('broken.json', '[{'), '--clients', clientsFile], /people file .*broken\.json is not valid JSON/);
    const twice = file('twice.json', JSON.stringify([PEOPLE[0], { ...PEOPLE[1], email: 'riley@test.local' }]));
    await expectRefusal(['--port', '0', '--people', twice, '--clients', clientsFile], /entry 1: email "riley@test.local" is used twice/);
    const noGroups = file('nogroups.json', JSON.stringify([{ ...PEOPLE[0], groups: 'reviewers' }]));
    await expectRefusal(['--port', '0', '--people', noGroups, '--clients', clientsFile], /entry 0: "groups" must be an array/);
  });

  test('a clients file with a bad entry', async () => {
    const relative = file('relative.json', JSON.stringify([{ ...CLIENT, redirect_uris: ['/signin-oidc'] }]));
    await expectRefusal(['--port', '0', '--people', peopleFile, '--clients', relative], /"redirect_uris" has "\/signin-oidc", which is not an absolute URL/);
    const typo = file('typo.json', JSON.stringify([{ ...CLIENT, redirect_uri: CLIENT.redirect_uris[0] }]));
    await expectRefusal(['--port', '0', '--people', peopleFile, '--clients', typo], /unknown property "redirect_uri"/);
  });
});

after(() => rmSync(workDir, { recursive: true, force: true }));
