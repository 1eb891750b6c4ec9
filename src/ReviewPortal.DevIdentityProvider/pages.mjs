// HTML pages of the development identity provider: sign-in, sign-out and errors.
// Every page shares one stylesheet so that a single hash in the Content-Security-Policy allows it;
// no page carries a script, so the policy can forbid inline scripts outright.
import { createHash } from 'node:crypto';

const PRODUCT = 'ReviewPortal development identity provider';

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #f6f7f9; --card: #ffffff; --muted: #4a5360;
  --accent: #0b57d0; --accent-fg: #ffffff; --border: #8a94a3; --error-bg: #fdecea; --error-fg: #8c1d18; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ee; --bg: #16181c; --card: #22252b; --muted: #b4bcc8; --accent: #8ab4f8;
    --accent-fg: #0b1b33; --border: #7c8594; --error-bg: #3b1715; --error-fg: #ffb4ab; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
main { max-width: 26rem; margin: 3rem auto; padding: 1.5rem 2rem 2rem; background: var(--card);
  border: 1px solid var(--border); border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
p { margin: 0.5rem 0; }
.note { color: var(--muted); font-size: 0.9rem; }
.client { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input { display: block; width: 100%; margin-top: 0.25rem; padding: 0.5rem; font: inherit; color: var(--fg);
  background: var(--card); border: 1px solid var(--border); border-radius: 4px; }
input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 4px; cursor: pointer; border: 1px solid var(--accent); }
button.primary { background: var(--accent); color: var(--accent-fg); font-weight: 600; }
button.secondary { background: transparent; color: var(--fg); border-color: var(--border); }
.alert { padding: 0.75rem; border-radius: 4px; background: var(--error-bg); color: var(--error-fg);
  border: 1px solid var(--error-fg); }
dl { margin: 1rem 0 0; }
dt { font-weight: 600; }
dd { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
`;

export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

// script-src keeps a source ('self') rather than 'none' because oidc-provider appends the hash of
// its own form_post auto-submit script to this directive, and 'none' next to a hash is ignored
// with a console warning.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src ${STYLE_HASH}`,
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function escapeHtml(value) {
  if (value === undefined || value === null) return '';
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${PRODUCT}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const DEV_NOTE = `<p class="note">This is the ${PRODUCT}, for development and tests only. It keeps everything in memory and forgets it when it stops.</p>`;

export function loginPage({ uid, clientName, email, error }) {
  const errorId = 'login-error';
  const invalid = error ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
  const emailFocus = email ? '' : ' autofocus';
  const passwordFocus = email ? ' autofocus' : '';
  return layout('Sign in', `<h1>Sign in</h1>
${DEV_NOTE}
<p class="client">to continue to <strong>${escapeHtml(clientName)}</strong></p>
${error ? `<p class="alert" role="alert" id="${errorId}">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login" id="login-form">
<label for="login">Email</label>
<input id="login" name="login" type="email" autocomplete="username" required value="${escapeHtml(email)}"${invalid}${emailFocus}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${passwordFocus}>
</form>
<form method="post" action="/interaction/${encodeURIComponent(uid)}/abort" id="cancel-form"></form>
<div class="actions">
<button type="submit" class="primary" form="login-form">Sign in</button>
<button type="submit" class="secondary" form="cancel-form">Cancel</button>
</div>`);
}

// `form` is oidc-provider's own markup: an empty form with the xsrf token, which the buttons submit.
export function logoutPage({ form, clientName }) {
  const from = clientName ? ` from <strong>${escapeHtml(clientName)}</strong>` : '';
  return layout('Sign out', `<h1>Sign out</h1>
${DEV_NOTE}
<p>You asked to sign out${from}. Sign out of the development identity provider as well?</p>
${form}
<div class="actions">
<button type="submit" class="primary" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" class="secondary" form="op.logoutForm">Stay signed in here</button>
</div>`);
}

export function signedOutPage({ clientName }) {
  const from = clientName ? ` from ${escapeHtml(clientName)}` : '';
  return layout('Signed out', `<h1>Signed out</h1>
${DEV_NOTE}
<p>You have signed out${from}. You can close this page.</p>`);
}

export function errorPage(out) {
  const entries = Object.entries(out ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('\n');
  return layout('Sign-in error', `<h1>Something went wrong</h1>
${DEV_NOTE}
<p role="alert">The sign-in request could not be completed.</p>
${entries ? `<dl>\n${entries}\n</dl>` : ''}`);
}
