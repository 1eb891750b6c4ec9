// In-memory storage for oidc-provider models, shared by every Provider instance of the process.
//
// oidc-provider's bundled memory adapter keeps a store per Provider instance and caps it at 1000
// entries, evicting live sessions under load. Key rotation builds a new Provider (the keystore is
// fixed at construction), so sessions, grants and tokens must outlive the instance that made them,
// and a long test run must not lose sessions to eviction. Expired entries are dropped on read and
// by a periodic sweep.

const entries = new Map(); // key -> { value, expiresAt }
const grantMembers = new Map(); // grantId -> Set of keys of tokens issued under that grant

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

function read(key) {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry.value;
}

function write(key, value, expiresIn) {
  const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
  entries.set(key, { value, expiresAt });
}

const sessionUidKey = (uid) => `sessionUid:${uid}`;
const userCodeKey = (code) => `userCode:${code}`;

export class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    write(key, payload, expiresIn);
    if (this.model === 'Session' && payload.uid) {
      write(sessionUidKey(payload.uid), id, expiresIn);
    }
    if (payload.userCode) {
      write(userCodeKey(payload.userCode), id, expiresIn);
    }
    if (GRANTABLE.has(this.model) && payload.grantId) {
      let members = grantMembers.get(payload.grantId);
      if (!members) {
        members = new Set();
        grantMembers.set(payload.grantId, members);
      }
      members.add(key);
    }
  }

  async find(id) {
    return read(this.key(id));
  }

  async findByUid(uid) {
    const id = read(sessionUidKey(uid));
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = read(userCodeKey(userCode));
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = read(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    const key = this.key(id);
    const payload = read(key);
    entries.delete(key);
    if (payload?.uid && read(sessionUidKey(payload.uid)) === id) entries.delete(sessionUidKey(payload.uid));
    if (payload?.userCode) entries.delete(userCodeKey(payload.userCode));
    if (payload?.grantId) grantMembers.get(payload.grantId)?.delete(key);
  }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) {
      entries.delete(key);
    }
    grantMembers.delete(grantId);
  }
}

// The ids of live sessions of one account, so that removing a person also ends their sign-in.
export function sessionIdsOf(accountId) {
  const ids = [];
  for (const key of entries.keys()) {
    if (key.startsWith('Session:') && read(key)?.accountId === accountId) {
      ids.push(key.slice('Session:'.length));
    }
  }
  return ids;
}

function sweep() {
  const now = Date.now();
  for (const [key, entry] of entries) {
    if (entry.expiresAt <= now) entries.delete(key);
  }
  for (const [grantId, members] of grantMembers) {
    for (const key of members) {
      if (!entries.has(key)) members.delete(key);
    }
    if (members.size === 0) grantMembers.delete(grantId);
  }
}

setInterval(sweep, 60_000).unref();
