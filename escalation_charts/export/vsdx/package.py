"""The Open Packaging Conventions package around the pages: parts, relationships, content
types and document properties, zipped so the same input gives the same bytes.

The part names and relationship types are those Visio 2013+ writes (`visio/document.xml`,
`visio/pages/pageN.xml`, `visio/masters/masterN.xml`, `visio/windows.xml`, `docProps/`):
every part has a content type and every part but the content types is reached through a
relationship. Zip entries are written in one fixed order with a fixed date and fixed file
attributes, so neither the clock, the time zone nor the machine shows in the file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from escalation_charts.export.vsdx import masters as m
from escalation_charts.export.vsdx.sheet import REL_NS, cell, element, num, xml_bytes

__all__ = ["Properties", "package"]

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_VISIO_REL = "http://schemas.microsoft.com/visio/2010/relationships/"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_VISIO_CT = "application/vnd.ms-visio."
_PROPERTY_MAX = 255  # what Office shows of a document property; a process name may be 1,000


@dataclass(frozen=True)
class Properties:
    """The document properties: title, author (the process owner), version, and the day
    the process was last reviewed (its own date, not the clock's)."""

    title: str
    author: str
    version: str
    subject: str
    when: dt.date | None


@dataclass(frozen=True)
class Page:
    """One page: its name, size in inches and content part."""

    name: str
    width: float
    height: float
    content: bytes


def package(pages: Sequence[Page], props: Properties) -> bytes:
    """The `.vsdx` file: the pages, the masters they use, and the package's plumbing."""
    parts: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", _content_types(len(pages))),
        (
            "_rels/.rels",
            _rels(
                [
                    ("rId1", _VISIO_REL + "document", "visio/document.xml"),
                    ("rId2", _CORE_REL, "docProps/core.xml"),
                    ("rId3", _OFFICE_REL + "extended-properties", "docProps/app.xml"),
                ]
            ),
        ),
        ("docProps/core.xml", _core(props)),
        ("docProps/app.xml", _app(pages)),
        ("visio/document.xml", _document()),
        (
            "visio/_rels/document.xml.rels",
            _rels(
                [
                    ("rId1", _VISIO_REL + "masters", "masters/masters.xml"),
                    ("rId2", _VISIO_REL + "pages", "pages/pages.xml"),
                    ("rId3", _VISIO_REL + "windows", "windows.xml"),
                ]
            ),
        ),
        ("visio/windows.xml", _windows()),
        ("visio/masters/masters.xml", m.masters_part()),
        (
            "visio/masters/_rels/masters.xml.rels",
            _rels([(f"rId{i}", _VISIO_REL + "master", x.part) for i, x in enumerate(m.MASTERS, 1)]),
        ),
    ]
    parts += [(f"visio/masters/{x.part}", m.master_part(x)) for x in m.MASTERS]
    parts.append(("visio/pages/pages.xml", _pages(pages)))
    parts.append(
        (
            "visio/pages/_rels/pages.xml.rels",
            _rels(
                [(f"rId{i}", _VISIO_REL + "page", f"page{i}.xml") for i in range(1, len(pages) + 1)]
            ),
        )
    )
    page_rels = _rels(
        [
            (f"rId{i}", _VISIO_REL + "master", f"../masters/{x.part}")
            for i, x in enumerate(m.MASTERS, 1)
        ]
    )
    for i, page in enumerate(pages, start=1):
        parts.append((f"visio/pages/page{i}.xml", page.content))
        parts.append((f"visio/pages/_rels/page{i}.xml.rels", page_rels))
    return _zip(parts)


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever machine writes the file
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()


def _rels(items: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    for rel_id, kind, target in items:
        etree.SubElement(root, f"{{{_PKG_RELS}}}Relationship", Id=rel_id, Type=kind, Target=target)
    return xml_bytes(root)


def _content_types(page_count: int) -> bytes:
    root = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
    for ext, kind in (
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
    ):
        etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension=ext, ContentType=kind)
    overrides = [
        ("/visio/document.xml", _VISIO_CT + "drawing.main+xml"),
        ("/visio/masters/masters.xml", _VISIO_CT + "masters+xml"),
        *((f"/visio/masters/{x.part}", _VISIO_CT + "master+xml") for x in m.MASTERS),
        ("/visio/pages/pages.xml", _VISIO_CT + "pages+xml"),
        *((f"/visio/pages/page{i}.xml", _VISIO_CT + "page+xml") for i in range(1, page_count + 1)),
        ("/visio/windows.xml", _VISIO_CT + "windows+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ]
    for part, kind in overrides:
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName=part, ContentType=kind)
    return xml_bytes(root)


def _property(text: str) -> str:
    """`text` cut to what a document property shows, marked with an ellipsis."""
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1] + "…"


def _core(props: Properties) -> bytes:
    ns = {
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    root = etree.Element(f"{{{ns['cp']}}}coreProperties", nsmap=ns)
    for prefix, name, value in (
        ("dc", "title", props.title),
        ("dc", "subject", props.subject),
        ("dc", "creator", props.author),
        ("cp", "lastModifiedBy", "escalation-charts"),
        ("cp", "version", props.version),
    ):
        if value:
            etree.SubElement(root, f"{{{ns[prefix]}}}{name}").text = _property(value)
    if props.when is not None:
        stamp = f"{props.when.isoformat()}T00:00:00Z"
        for name in ("created", "modified"):
            node = etree.SubElement(root, f"{{{ns['dcterms']}}}{name}")
            node.set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
            node.text = stamp
    return xml_bytes(root)


def _app(pages: Sequence[Page]) -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})
    etree.SubElement(root, f"{{{ns}}}Application").text = "escalation-charts"
    pairs = etree.SubElement(root, f"{{{ns}}}HeadingPairs")
    vector = etree.SubElement(pairs, f"{{{vt}}}vector", size="4", baseType="variant")
    for label, count in (("Pages", len(pages)), ("Masters", len(m.MASTERS))):
        etree.SubElement(
            etree.SubElement(vector, f"{{{vt}}}variant"), f"{{{vt}}}lpstr"
        ).text = label
        etree.SubElement(etree.SubElement(vector, f"{{{vt}}}variant"), f"{{{vt}}}i4").text = str(
            count
        )
    titles = etree.SubElement(root, f"{{{ns}}}TitlesOfParts")
    names = [p.name for p in pages] + [x.name for x in m.MASTERS]
    vector = etree.SubElement(titles, f"{{{vt}}}vector", size=str(len(names)), baseType="lpstr")
    for name in names:
        etree.SubElement(vector, f"{{{vt}}}lpstr").text = name
    etree.SubElement(root, f"{{{ns}}}AppVersion").text = "16.0000"
    return xml_bytes(root)


# The base style every shape without a master (and every master) starts from.
_NO_STYLE = (
    ("LineWeight", 0.01), ("LineColor", "#000000"), ("LinePattern", 1), ("Rounding", 0),
    ("BeginArrow", 0), ("EndArrow", 0), ("BeginArrowSize", 2), ("EndArrowSize", 2),
    ("LineCap", 0), ("FillForegnd", "#ffffff"), ("FillBkgnd", "#ffffff"), ("FillPattern", 1),
    ("ShdwPattern", 0), ("LeftMargin", 0.055556), ("RightMargin", 0.055556),
    ("TopMargin", 0.055556), ("BottomMargin", 0.055556), ("VerticalAlign", 1),
    ("TextBkgnd", 0), ("TextDirection", 0),
)  # fmt: skip


def _document() -> bytes:
    root = element("VisioDocument")
    settings = etree.SubElement(
        root,
        etree.QName(root, "DocumentSettings"),
        TopPage="0",
        DefaultTextStyle="0",
        DefaultLineStyle="0",
        DefaultFillStyle="0",
        DefaultGuideStyle="0",
    )
    for tag, value in (("GlueSettings", "9"), ("SnapSettings", "65847"), ("SnapExtensions", "34")):
        etree.SubElement(settings, etree.QName(root, tag)).text = value
    etree.SubElement(root, etree.QName(root, "Colors"))
    faces = etree.SubElement(root, etree.QName(root, "FaceNames"))
    etree.SubElement(faces, etree.QName(root, "FaceName"), NameU="Arial")
    sheets = etree.SubElement(root, etree.QName(root, "StyleSheets"))
    sheet = etree.SubElement(
        sheets,
        etree.QName(root, "StyleSheet"),
        ID="0",
        NameU="No Style",
        IsCustomNameU="1",
        Name="No Style",
        IsCustomName="1",
    )
    for name, value in (("EnableLineProps", 1), ("EnableFillProps", 1), ("EnableTextProps", 1)):
        cell(sheet, name, value)
    for name, value in _NO_STYLE:
        cell(sheet, name, value)
    chars = etree.SubElement(sheet, etree.QName(root, "Section"), N="Character")
    char_row = etree.SubElement(chars, etree.QName(root, "Row"), IX="0")
    for name, value in (("Font", "Arial"), ("Color", "#000000"), ("Size", 0.166667)):
        cell(char_row, name, value)
    paras = etree.SubElement(sheet, etree.QName(root, "Section"), N="Paragraph")
    cell(etree.SubElement(paras, etree.QName(root, "Row"), IX="0"), "HorzAlign", 1)
    rounded = etree.SubElement(
        sheets,
        etree.QName(root, "StyleSheet"),
        ID=str(m.ROUNDED_STYLE),
        NameU="Rounded",
        IsCustomNameU="1",
        Name="Rounded",
        IsCustomName="1",
        LineStyle="0",
        FillStyle="0",
        TextStyle="0",
    )
    cell(rounded, "Rounding", 4 / 72, unit="PT")  # the charts' rounded steps
    return xml_bytes(root)


def _windows() -> bytes:
    root = element("Windows", {"ClientWidth": "1600", "ClientHeight": "900"})
    window = etree.SubElement(
        root,
        etree.QName(root, "Window"),
        ID="0",
        WindowType="Drawing",
        WindowState="1073741824",
        ContainerType="Page",
        Page="0",
        ViewScale="-1",  # fit the page in the window
    )
    for tag, value in (("ShowRulers", "1"), ("ShowGrid", "0"), ("ShowConnectionPoints", "1")):
        etree.SubElement(window, etree.QName(root, tag)).text = value
    return xml_bytes(root)


def _pages(pages: Sequence[Page]) -> bytes:
    root = element("Pages")
    for index, page in enumerate(pages):
        node = etree.SubElement(
            root,
            etree.QName(root, "Page"),
            ID=str(index),
            NameU=page.name,
            Name=page.name,
            ViewScale="-1",
        )
        sheet = etree.SubElement(
            node, etree.QName(root, "PageSheet"), LineStyle="0", FillStyle="0", TextStyle="0"
        )
        for name, value, unit in (
            ("PageWidth", num(page.width), None),
            ("PageHeight", num(page.height), None),
            ("PageScale", "1", "IN"),
            ("DrawingScale", "1", "IN"),
            ("DrawingSizeType", "3", None),
            ("DrawingScaleType", "0", None),
            ("PrintPageOrientation", "2" if page.width > page.height else "1", None),
        ):
            cell(sheet, name, value, unit=unit)
        etree.SubElement(node, etree.QName(root, "Rel"), {f"{{{REL_NS}}}id": f"rId{index + 1}"})
    return xml_bytes(root)
