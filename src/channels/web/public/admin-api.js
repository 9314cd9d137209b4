// The console's session token and authorised requests, shared by admin.js and admin-faq.js.
// The token lives in sessionStorage (gone with the tab) and goes out as a Bearer header.

export const session = {
  get token() {
    return sessionStorage.getItem('sb.admin.token');
  },
  set token(value) {
    if (value) sessionStorage.setItem('sb.admin.token', value);
    else sessionStorage.removeItem('sb.admin.token');
  },
};

/** fetch() with the console's headers; `options.body`, when given, is a JSON string. */
export function authorizedFetch(path, options = {}) {
  return fetch(path, {
    ...options,
    headers: {
      Accept: 'application/json',
      Authorization: `Bearer ${session.token}`,
      ...(options.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
}
