// Talks to /api/v1 with the session cookie and the CSRF header; errors carry the server's message.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `Request failed (${status})`);
    this.status = status;
    this.code = body.error;
    this.field = body.field;
  }
}

export function rememberCsrf(token) {
  csrfToken = token;
}

// body: an object (sent as JSON) or FormData (sent as multipart, for a file).
export async function request(method, path, body) {
  const form = body instanceof FormData;
  const headers = { Accept: 'application/json' };
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (csrfToken && method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined || form ? body : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
