import { type Community, newReply, newThread, startCommunity } from './discussions-fixtures';

/** Payloads from the usual cheat sheets, raw HTML and Markdown alike. */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(document.cookie)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<div style="background-image:url(javascript:alert(1))">x</div>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#106;avascript:alert(1)">click</a>',
  '<a href="&#x6A;&#x61;vascript:alert(1)">click</a>',
  '<a href="java\tscript:alert(1)">tab</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](%6Aavascript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '[x](<javascript:alert(1)>)',
  '[x]( javascript:alert(1) "title")',
  '[ref][1]\n\n[1]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '![x" onerror="alert(1)](https://example.org/a.png)',
  '![x](https://example.org/a.png" onerror="alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '> <img src=x onerror=alert(1)>',
  '**<a href="javascript:alert(1)">bold</a>**',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<a href="https://example.org" onclick="alert(1)" style="color:red">ok</a>',
  '[ok](https://example.org "t\\" onmouseover=\\"alert(1)")',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
];

const TAGS = new Set([
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'del',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const ATTRIBUTES: Record<string, string[]> = { a: ['href', 'rel', 'target'], ol: ['start'] };

const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/g, '&');

/**
 * Every `<` left in the HTML opens a real tag (text is escaped): each tag must be on the allowlist,
 * with allowed attributes only, and a link may point to http, https or mailto only.
 */
function assertHarmless(html: string, payload: string): void {
  const context = `payload ${JSON.stringify(payload)} → ${JSON.stringify(html)}`;
  expect({
    context,
    script: /<\s*\/?\s*(script|iframe|style|svg|img|object|embed|form|meta|math)/i.test(html),
  }).toEqual({ context, script: false });
  for (const [, closing, name, rest] of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>/g)) {
    expect({ context, tag: TAGS.has(name.toLowerCase()) }).toEqual({ context, tag: true });
    if (closing) continue;
    expect({ context, handler: /\son\w+\s*=/i.test(rest) }).toEqual({ context, handler: false });
    const attributes = [...rest.matchAll(/\s([^\s=]+)="([^"]*)"/g)];
    // nothing outside name="value" pairs (an unquoted or broken attribute would show here)
    expect({ context, rest: rest.replace(/\s([^\s=]+)="([^"]*)"/g, '').trim() }).toEqual({
      context,
      rest: '',
    });
    for (const [, attribute, value] of attributes) {
      expect({ context, attribute: (ATTRIBUTES[name] ?? []).includes(attribute) }).toEqual({
        context,
        attribute: true,
      });
      const url = decode(value)
        .replace(/\s/g, '')
        // eslint-disable-next-line no-control-regex -- browsers ignore control characters in URLs
        .replace(/[\u0000-\u001f]/g, '')
        .toLowerCase();
      expect({ context, scheme: /^(javascript|data|vbscript):/.test(url) }).toEqual({
        context,
        scheme: false,
      });
      if (attribute === 'href')
        expect({ context, ok: /^(https?:|mailto:)/.test(url) }).toEqual({ context, ok: true });
    }
  }
}

describe('discussions: Markdown bodies and the XSS corpus', () => {
  let c: Community;
  let threadId: string;
  beforeAll(async () => {
    c = await startCommunity();
    threadId = (await newThread(c.t, c.publicGroup.id, c.member.accessToken)).id;
  });
  afterAll(() => c?.t.close());

  it(`renders all ${PAYLOADS.length} payloads harmless, keeping the source as written`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(25);
    for (const payload of PAYLOADS) {
      const post = await newReply(c.t, threadId, c.member.accessToken, payload);
      expect(post.body).toBe(payload);
      assertHarmless(post.html, payload);
    }
    // And as served to readers, and in a thread's first post, and after an edit.
    const page = await c.t.get(`/threads/${threadId}/posts?limit=100`);
    for (const p of page.body.items) assertHarmless(p.html, p.body);
    const thread = await newThread(c.t, c.publicGroup.id, c.member.accessToken, {
      body: PAYLOADS[2],
    });
    assertHarmless(thread.firstPost.html, PAYLOADS[2]);
    const edited = await c.t.patch(
      `/posts/${thread.firstPost.id}`,
      { body: PAYLOADS[10] },
      { token: c.member.accessToken },
    );
    assertHarmless(edited.body.html, PAYLOADS[10]);
  });

  it('renders ordinary Markdown; links open safely, images become links', async () => {
    const body = [
      '# Our story',
      '',
      'We *finally* got a **pump**. See https://example.org and [the guide](https://example.org/guide).',
      '',
      '> Hang in there',
      '',
      '- one',
      '- two',
      '',
      '![our pump](https://example.org/pump.png) `code` and mail [us](mailto:hello@example.org)',
    ].join('\n');
    const post = await newReply(c.t, threadId, c.member.accessToken, body);
    const rel = 'rel="nofollow noopener noreferrer ugc" target="_blank"';
    expect(post.html).toBe(
      [
        '<h1>Our story</h1>',
        `<p>We <em>finally</em> got a <strong>pump</strong>. See <a href="https://example.org" ${rel}>https://example.org</a> and <a href="https://example.org/guide" ${rel}>the guide</a>.</p>`,
        '<blockquote>',
        '<p>Hang in there</p>',
        '</blockquote>',
        '<ul>',
        '<li>one</li>',
        '<li>two</li>',
        '</ul>',
        `<p><a href="https://example.org/pump.png" ${rel}>our pump</a> <code>code</code> and mail <a href="mailto:hello@example.org" ${rel}>us</a></p>`,
      ].join('\n'),
    );
    assertHarmless(post.html, body);
  });
});
