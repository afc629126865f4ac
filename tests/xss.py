"""Cross-site scripting payloads, and a check that a page's HTML carries none of them live."""

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"alert('x')\">",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click me](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![img](x" onerror="alert(1))',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    '<details open ontoggle="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--><script>alert(1)</script>-->",
    "<a href='vbscript:msgbox(1)'>vb</a>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<p title="</p><script>alert(1)</script>">attr</p>',
]

DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form",
                  "input", "body", "details"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "content"}


class LiveMarkup(HTMLParser):
    """Collects what would run or navigate: scripts, event handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if any(s in squashed for s in ("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")


def live_markup(html: str, *, allowed_tags: set[str] = frozenset()) -> list[str]:
    """What in `html` could run script; an empty list when the page is inert."""
    parser = LiveMarkup()
    parser.feed(html)
    problems = parser.problems

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in DANGEROUS_TAGS - allowed_tags:
                problems.append(f"<{tag}>")

    Tags().feed(html)
    return problems
