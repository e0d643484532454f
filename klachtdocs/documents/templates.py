"""Load, check and render the docxtpl templates in a sandboxed Jinja environment."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import re
import threading
import time
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NoReturn
from xml.sax.saxutils import escape

import jinja2
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, meta
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

from klachtdocs.documents import zippackage
from klachtdocs.exceptions import PadFout, SjabloonBegrensd, SjabloonFout
from klachtdocs.storage.workspace import read_inside

_TAGS = re.compile(r"<[^>]+>")


#: Bounds of one render of one template part (body, a header, a footer, a property). A letter
#: needs a few hundred loop steps and tens of kilobytes; a template from a shared folder that
#: loops for ever or builds gigabytes is stopped at these, with a melding.
MAX_STEPS = 1_000_000  # loop iterations plus macro calls
MAX_CHARS = 20_000_000  # characters written, and the size of any one value the template builds
MAX_SECONDS = 10.0


class SjabloonTeZwaar(jinja2.exceptions.TemplateRuntimeError):
    """A template went beyond the bounds of one render (steps, time or size)."""


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator with budget checks on every loop step, macro call and output."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lichamen: set[int] = set()  # id() of the bodies of loops and macros

    def visit_For(self, node, frame) -> None:
        self._lichamen.add(id(node.body))
        super().visit_For(node, frame)

    def macro_body(self, node, frame):
        self._lichamen.add(id(node.body))
        return super().macro_body(node, frame)

    def blockvisit(self, nodes_, frame) -> None:
        if id(nodes_) in self._lichamen:
            self.writeline("environment.kd_stap()")
        super().blockvisit(nodes_, frame)

    def _output_const_repr(self, group) -> str:
        return f"environment.kd_uit({super()._output_const_repr(group)})"

    def _output_child_pre(self, node, frame, finalize) -> None:
        self.write("environment.kd_uit(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.kd_maat(")
        super().visit_Concat(node, frame)
        self.write(")")


class _LimitedTemplate(jinja2.Template):
    """A compiled template whose every render starts a fresh budget."""

    def render(self, *args, **kwargs) -> str:
        with self.environment.kd_begroting():
            return super().render(*args, **kwargs)


class _Budget(threading.local):
    stappen = 0
    tekens = 0
    tot: float | None = None  # monotonic deadline; None outside a render


def _length(value) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0


def _big_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_CHARS


#: A width or precision in a format string, written out ('%0999999999d', '{:>999999999}') or
#: taken from the arguments ('%*s', '{:>{}}').
_LARGE_WIDTH = re.compile(r"%[-#0 +]*\d*\.?\d{8,}|\{[^{}]*:[^{}]*\d{8,}[^{}]*\}")
_VARIABLE_WIDTH = re.compile(r"%[-#0 +]*\d*\.?\*|\{[^{}]*\{")
#: Filters whose numbers are sizes: center(10**9) makes a gigabyte before anything can count it.
_SIZE_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap", "truncate"})


def _too_wide(fmt, args) -> bool:
    """Return True when formatting *args* into *fmt* could make a text beyond the bounds."""
    if not isinstance(fmt, str):
        return False
    return bool(_LARGE_WIDTH.search(fmt)) or (
        bool(_VARIABLE_WIDTH.search(fmt)) and any(_big_number(a) for a in args)
    )


class _LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with the bounds of one render (Jinja's own sandbox bounds only range())."""

    code_generator_class = _LimitedCodeGenerator
    template_class = _LimitedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kd = _Budget()
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs; no letter needs it
        for naam, filter_ in list(self.filters.items()):
            self.filters[naam] = _limited_filter(naam, filter_)

    # -- the budget of one render ------------------------------------------------------
    @contextlib.contextmanager
    def kd_begroting(self):
        """Give the render inside this block a fresh budget (a nested render shares the outer one)."""
        kd = self.kd
        if kd.tot is not None:
            yield
            return
        kd.stappen, kd.tekens, kd.tot = 0, 0, time.monotonic() + MAX_SECONDS
        try:
            yield
        finally:
            kd.tot = None

    def kd_stap(self) -> None:
        kd = self.kd
        kd.stappen += 1
        if kd.stappen > MAX_STEPS:
            raise SjabloonTeZwaar(f"het sjabloon herhaalt meer dan {MAX_STEPS:,} keer".replace(",", "."))
        if kd.tot is not None and time.monotonic() > kd.tot:
            raise SjabloonTeZwaar(f"het sjabloon doet er langer dan {MAX_SECONDS:g} seconden over")

    def kd_uit(self, value):
        self.kd.tekens += len(value)
        if self.kd.tekens > MAX_CHARS:
            raise SjabloonTeZwaar(f"het sjabloon schrijft meer dan {MAX_CHARS:,} tekens".replace(",", "."))
        return value

    def kd_maat(self, value):
        if _length(value) > MAX_CHARS:
            _raise_too_large()
        return value

    # -- operations that can make a huge value in one step -----------------------------
    def call_binop(self, context, operator_: str, left, right):
        if operator_ == "*":
            for seq, n in ((left, right), (right, left)):
                if _length(seq) and isinstance(n, int) and _length(seq) * n > MAX_CHARS:
                    _raise_too_large()
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left).bit_length() + abs(right).bit_length() > 100_000
            ):
                raise SjabloonTeZwaar("het sjabloon rekent met een getal van meer dan 100.000 bits")
        elif operator_ == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right > 0 and abs(left).bit_length() * right > 100_000:
                raise SjabloonTeZwaar("het sjabloon rekent met een getal van meer dan 100.000 bits")
        elif operator_ == "%" and _too_wide(left, right if isinstance(right, tuple) else (right,)):
            _raise_too_large()
        return self.kd_maat(super().call_binop(context, operator_, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: B902 - the sandbox's signature
        __self.kd_stap()
        naam, van = getattr(__obj, "__name__", ""), getattr(__obj, "__self__", None)
        if isinstance(van, str | bytes | list | tuple):  # 'x'.ljust(10**9), 'x'.zfill(10**9)
            if any(_big_number(a) for a in (*args, *kwargs.values())):
                _raise_too_large()
            if naam in ("format", "format_map") and _too_wide(van, (*args, *kwargs.values())):
                _raise_too_large()
            if naam in ("replace", "join") and isinstance(van, str):
                _predict(naam, van, args)
        return __self.kd_maat(super().call(__context, __obj, *args, **kwargs))


def _predict(naam: str, s: str, args: tuple) -> None:
    """Raise SjabloonTeZwaar when str.replace or str.join would make a text beyond the bounds."""
    if naam == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        keer = s.count(args[0]) if args[0] else len(s) + 1
        grootte = len(s) + keer * (len(args[1]) - len(args[0]))
    elif naam == "join" and args:
        items = args[0] if isinstance(args[0], list | tuple) else ()
        grootte = sum(_length(i) for i in items) + len(s) * len(items)
    else:
        return
    if grootte > MAX_CHARS:
        _raise_too_large()


def _raise_too_large() -> NoReturn:
    raise SjabloonTeZwaar(
        f"het sjabloon maakt een tekst of lijst van meer dan {MAX_CHARS:,} tekens of elementen".replace(
            ",", "."
        )
    )


def _limited_filter(naam: str, filter_):
    """Return *filter_* refusing sizes beyond the bounds (center(10**9)) and checking what it makes."""

    @functools.wraps(filter_)
    def begrensd(*args, **kwargs):
        getallen = (*args, *kwargs.values())
        if naam in _SIZE_FILTERS and any(_big_number(a) for a in getallen):
            raise SjabloonTeZwaar(
                f"het filter {naam} krijgt een getal groter dan {MAX_CHARS:,}".replace(",", ".")
            )
        tekst = [a for a in args if isinstance(a, str)]
        if naam == "format" and tekst and _too_wide(tekst[0], getallen):
            _raise_too_large()
        if naam == "replace" and len(tekst) >= 3:
            _predict("replace", tekst[0], tuple(tekst[1:3]))
        elif naam == "join":
            items = next((a for a in args if isinstance(a, list | tuple)), ())
            _predict("join", kwargs.get("d", tekst[0] if tekst else ""), (items,))
        result = filter_(*args, **kwargs)
        if _length(result) > MAX_CHARS:
            raise SjabloonTeZwaar(f"het filter {naam} maakt meer dan {MAX_CHARS:,} tekens".replace(",", "."))
        return result

    return begrensd


def make_environment() -> jinja2.Environment:
    """Return the Jinja environment for templates from a shared folder: sandboxed, strict, escaping, bounded."""
    return _LimitedEnvironment(autoescape=True, undefined=StrictUndefined)


@dataclass(frozen=True)
class Sjabloon:
    """One template file: its bytes and the variables it uses."""

    soort: str
    pad: Path
    data: bytes
    variabelen: frozenset[str]


def _patched_xml(tpl: DocxTemplate) -> str:
    """Return the template's body, header and footer XML as docxtpl hands it to Jinja."""
    from docx.oxml import parse_xml

    docx = tpl.get_docx()
    xml = tpl.patch_xml(tpl.xml_to_string(docx._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob)))
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _template_line(exc: BaseException) -> int | None:
    """Return the template line where a render-time error was raised, from its traceback."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: Exception, xml: str | None, naam: str) -> str:
    """Return a Dutch one-line description of a template error, with the text near it."""
    where = ""
    lineno = getattr(exc, "lineno", None) or _template_line(exc)
    if lineno and xml:
        lines = xml.splitlines()
        text = _TAGS.sub("", lines[lineno - 1] if lineno <= len(lines) else "").strip()
        where = f" bij alinea {lineno}" + (f" ('{text[:60]}')" if text else "")
    if isinstance(exc, SjabloonTeZwaar):
        what = f"{exc.message}; maak het sjabloon eenvoudiger"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        what = "het sjabloon probeert iets wat niet mag (alleen gewone variabelen zijn toegestaan)"
    elif isinstance(exc, jinja2.exceptions.UndefinedError):
        what = f"onbekende variabele ({exc.message})"
    elif isinstance(exc, jinja2.exceptions.TemplateSyntaxError):
        what = f"fout in de sjabloontaal: {exc.message}"
    elif isinstance(exc, jinja2.TemplateError):
        what = str(exc) or type(exc).__name__
    else:  # a calculation the template asks for that cannot be done: 1/0, a text plus a number, ...
        what = f"het sjabloon rekent of bewerkt iets wat niet kan ({type(exc).__name__}: {exc})"
    return f"Sjabloon {naam}{where}: {what}. Herstel het sjabloon in Word."


def _render_error(exc: BaseException, xml: str | None, naam: str) -> SjabloonFout:
    """Return the SjabloonFout for a render-time error: SjabloonBegrensd beyond the bounds."""
    if isinstance(exc, RecursionError):
        exc = SjabloonTeZwaar("het sjabloon roept zichzelf te diep aan")
    elif isinstance(exc, MemoryError):
        exc = SjabloonTeZwaar("het sjabloon vraagt meer geheugen dan er is")
    tekst = _describe(exc, xml, naam)
    return SjabloonBegrensd(tekst) if isinstance(exc, SjabloonTeZwaar) else SjabloonFout(tekst)


_MACRO_TYPE = "macroenabled"  # ...document.macroEnabled.main+xml, ...template.macroEnabledTemplate...
_EXTERN = re.compile(
    r'<Relationship\b[^>]*?Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument)"'
    r'[^>]*?TargetMode="External"|<Relationship\b[^>]*?TargetMode="External"[^>]*?'
    r'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument)"',
    re.IGNORECASE,
)


def _active_content(data: bytes) -> str | None:
    """Return a Dutch description of the active content in the .docx bytes *data*, or None.

    Macros (vbaProject.bin, a .docm's content type), ActiveX controls, embedded OLE
    programs and relationships that make Word fetch a template or object from elsewhere
    would be copied into every letter. Embedded pictures and Office files are fine.
    """

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            namen = [i.filename for i in zf.infolist()]
            klein = [n.lower() for n in namen]
            if any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for n in klein):
                return "macro's (vbaProject.bin)"
            if "[content_types].xml" in klein:
                types = _begin(zf, namen[klein.index("[content_types].xml")])
                if _MACRO_TYPE in types.lower():
                    return "macro's (het is een Word-document met macro's, .docm)"
            if any("/activex/" in f"/{n}" for n in klein):
                return "ActiveX-besturingselementen"
            if any("/embeddings/" in f"/{n}" and n.endswith(".bin") for n in klein):
                return "een ingesloten programma of OLE-object (embeddings/*.bin)"
            for naam, k in zip(namen, klein, strict=True):
                if k.endswith(".rels") and _EXTERN.search(_begin(zf, naam)):
                    return "een verwijzing naar een sjabloon of object buiten het document"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None  # not a zip: python-docx says so below
    return None


def _begin(zf, naam: str) -> str:
    with zf.open(naam) as fh:
        return fh.read(1_000_000).decode("utf-8", "replace")


def load(soort: str, pad: Path, env: jinja2.Environment) -> Sjabloon:
    """Return the Sjabloon at *pad*, or raise SjabloonFout when it cannot be compiled."""
    try:
        data = read_inside(pad, pad.parent)  # a link in sjablonen/ may not lead out of it
    except PadFout as exc:
        raise SjabloonFout(f"Sjabloon {exc}") from None  # "Sjabloon x.docx in de map sjablonen is ..."
    except OSError as exc:
        raise SjabloonFout(
            f"Sjabloon {pad.name} ontbreekt of is onleesbaar ({exc.strerror}). "
            "Zet het standaardsjabloon terug met 'klachtdocs init'."
        ) from None
    actief = _active_content(data)
    if actief:
        raise SjabloonBegrensd(
            f"Sjabloon {pad.name} bevat {actief}. Die zou klachtdocs in elke brief "
            "meenemen. Sla het sjabloon in Word op als 'Word-document (*.docx)' "
            "zonder macro's en zonder ingesloten objecten."
        )
    xml = None
    try:
        xml = _patched_xml(DocxTemplate(io.BytesIO(data)))
        variabelen = frozenset(meta.find_undeclared_variables(env.parse(xml)))
    except jinja2.TemplateError as exc:
        raise SjabloonFout(_describe(exc, xml, pad.name)) from None
    except Exception as exc:  # python-docx / zip errors on a damaged file
        raise SjabloonFout(f"Sjabloon {pad.name} is geen leesbaar Word-bestand ({exc}).") from None
    return Sjabloon(soort, pad, data, variabelen)


def check_variables(sjabloon: Sjabloon, context: dict) -> None:
    """Raise SjabloonFout when *sjabloon* uses variables that *context* does not provide."""
    missing = sorted(sjabloon.variabelen - context.keys())
    if missing:
        raise SjabloonFout(
            f"Sjabloon {sjabloon.pad.name} gebruikt variabelen die klachtdocs niet "
            f"kent: {', '.join(missing)}. Beschikbaar zijn: "
            f"{', '.join(sorted(context))}."
        )


def kenmerk(klachtnummer: str, soort: str, versie: int) -> str:
    """Return the short identifier that marks a document as klachtdocs' own (max 255 chars)."""
    digest = hashlib.sha256(klachtnummer.encode("utf-8")).hexdigest()[:16]
    return f"klachtdocs:{soort}:v{versie}:{digest}"


def render(
    sjabloon: Sjabloon,
    context: dict,
    env: jinja2.Environment,
    kenmerk: str,
    gemaakt_op: datetime,
    variabelen: Mapping[str, str] | None = None,
) -> bytes:
    """Return the .docx bytes of *sjabloon* filled with *context*.

    *kenmerk* (from ``kenmerk()``) goes into the document's identifier property, so
    that a document found on disk after a crash can tell klachtdocs what it is; the
    variable hashes *variabelen* (see planning.hashes) go into its custom properties
    with a digest of its parts (see ``merk``), so that a document found without a
    record can be judged as if it had one.
    """
    tpl = DocxTemplate(io.BytesIO(sjabloon.data))
    try:
        tpl.render(context, jinja_env=env)
    except Exception as exc:  # noqa: BLE001 - any error a staff-edited template can raise is a melding
        xml = None
        try:
            xml = _patched_xml(DocxTemplate(io.BytesIO(sjabloon.data)))
        except Exception:  # noqa: BLE001 - only for the message
            pass
        raise _render_error(exc, xml, sjabloon.pad.name) from None
    _own_properties(tpl.docx.core_properties, context, kenmerk, gemaakt_op)
    out = io.BytesIO()
    tpl.save(out)
    members = mark(zippackage.members(out.getvalue()), variabelen or {}, gemaakt_op)
    return zippackage.schrijf(members, gemaakt_op)


def read_kenmerk(data: bytes) -> str | None:
    """Return the identifier stored in the .docx bytes *data*, or None."""
    try:
        from docx import Document

        return Document(io.BytesIO(data)).core_properties.identifier or None
    except Exception:  # noqa: BLE001 - any unreadable file simply has no kenmerk
        return None


_P_OPEN = re.compile(r"<w:p([ >])")
_P_BACK = re.compile(r"\n<w:p([ >])")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl renders these
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Renderer:
    """Render many letters from one Sjabloon: the first the plain docxtpl way, the rest fast.

    The plain way opens the template with python-docx, compiles its XML with Jinja nine
    times and compresses every part again for each letter. The fast way does the
    same steps with docxtpl's own functions, but compiles once, keeps the parsed template,
    and copies the unchanged parts (styles, theme, fonts) from the first letter as they
    are. tests/test_snel.py checks that both give the same parts for every kind of letter.
    """

    def __init__(self, sjabloon: Sjabloon, env: jinja2.Environment) -> None:
        self.sjabloon, self.env = sjabloon, env
        self._leden: list | None = None  # members of the first letter, from the plain way
        self._snel = None
        self._begrensd: SjabloonBegrensd | None = None

    def render(
        self, context: dict, kenmerk_: str, gemaakt_op: datetime, variabelen: Mapping[str, str] | None = None
    ) -> bytes:
        """Return the .docx bytes of the template filled with *context* (as ``render``).

        A template that once went beyond the bounds of a render fails at once for the
        other letters too: each would cost the whole budget again.
        """
        if self._begrensd is not None:
            raise self._begrensd
        try:
            return self._render(context, kenmerk_, gemaakt_op, variabelen)
        except SjabloonBegrensd as exc:
            self._begrensd = exc
            raise

    def _render(
        self, context: dict, kenmerk_: str, gemaakt_op: datetime, variabelen: Mapping[str, str] | None
    ) -> bytes:
        if self._leden is None:
            data = render(self.sjabloon, context, self.env, kenmerk_, gemaakt_op, variabelen)
            try:
                self._snel = _Fast(self.sjabloon, self.env)
                self._leden = zippackage.members(data)
            except _NoFastPath:
                self._leden = []
            return data
        if self._snel is None or not self._leden:
            return render(self.sjabloon, context, self.env, kenmerk_, gemaakt_op, variabelen)
        try:
            delen = self._snel.delen(context, kenmerk_, gemaakt_op)
        except Exception as exc:  # noqa: BLE001 - any error a staff-edited template can raise is a melding
            raise _render_error(exc, self._snel.fout_xml, self.sjabloon.pad.name) from None
        members = [
            zippackage.Member.from_content(lid.naam, delen[lid.naam]) if lid.naam in delen else lid
            for lid in self._leden
        ]
        return zippackage.schrijf(mark(members, variabelen or {}, gemaakt_op), gemaakt_op)


class _NoFastPath(Exception):
    """The template has something the fast way does not reproduce (footnotes): stay plain."""


class _Fast:
    """The compiled parts of one template: body, headers, footers and core properties."""

    def __init__(self, sjabloon: Sjabloon, env: jinja2.Environment) -> None:
        from docx.opc.oxml import serialize_part_xml

        self.tpl = DocxTemplate(io.BytesIO(sjabloon.data))
        docx = self.tpl.get_docx()
        if any(p.content_type == _FOOTNOTES for p in docx.part.package.iter_parts()):
            raise _NoFastPath
        body = self.tpl.patch_xml(self.tpl.get_xml())
        self.fout_xml = _P_OPEN.sub(r"\n<w:p\1", body)
        self.body = env.from_string(self.fout_xml)
        self.document = serialize_part_xml(docx._element)
        self.document_naam = docx.part.partname.lstrip("/")
        self.kop_voet = []
        for uri in (self.tpl.HEADER_URI, self.tpl.FOOTER_URI):
            for _key, part in self.tpl.get_headers_footers(uri):
                xml = self.tpl.get_part_xml(part)
                encoding = self.tpl.get_headers_footers_encoding(xml)
                compiled = env.from_string(_P_OPEN.sub(r"\n<w:p\1", self.tpl.patch_xml(xml)))
                self.kop_voet.append((part.partname.lstrip("/"), compiled, encoding))
        core_part = docx.part.package._core_properties_part
        self.core = (core_part.partname, core_part.content_type, core_part.blob)
        self.eigenschappen = [
            (prop, env.from_string(getattr(docx.core_properties, prop))) for prop in _PROPERTIES
        ]

    def _done(self, xml: str) -> str:
        """Apply what docxtpl's render_xml_part does after Jinja."""
        xml = _P_BACK.sub(r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.tpl.resolve_listing(xml)

    def delen(self, context: dict, kenmerk_: str, gemaakt_op: datetime) -> dict[str, bytes]:
        """Return member name -> bytes of every part that differs per letter."""
        from docx.opc.oxml import serialize_part_xml
        from docx.opc.parts.coreprops import CorePropertiesPart
        from docx.oxml import parse_xml

        tree = self.tpl.fix_tables(self._done(self.body.render(context)))
        self.tpl.docx_ids_index = 1000
        self.tpl.fix_docpr_ids(tree)
        root = parse_xml(self.document)
        root.replace(root.body, tree)
        delen = {self.document_naam: serialize_part_xml(root)}
        for naam, compiled, encoding in self.kop_voet:
            xml = self._done(compiled.render(context)).encode(encoding)
            delen[naam] = serialize_part_xml(parse_xml(xml))
        partname, content_type, blob = self.core
        part = CorePropertiesPart.load(partname, content_type, blob, None)
        props = part.core_properties
        for prop, compiled in self.eigenschappen:
            setattr(props, prop, compiled.render(context))
        _own_properties(props, context, kenmerk_, gemaakt_op)
        delen[partname.lstrip("/")] = part.blob
        return delen


def _own_properties(props, context: dict, kenmerk_: str, gemaakt_op: datetime) -> None:
    props.identifier = kenmerk_
    props.title = str(context.get("betreft", ""))[:200]
    props.author = "klachtdocs"
    props.last_modified_by = "klachtdocs"
    props.created = gemaakt_op.replace(microsecond=0)
    props.modified = gemaakt_op.replace(microsecond=0)
    props.revision = 1


# -- the mark of a document: what it was made from, so that the file alone tells ----------------------
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CUSTOM_PART = "docProps/custom.xml"
MARK_VERSION = "1"
_OWN = "klachtdocs"  # our custom properties: "klachtdocs", "klachtdocs.inhoud", "klachtdocs.var.<naam>", ...
_MAX_PART = 1024 * 1024  # bytes: a package part we read to judge a file is never larger


@dataclass(frozen=True)
class Mark:
    """What a .docx on disk says about itself: read by ``read_mark``."""

    kenmerk: str | None  # the core identifier (see kenmerk())
    gemaakt_op: datetime | None
    #: variable -> hash it was made from; None: made by a klachtdocs that did not store them
    variabelen: dict[str, str] | None
    #: its parts are those it was made with; None: nothing to compare (made by an older klachtdocs)
    ongewijzigd: bool | None


def _content(members: list[tuple[str, int, int]], eigen_deel: str) -> str:
    """Return the digest of a package's parts (name, CRC-32, size), its custom properties part aside."""
    regels = sorted(f"{naam}\0{crc:08x}\0{grootte}" for naam, crc, grootte in members if naam != eigen_deel)
    return hashlib.sha256("\n".join(regels).encode()).hexdigest()[:32]


_TEXTS: dict[tuple[str, int, int], str] = {}  # the few small parts every letter of a template shares


def _member_text(lid: zippackage.Member) -> str:
    """Return the text of a small member, remembered by name and checksum (the letters share them)."""
    sleutel = (lid.naam, lid.crc, lid.grootte)
    tekst = _TEXTS.get(sleutel)
    if tekst is None:
        data = (
            lid.gecomprimeerd
            if lid.methode == zipfile.ZIP_STORED
            else zlib.decompress(lid.gecomprimeerd, -15)
        )
        tekst = data.decode("utf-8")
        if len(_TEXTS) > 64:
            _TEXTS.clear()
        _TEXTS[sleutel] = tekst
    return tekst


def _target(rels: str, soort: str) -> str | None:
    """Return the part name (no leading '/') a package relationship of type *soort* points to."""
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        if f'Type="{soort}"' in tag:
            doel = re.search(r'Target="([^"]*)"', tag)
            return doel.group(1).lstrip("/") if doel else None
    return None


def _properties_xml(vreemd: list[str], eigen: list[tuple[str, str]]) -> bytes:
    """Return a custom properties part: the *vreemd* property elements kept, then ours (name, text)."""
    delen = [
        re.sub(r'\bpid="[^"]*"', f'pid="{pid}"', prop, count=1) for pid, prop in enumerate(vreemd, start=2)
    ]
    delen += [
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{_xml(naam)}"><vt:lpwstr>{_xml(tekst)}</vt:lpwstr>'
        "</property>"
        for pid, (naam, tekst) in enumerate(eigen, start=2 + len(vreemd))
    ]
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">' + "".join(delen) + "</Properties>"
    ).encode()


_XML_CHAR = re.compile(r'[&<>"]')


def _xml(tekst: str) -> str:
    """Return *tekst* escaped for XML text and double-quoted attributes."""
    return escape(tekst, {'"': "&quot;"}) if _XML_CHAR.search(tekst) else tekst


_PROPERTY = re.compile(r"<property\b[^>]*>.*?</property>", re.DOTALL)
_NAME = re.compile(r'\bname="([^"]*)"')


def _foreign_properties(xml: str) -> list[str]:
    """Return the custom property elements in *xml* (a template's, as Word writes it) that are not ours."""
    result = []
    for prop in _PROPERTY.findall(xml):
        naam = _NAME.search(prop)
        naam = naam.group(1) if naam else ""
        if naam != _OWN and not naam.startswith(_OWN + "."):
            result.append(prop)
    return result


def mark(
    members: list[zippackage.Member], variabelen: Mapping[str, str], gemaakt_op: datetime
) -> list[zippackage.Member]:
    """Return the members of a .docx with klachtdocs' mark in its custom properties.

    The mark holds the variable hashes the journal keeps for the document (names of
    template variables and short hashes, nothing personal), when it was made, and a
    digest of every other part: a file someone changed no longer matches it.
    """
    Member = zippackage.Member
    namen = {lid.naam: i for i, lid in enumerate(members)}
    members = list(members)
    rels_i = namen.get("_rels/.rels")
    rels = _member_text(members[rels_i]) if rels_i is not None else ""
    deel = _target(rels, _CUSTOM_REL)
    if deel is None:
        deel = _CUSTOM_PART
        rel = f'<Relationship Id="rIdKlachtdocs" Type="{_CUSTOM_REL}" Target="{deel}"/>'
        if rels_i is not None and "</Relationships>" in rels:
            members[rels_i] = Member.from_content(
                "_rels/.rels", rels.replace("</Relationships>", rel + "</Relationships>").encode()
            )
    types_i = namen.get("[Content_Types].xml")
    if types_i is not None:
        types = _member_text(members[types_i])
        if f'PartName="/{deel}"'.lower() not in types.lower() and "</Types>" in types:
            override = f'<Override PartName="/{deel}" ContentType="{_CUSTOM_TYPE}"/>'
            members[types_i] = Member.from_content(
                "[Content_Types].xml", types.replace("</Types>", override + "</Types>").encode()
            )
    eigen_i = namen.get(deel)
    vreemd = []
    if eigen_i is not None and members[eigen_i].grootte <= _MAX_PART:
        vreemd = _foreign_properties(_member_text(members[eigen_i]))
    inhoud = _content([(lid.naam, lid.crc, lid.grootte) for lid in members], deel)
    eigen = [
        (_OWN, MARK_VERSION),
        (f"{_OWN}.inhoud", inhoud),
        (f"{_OWN}.gemaakt_op", gemaakt_op.replace(microsecond=0).isoformat()),
    ]
    eigen += [(f"{_OWN}.var.{naam}", h) for naam, h in sorted(variabelen.items())]
    nieuw = Member.from_content(deel, _properties_xml(vreemd, eigen))
    if eigen_i is None:
        members.append(nieuw)
    else:
        members[eigen_i] = nieuw
    return members


def read_mark(pad: Path) -> Mark | None:
    """Return what the .docx at *pad* says about itself, or None when it is not a readable .docx."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(pad) as zf:
            infos = {i.filename: i for i in zf.infolist()}

            def lees(naam: str | None) -> bytes | None:
                info = infos.get(naam) if naam else None
                if info is None or info.file_size > _MAX_PART:
                    return None
                return zf.read(info)

            rels = (lees("_rels/.rels") or b"").decode("utf-8")
            core = lees(_target(rels, _CORE_REL) or "docProps/core.xml")
            deel = _target(rels, _CUSTOM_REL)
            custom = lees(deel)
            members = [(i.filename, i.CRC, i.file_size) for i in infos.values()]
    except (OSError, zipfile.BadZipFile, ValueError, UnicodeDecodeError, KeyError, EOFError):
        return None
    kenmerk_, gemaakt_op = None, None
    try:
        if core is not None:
            root = fromstring(core)
            kenmerk_ = root.findtext("{http://purl.org/dc/elements/1.1/}identifier") or None
            gemaakt = root.findtext("{http://purl.org/dc/terms/}created")
            gemaakt_op = _time(gemaakt)
        eigen: dict[str, str] = {}
        if custom is not None:
            for prop in fromstring(custom):
                naam = prop.get("name") or ""
                if naam == _OWN or naam.startswith(_OWN + "."):
                    eigen[naam] = "".join(prop.itertext())
    except (ParseError, DefusedXmlException, ValueError):
        return None
    if eigen.get(_OWN) != MARK_VERSION:
        return Mark(kenmerk_, gemaakt_op, None, None)
    variabelen = {naam[len(_OWN) + 5 :]: h for naam, h in eigen.items() if naam.startswith(_OWN + ".var.")}
    ongewijzigd = eigen.get(f"{_OWN}.inhoud") == _content(members, deel)
    return Mark(kenmerk_, _time(eigen.get(f"{_OWN}.gemaakt_op")) or gemaakt_op, variabelen, ongewijzigd)


def _time(tekst: str | None) -> datetime | None:
    """Return the naive datetime of an ISO or W3CDTF text (a trailing Z dropped), or None."""
    if not tekst:
        return None
    try:
        return datetime.fromisoformat(tekst.strip().removesuffix("Z")).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return None
