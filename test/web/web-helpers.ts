// Signing in to the pages over plain HTTP (no browser): the login form's CSRF cookie, the session cookie,
// and the session's CSRF value for form posts.
export interface WebSession {
  cookie: string;
  csrf: string;
  get(path: string): Promise<{ status: number; text: string; headers: Headers }>;
  post(
    path: string,
    body: URLSearchParams | FormData,
  ): Promise<{ status: number; text: string; headers: Headers }>;
}

const cookiesOf = (h: Headers): string[] => h.getSetCookie().map((c) => c.split(';')[0]);

export async function signIn(url: string, token: string): Promise<WebSession> {
  const form = await fetch(`${url}/login`);
  const loginCookie = cookiesOf(form.headers).join('; ');
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const r = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ _csrf: loginCsrf, token, next: '/assessments' }),
  });
  const cookie = cookiesOf(r.headers)
    .filter((c) => c.startsWith('pia_session=') && c.length > 'pia_session='.length)
    .join('; ');
  if (!cookie) throw new Error(`login failed: ${r.status}`);
  const list = await fetch(`${url}/assessments`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await list.text())?.[1] ?? '';
  const answer = async (res: Response) => ({
    status: res.status,
    text: await res.text(),
    headers: res.headers,
  });
  return {
    cookie,
    csrf,
    get: async (path) => answer(await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' })),
    post: async (path, body) => {
      body.set('_csrf', csrf);
      return answer(
        await fetch(`${url}${path}`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' }),
      );
    },
  };
}

/** The visible text of an HTML page, roughly: tags dropped, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<textarea[^>]*>[\s\S]*?<\/textarea>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');

/**
 * What a browser would post for the form `#editor-form` of a page (no button pressed): text inputs,
 * hidden inputs, text areas, checked radios and checkboxes. Enough of HTML for our own pages.
 */
export function formFields(html: string, formId = 'editor-form'): URLSearchParams {
  const start = html.indexOf(`id="${formId}"`);
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const out = new URLSearchParams();
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? decode(m[1]) : undefined;
  };
  for (const m of form.matchAll(/<input\b[^>]*>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const tag = m[0];
    if (tag.startsWith('<textarea')) {
      const name = attr(m[1], 'name');
      // A leading newline right after <textarea> is dropped by HTML parsers.
      if (name) out.append(name, decode(m[2]).replace(/^\n/, ''));
      continue;
    }
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = attr(tag, 'type') ?? 'text';
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue;
    if (type === 'submit' || type === 'file') continue;
    out.append(name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : ''));
  }
  return out;
}
