"""Hostile Markdown and HTML that any feature rendering members' text must neutralise.

Posts, wiki pages, event descriptions: each feature's tests run its renderer over
``PAYLOADS`` and check the HTML with ``assert_html_is_safe``.
"""

import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "meta", "base", "link"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "data"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = frozenset({"nofollow", "ugc", "noopener"})

# What a browser ignores in a URL: ASCII whitespace and control characters.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _SafetyChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES:
                url = _URL_IGNORED.sub("", value or "").lower()
                scheme = _SCHEME.match(url)
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")
                elif not scheme and ":" in re.split(r"[/?#]", url, maxsplit=1)[0]:
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "a":
            rel = set((dict(attrs).get("rel") or "").split())
            if not LINK_REL <= rel:
                self.problems.append(f"<a> with rel={sorted(rel)}")

    handle_startendtag = handle_starttag


def assert_html_is_safe(html: str) -> None:
    """Fail unless the HTML holds no active element, no event handler, no style and no
    link or source other than http(s), mailto or relative, and every link has our rel."""
    checker = _SafetyChecker()
    checker.feed(str(html))
    checker.close()
    assert not checker.problems, f"{checker.problems} in {str(html)[:500]!r}"


PAYLOADS: list[str] = [
    # Script and active elements, raw.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text y='20'>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">html link</a>',
    '<a href="vbscript:msgbox(1)">html vbscript</a>',
    '<a href="data:text/html,<script>alert(1)</script>">html data</a>',
    '<details open ontoggle="alert(1)">x</details>',
    '<body onload="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    # Links in Markdown.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](jav%61script:alert(1))",
    "[click](<java\tscript:alert(1)>)",
    "[click](<java\nscript:alert(1)>)",
    "[click]( javascript:alert(1))",
    "[click](\x01javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](javascript://%0aalert(1))",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](data:image/png;base64,iVBORw0KGgo=)",
    '![img](x" onerror="alert(1))',
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "![ref][1]\n\n[1]: javascript:alert(1)",
    '[ref]\n\n[ref]: javascript:alert(1) "title"',
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "javascript:alert(1) as plain text",
    '[a](http://x" onmouseover="alert(1))',
    "[a](http://x' onmouseover='alert(1))",
    '[a](http://example.com "title\\" onmouseover=\\"alert(1)")',
    '[a](<http://x" onmouseover="alert(1)>)',
    "[a](http://example.com/<script>alert(1)</script>)",
    "[<img src=x onerror=alert(1)>](http://example.com)",
    "[x](http://example.com)<img src=x onerror=alert(1)>",
    # Mentions and wiki links carrying markup.
    "@<script>alert(1)</script>",
    '@bob"onmouseover="alert(1)',
    "[[<script>alert(1)</script>]]",
    '[[Page" onmouseover="alert(1)|label]]',
    "[[Page|<img src=x onerror=alert(1)>]]",
    "[[javascript:alert(1)]]",
    # Comments, CDATA, broken markup.
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<img src=x",
    '<a href="http://example.com',
    "<div><p><b>unclosed",
    "</p></div></body></html><script>alert(1)</script>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "# <img src=x onerror=alert(1)>",
    "> <iframe src=javascript:alert(1)>",
    # Text that must stay text.
    "{{ 7*7 }}",
    "{% debug %}",
    "{% load static %}{% include 'base.html' %}",
    "\u202egnp.exe\u202c and \u2066isolated\u2069 [\u202eevil](http://example.com)",
    "null\x00byte <scr\x00ipt>alert(1)</script>",
    # Size and nesting.
    "x " * 50_000,
    "[" * 10_000 + "a" + "](" * 10_000,
    ">" * 5_000 + " deep quote",
    "*" * 10_000 + "a",
    "- " * 2_000 + "deep list",
]
