"""Graphviz SVG -> the SVG we publish (pure text post-processing).

Graphviz already writes one `<g>` per cluster, node and edge with the `id` we gave it
(`lane-<id>`, `step-<id>`, `edge-<step>-<n>`, ...). This pass makes the file read well for
people and tools: each group's `<title>` becomes words (the step's type and label, the lane's
name) so screen readers and tooltips say something useful, the document gets a title and
description, ids lose Graphviz's `&#45;` escapes, and comments (with the Graphviz version and
node names) and empty groups are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["finish_svg", "xml_escape"]

_FAMILY = "Helvetica,Arial,Liberation Sans,sans-serif"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_GROUP_TITLE = re.compile(
    r'(<g id="([^"]*)" class="(?:node|edge|cluster|graph)"[^>]*>\n<title>)(.*?)(</title>)'
)
_EMPTY_NODE = re.compile(r'<g id="[^"]*" class="node">\n<title>[^<]*</title>\n</g>\n')
_SVG_OPEN = re.compile(r"(<svg [^>]*)>")
_EDGE_GROUP = re.compile(r'(<g id="([^"]*)" class="edge">\n.*?</g>\n)', re.S)


def xml_escape(text: str) -> str:
    """Plain text as XML character data or attribute value."""
    text = _CONTROL.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def finish_svg(
    svg: str,
    titles: Mapping[str, str],
    *,
    title: str,
    description: str,
    shared: Mapping[str, str] | None = None,
) -> str:
    """Post-process Graphviz's SVG: readable titles by group id, document title and desc.

    `shared` maps the id of an edge drawn by another edge's arrow (a bundle of timers,
    `layout.bundles`) to that edge's id: Graphviz writes nothing for the invisible edge,
    so its group is added, with its title only, right after the drawn arrow's group."""
    svg = _COMMENT.sub("", svg)
    svg = svg.replace("&#45;", "-")
    svg = _add_shared(svg, shared or {})
    # PNG and PDF use Arial (Helvetica's metrics, found on every system through fontconfig's
    # metric aliases); a browser gets the whole family list, bold as a weight.
    svg = svg.replace('font-family="Arial Bold"', f'font-family="{_FAMILY}" font-weight="bold"')
    svg = svg.replace('font-family="Arial"', f'font-family="{_FAMILY}"')

    def retitle(match: re.Match[str]) -> str:
        group = match.group(2)
        if group == "graph0":
            return match.group(1).replace('id="graph0"', 'id="swimlane-chart"') + (
                xml_escape(title) + match.group(4)
            )
        elif group in titles:
            text = titles[group]
        else:
            return match.group(0)
        return match.group(1) + xml_escape(text) + match.group(4)

    svg = _GROUP_TITLE.sub(retitle, svg)
    svg = _EMPTY_NODE.sub("", svg)
    head = (
        r'\1 role="img" aria-labelledby="swimlane-title swimlane-desc">'
        f'\n<title id="swimlane-title">{_sub_escape(xml_escape(title))}</title>'
        f'\n<desc id="swimlane-desc">{_sub_escape(xml_escape(description))}</desc>'
    )
    return _SVG_OPEN.sub(head, svg, count=1)


def _add_shared(svg: str, shared: Mapping[str, str]) -> str:
    """A title-only `<g>` for every edge in `shared`, after the group of its drawn arrow."""
    if not shared:
        return svg
    after: dict[str, list[str]] = {}
    for member, first in shared.items():
        after.setdefault(first, []).append(member)

    def extend(match: re.Match[str]) -> str:
        groups = "".join(
            f'<g id="{member}" class="edge">\n<title>{member}</title>\n</g>\n'
            for member in after.get(match.group(2), ())
        )
        return match.group(1) + groups

    return _EDGE_GROUP.sub(extend, svg)


def _sub_escape(text: str) -> str:
    """Text made safe as a `re.sub` replacement (backslashes are group references there)."""
    return text.replace("\\", "\\\\")
