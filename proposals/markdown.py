"""Markdown for user text, rendered then sanitized with nh3 (bleach is no longer maintained).

Raw HTML in the input is not trusted: Python-Markdown passes it through, and nh3 then keeps only
the tags, attributes and URL schemes listed here. Never mark user input safe any other way.
"""

import markdown as markdown_lib
import nh3

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def render(text: str) -> str:
    """`text` (Markdown) as HTML that is safe to insert into a page."""
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
