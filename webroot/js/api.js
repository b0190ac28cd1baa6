// The HTTP API: JSON in and out, the bearer token on every call, the contract's error body turned into ApiError.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }

  /** "endTime must be after startTime" plus the per-field problems the server listed. */
  describe() {
    const message = inWords(this.message);
    const extra = this.details
      .filter(d => d && d.field && d.problem && !this.message.includes(d.problem))
      .map(d => inWords(`${d.field} ${d.problem}`));
    return extra.length ? `${message} (${extra.join('; ')})` : message;
  }
}

/** The API's field names as people say them: no "endTime must be…" reaches a reader. */
const FIELD_WORDS = {
  startTime: 'the start time', endTime: 'the end time', studentId: 'the student', cohortId: 'the cohort',
  mentorId: 'the mentor', mentorIds: 'the mentors', dueAt: 'the due date', focusStack: 'the focus',
  isGroupSession: 'the kind of session', title: 'the title', description: 'the notes', body: 'the text',
  content: 'the text', email: 'the email', password: 'the password', name: 'the name', token: 'the link',
  attendance: 'the attendance', active: 'the state', role: 'the role'
};

export function inWords(text) {
  const replaced = String(text || '').replace(/\b[a-z]+[A-Z]\w*\b|\b(title|description|body|content|email|password|name|token|role)\b(?= (must|is|may|cannot|should|has))/g,
    word => FIELD_WORDS[word] || word);
  return replaced.charAt(0).toUpperCase() + replaced.slice(1);
}

/** RFC 9110's idempotent methods: sending one again does no more than sending it once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** A 503 (the portal is busy) to an idempotent request is tried again after its Retry-After, this many times. */
const BUSY_RETRIES = 3;
const MAX_RETRY_WAIT_MS = 10_000;
const BUSY_MESSAGE = 'The portal is busy right now. Please try again in a moment.';

function retryAfterMs(response) {
  const seconds = Number(response.headers.get('Retry-After'));
  return Math.min(MAX_RETRY_WAIT_MS, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export function createApi({ token, onUnauthorized, onUnreachable }) {
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const current = token();
    if (current) headers.Authorization = 'Bearer ' + current;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    for (let attempt = 0; ; attempt++) {
      try {
        response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        // the node went away (restart, failover): say so at once, not when the socket's reconnect gives up
        if (onUnreachable) onUnreachable();
        throw new ApiError(0, 'network', 'The portal cannot be reached. Check your connection and try again.');
      }
      if (response.status !== 503 || !IDEMPOTENT.has(method) || attempt >= BUSY_RETRIES) break;
      await sleep(retryAfterMs(response));
    }
    if (response.status === 204) return null;
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (response.ok) return json;
    const error = (json && json.error) || {};
    const message = response.status === 503 ? BUSY_MESSAGE : error.message || `The request failed (${response.status}).`;
    const failure = new ApiError(response.status, error.code || 'http_' + response.status, message, error.details);
    if (response.status === 401 && current && onUnauthorized) onUnauthorized(failure);
    throw failure;
  }

  return {
    get: path => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    del: path => request('DELETE', path)
  };
}

/** A message for any failure, for the UI. */
export function describeError(e) {
  if (e instanceof ApiError) return e.describe();
  return (e && e.message) || 'Something went wrong.';
}
