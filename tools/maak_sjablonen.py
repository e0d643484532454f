"""Generate the default templates in sjablonen/ (run after changing this script).

The .docx files are committed; this script is how they were made. Staff may edit the
copies in their own workspace in Word; klachtdocs never touches those.
Usage: python tools/maak_sjablonen.py
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "sjablonen"
GROEN = RGBColor(0x1F, 0x5C, 0x4A)


def nieuw_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    style.paragraph_format.space_after = Pt(6)
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        footer = section.footer.paragraphs[0]
        footer.text = "{{ org_naam }} · {{ org_adres }} · {{ org_postcode_plaats }} · {{ org_website }}"
        footer.runs[0].font.size = Pt(8)
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    core = doc.core_properties
    core.author = core.last_modified_by = "klachtdocs"
    core.title = core.subject = core.keywords = core.comments = ""
    return doc


def p(
    doc,
    text: str = "",
    bold: bool = False,
    size: float | None = None,
    after: float | None = None,
    color: RGBColor | None = None,
):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = color
    if after is not None:
        para.paragraph_format.space_after = Pt(after)
    return para


def briefhoofd(doc) -> None:
    p(doc, "{{ org_naam }}", bold=True, size=16, after=0, color=GROEN)
    p(doc, "{{ org_adres }}, {{ org_postcode_plaats }}", size=8.5, after=0)
    p(doc, "{{ org_telefoon }} · {{ org_email }} · {{ org_website }}", size=8.5, after=28)


def brief(doc) -> None:
    """Letterhead, address block, place and date, kenmerk and betreft, salutation."""
    briefhoofd(doc)
    p(doc, "{{ adres }}", after=28)
    p(doc, "{{ plaats }}, {{ datum_brief }}", after=12)
    p(doc, "Kenmerk: {{ kenmerk }}", after=0)
    p(doc, "Betreft: {{ betreft }}", bold=True, after=18)
    p(doc, "{{ aanhef }}")


def ondertekening(doc) -> None:
    p(doc, "Met vriendelijke groet,", after=30)
    p(doc, "{{ klachtbehandelaar }}", after=0)
    p(doc, "{{ klachtbehandelaar_functie }}, {{ org_naam }}", after=0)
    p(
        doc,
        "{{ klachtbehandelaar_email }}{% if klachtbehandelaar_telefoon %} · "
        "{{ klachtbehandelaar_telefoon }}{% endif %}",
    )


def bereikbaar(doc) -> None:
    p(
        doc,
        "Heeft u vragen, neem dan contact op met {{ klachtbehandelaar }} via "
        "{{ klachtbehandelaar_email }}{% if klachtbehandelaar_telefoon %} of telefonisch op "
        "{{ klachtbehandelaar_telefoon }}{% endif %}. Vermeld daarbij kenmerk {{ kenmerk }}.",
    )


def ontvangstbevestiging() -> Document:
    doc = nieuw_document()
    brief(doc)
    p(
        doc,
        "Op {{ datum_ontvangst }} hebben wij uw klacht ontvangen. Met deze brief bevestigen wij "
        "de ontvangst. Uw klacht is geregistreerd onder kenmerk {{ kenmerk }}.{% if "
        "bevestiging_te_laat and not termijn_verstreken %} Het spijt ons dat deze bevestiging u later "
        "bereikt dan de twee werkdagen die ons klachtenreglement noemt.{% endif %}",
    )
    p(doc, "Wie behandelt uw klacht?", bold=True, after=2)
    p(
        doc,
        "Uw klacht wordt behandeld door {{ klachtbehandelaar }}, {{ klachtbehandelaar_functie }}. "
        "U bereikt de klachtbehandelaar via {{ klachtbehandelaar_email }}{% if "
        "klachtbehandelaar_telefoon %} of telefonisch op {{ klachtbehandelaar_telefoon }}{% endif %}.",
    )
    p(doc, "Hoe gaat het verder?", bold=True, after=2)
    p(doc, "{%p if not termijn_verstreken %}")
    p(
        doc,
        "De klachtbehandelaar onderzoekt uw klacht en neemt zo nodig contact met u op voor "
        "aanvullende informatie. {{ termijn_zin }} U ontvangt onze beslissing schriftelijk "
        "en met een toelichting.",
    )
    p(
        doc,
        "Lukt het niet om uw klacht binnen vier weken af te handelen, dan kunnen wij de "
        "afhandeling met ten hoogste vier weken verdagen. Dat laten wij u dan schriftelijk en met "
        "de reden weten.",
    )
    p(doc, "{%p else %}")
    p(
        doc,
        "Wij streven ernaar een klacht binnen vier weken na ontvangst af te handelen; voor uw "
        "klacht was dat {{ streefdatum }}. Het spijt ons dat u deze bevestiging pas nu ontvangt. "
        "De klachtbehandelaar onderzoekt uw klacht en neemt zo nodig contact met u op. "
        "{{ termijn_zin }} U ontvangt onze beslissing schriftelijk en met een toelichting.",
    )
    p(doc, "{%p endif %}")
    p(doc, "{%p if not afwijzingstermijn_verstreken %}")
    p(
        doc,
        "In een enkel geval nemen wij een klacht niet in behandeling, bijvoorbeeld als het voorval "
        "meer dan een jaar geleden is of als er al eerder een klacht over dezelfde gedraging is "
        "afgehandeld. Dat laten wij u dan uiterlijk drie weken na ontvangst van uw klacht weten.",
    )
    p(doc, "{%p endif %}")
    p(
        doc,
        "U mag zich tijdens de klachtenprocedure laten bijstaan of vertegenwoordigen. Ons "
        "klachtenreglement, waarin de hele procedure staat, vindt u in de bijlage.",
    )
    ondertekening(doc)
    p(doc, "Bijlage: {{ bijlage }}", size=9)
    return doc


def afwijzing() -> Document:
    doc = nieuw_document()
    brief(doc)
    p(
        doc,
        "Op {{ datum_ontvangst }} hebben wij uw klacht ontvangen. Wij hebben besloten uw klacht "
        "niet in behandeling te nemen, omdat {{ grond_uitleg }}.",
    )
    p(doc, "{%p if eerste_brief %}")
    p(
        doc,
        "Met deze brief bevestigen wij ook de ontvangst van uw klacht. Ons klachtenreglement, "
        "waarin de hele klachtenprocedure staat, vindt u in de bijlage (artikel 5 van ons "
        "klachtenreglement).",
    )
    p(doc, "{%p endif %}")
    p(doc, "{%p if toelichting_besluit %}")
    p(doc, "Toelichting", bold=True, after=2)
    p(doc, "{{ toelichting_besluit }}")
    p(doc, "{%p endif %}")
    p(
        doc,
        "Wij begrijpen dat dit besluit voor u teleurstellend kan zijn. Heeft u nieuwe informatie "
        "die wij niet kenden, laat het ons dan weten.",
    )
    bereikbaar(doc)
    ondertekening(doc)
    p(doc, "{%p if eerste_brief %}")
    p(doc, "Bijlage: {{ bijlage }}", size=9)
    p(doc, "{%p endif %}")
    return doc


def verdaging() -> Document:
    doc = nieuw_document()
    brief(doc)
    p(doc, "{%p if not streefdatum_verstreken %}")
    p(
        doc,
        "Op {{ datum_ontvangst }} hebben wij uw klacht ontvangen. Wij streven ernaar een klacht "
        "binnen vier weken af te handelen; voor uw klacht is dat uiterlijk {{ streefdatum }}. "
        "Het lukt ons niet om uw klacht binnen die termijn zorgvuldig af te handelen. Daarom "
        "verdagen wij de afhandeling tot uiterlijk {{ verdaagd_tot }} (artikel 9, lid 2 van ons "
        "klachtenreglement).",
    )
    p(doc, "{%p else %}")
    p(
        doc,
        "Op {{ datum_ontvangst }} hebben wij uw klacht ontvangen. Wij streven ernaar een klacht "
        "binnen vier weken af te handelen; voor uw klacht was dat {{ streefdatum }}. Het is ons "
        "niet gelukt uw klacht binnen die termijn af te handelen, en wij hadden u eerder moeten "
        "laten weten dat wij meer tijd nodig hebben. Wij verdagen de afhandeling tot uiterlijk "
        "{{ verdaagd_tot }} (artikel 9, lid 2 van ons klachtenreglement).",
    )
    p(doc, "{%p endif %}")
    p(doc, "Waarom wij meer tijd nodig hebben", bold=True, after=2)
    p(doc, "{{ reden_verdaging }}")
    p(doc, "{{ termijn_zin }}")
    bereikbaar(doc)
    ondertekening(doc)
    return doc


def afsluiting() -> Document:
    doc = nieuw_document()
    brief(doc)
    p(doc, "{%p if voortijdig %}")
    p(
        doc,
        "U heeft ons gevraagd de behandeling van uw klacht, die wij op {{ datum_ontvangst }} "
        "ontvingen, voortijdig af te sluiten. Zoals u vroeg, sluiten wij de klachtenprocedure "
        "hierbij af per {{ datum_afgehandeld }} (artikel 10 van ons klachtenreglement).",
    )
    p(doc, "{%p if beslissing %}")
    p(doc, "Wat wij tot nu toe hebben vastgesteld", bold=True, after=2)
    p(doc, "{{ beslissing }}")
    p(doc, "{%p endif %}")
    p(doc, "{%p if maatregelen %}")
    p(doc, "Maatregelen", bold=True, after=2)
    p(doc, "{{ maatregelen }}")
    p(doc, "{%p endif %}")
    p(doc, "{%p else %}")
    p(
        doc,
        "Op {{ datum_ontvangst }} hebben wij uw klacht ontvangen. Wij hebben uw klacht "
        "onderzocht en laten u hierbij onze beslissing weten (artikel 9, lid 1 van ons "
        "klachtenreglement).",
    )
    p(doc, "Onze beslissing", bold=True, after=2)
    p(doc, "{{ beslissing }}")
    p(doc, "{%p if maatregelen %}")
    p(doc, "Maatregelen en acties", bold=True, after=2)
    p(doc, "{{ maatregelen }}")
    p(doc, "{%p endif %}")
    p(
        doc,
        "De acties en maatregelen die wij naar aanleiding van uw klacht hebben bepaald, zijn "
        "uitgevoerd. Daarmee is uw klacht afgehandeld: met deze brief bevestigen wij de "
        "afsluiting van uw klacht per {{ datum_afgehandeld }} (artikel 10).",
    )
    p(doc, "{%p endif %}")
    p(doc, "{%p if eerste_brief %}")
    p(
        doc,
        "Met deze brief bevestigen wij ook de ontvangst van uw klacht. Ons klachtenreglement, "
        "waarin de hele klachtenprocedure staat, vindt u in de bijlage (artikel 5 van ons "
        "klachtenreglement).",
    )
    p(doc, "{%p endif %}")
    p(
        doc,
        "Wij danken u dat u de moeite nam om uw klacht aan ons voor te leggen; het helpt ons "
        "onze dienstverlening te verbeteren.",
    )
    bereikbaar(doc)
    ondertekening(doc)
    p(doc, "{%p if eerste_brief %}")
    p(doc, "Bijlage: {{ bijlage }}", size=9)
    p(doc, "{%p endif %}")
    return doc


def tabel(doc, rijen: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rijen:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(5.0), Cm(11.0)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    doc.add_paragraph()


def afschrift() -> Document:
    doc = nieuw_document()
    briefhoofd(doc)
    p(doc, "Intern memo: afschrift van een klacht (artikel 7)", bold=True, size=13, after=12)
    tabel(
        doc,
        [
            ("Aan", "{{ contactpersoon }}"),
            ("Van", "{{ klachtbehandelaar }}, klachtbehandelaar"),
            ("Datum", "{{ datum_brief }}"),
            ("Kenmerk", "{{ kenmerk }}"),
        ],
    )
    p(doc, "{{ aanhef }}")
    p(
        doc,
        "Hierbij ontvang je een afschrift van een klacht over de dienstverlening waarbij je "
        "betrokken bent, zoals die in het klachtenregister staat. Behandel dit afschrift "
        "vertrouwelijk en deel het niet verder. De klachtbehandelaar neemt contact met je op "
        "voor het onderzoek (artikel 8).",
    )
    tabel(
        doc,
        [
            ("Datum ontvangst", "{{ datum_ontvangst }}"),
            ("Indiener", "{{ naam_indiener }}"),
            ("Rol indiener", "{{ rol_indiener }}"),
            ("Dienst", "{{ dienst }}"),
            ("Datum voorval", "{{ datum_voorval }}"),
            ("Categorie", "{{ categorie }}"),
            ("Omschrijving", "{{ omschrijving }}"),
        ],
    )
    p(doc, "Met vriendelijke groet,", after=18)
    p(doc, "{{ klachtbehandelaar }}")
    return doc


def klachtenformulier() -> Document:
    doc = nieuw_document()
    briefhoofd(doc)
    p(doc, "Klachtenformulier {{ klachtnummer }}", bold=True, size=15, after=2, color=GROEN)
    p(
        doc,
        "Werkformulier van de klachtbehandelaar (artikel 1). Bijgewerkt op {{ datum_brief }}; "
        "status: {{ status }}.",
        size=9,
        after=12,
    )
    p(doc, "{%p if vorige_versie_bewerkt %}")
    p(
        doc,
        "Let op: de vorige versie ({{ vorige_versie_bewerkt }}) is met de hand bewerkt en staat "
        "ongewijzigd in dezelfde map. Neem uw aantekeningen daaruit over in deze versie.",
        bold=True,
        size=9,
        after=12,
    )
    p(doc, "{%p endif %}")
    p(doc, "Registratie", bold=True, size=12, after=4)
    tabel(
        doc,
        [
            ("Klachtnummer", "{{ klachtnummer }}"),
            ("Datum ontvangst", "{{ datum_ontvangst }}"),
            ("Naam indiener", "{{ naam_indiener }}"),
            ("Rol indiener", "{{ rol_indiener }}"),
            ("E-mailadres", "{{ email }}"),
            ("Telefoonnummer", "{{ telefoon }}"),
            ("Correspondentie per post", "{{ per_post }}"),
            ("Postadres", "{{ postadres }}"),
            ("Gemachtigde", "{{ gemachtigde }}"),
            ("Contactpersoon", "{{ contactpersoon }}"),
            ("Dienst", "{{ dienst }}"),
            ("Datum voorval", "{{ datum_voorval }}"),
            ("Omschrijving", "{{ omschrijving }}"),
            ("Categorie", "{{ categorie }}"),
            ("Klachtbehandelaar", "{{ klachtbehandelaar }}"),
        ],
    )
    p(doc, "Termijnen", bold=True, size=12, after=4)
    tabel(
        doc,
        [
            ("Ontvangstbevestiging uiterlijk", "{{ ontvangstbevestiging_uiterlijk }}"),
            ("Afwijzing uiterlijk", "{{ afwijzing_uiterlijk }}"),
            ("Streefdatum afhandeling", "{{ streefdatum }}"),
            ("Afhandeling uiterlijk (na verdaging)", "{{ afhandeling_uiterlijk }}"),
        ],
    )
    p(doc, "Besluit en afhandeling", bold=True, size=12, after=4)
    tabel(
        doc,
        [
            ("Besluit", "{{ besluit }}"),
            ("Grond niet in behandeling", "{{ grond }}"),
            ("Toelichting besluit", "{{ toelichting_besluit }}"),
            ("Afschrift aan contactpersoon", "{{ afschrift_aan_contactpersoon }}"),
            ("Verdaagd tot", "{{ verdaagd_tot }}"),
            ("Reden verdaging", "{{ reden_verdaging }}"),
            ("Beslissing", "{{ beslissing }}"),
            ("Maatregelen", "{{ maatregelen }}"),
            ("Datum afgehandeld", "{{ datum_afgehandeld }}"),
            ("Voortijdig gesloten op verzoek", "{{ voortijdig_gesloten }}"),
        ],
    )
    p(doc, "Contactmomenten", bold=True, size=12, after=4)
    lijst(
        doc,
        ("Datum", "Soort", "Samenvatting", "Afspraken"),
        "c",
        "contactmomenten",
        ("datum", "soort", "samenvatting", "afspraken"),
    )
    p(doc, "{%p if not contactmomenten %}")
    p(doc, "Nog geen contactmomenten geregistreerd.", size=9)
    p(doc, "{%p endif %}")
    p(doc, "Gemaakte brieven", bold=True, size=12, after=4)
    lijst(
        doc,
        ("Soort", "Versie", "Bestand", "Gemaakt op"),
        "b",
        "brieven",
        ("soort", "versie", "bestand", "gemaakt_op"),
    )
    return doc


def lijst(doc, kolommen, var, lijstnaam, velden) -> None:
    table = doc.add_table(rows=1, cols=len(kolommen))
    table.style = "Table Grid"
    for cell, kop in zip(table.rows[0].cells, kolommen, strict=False):
        cell.paragraphs[0].add_run(kop).bold = True
    table.add_row().cells[0].paragraphs[0].add_run(f"{{%tr for {var} in {lijstnaam} %}}")
    row = table.add_row().cells
    for cell, veld in zip(row, velden, strict=False):
        cell.paragraphs[0].add_run(f"{{{{ {var}.{veld} }}}}")
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    doc.add_paragraph()


REGLEMENT = Path(__file__).resolve().parent / "klachtenreglement.md"
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NADRUK = re.compile(r"(\*{1,3})(.+?)\1")


def _inline(para, tekst: str, bold: bool = False) -> None:
    """Add *tekst* to *para*, with Markdown's **bold** and *italic* as runs and links as their text."""
    tekst = _LINK.sub(r"\1", tekst)
    pos = 0
    for m in _NADRUK.finditer(tekst):
        if m.start() > pos:
            para.add_run(tekst[pos : m.start()]).bold = bold or None
        run = para.add_run(m.group(2))
        run.bold = True if len(m.group(1)) != 1 or bold else None
        run.italic = True if len(m.group(1)) != 2 else None
        pos = m.end()
    if pos < len(tekst):
        para.add_run(tekst[pos:]).bold = bold or None


def klachtenreglement() -> Document:
    """NextBest's klachtenreglement, from tools/klachtenreglement.md: the enclosure of art. 5.

    The text is the regulation as NextBest publishes it; the Markdown before its second
    level-1 heading (the website's introduction) is left out. Headings become Word headings,
    "- " lines bullets, "1." lines numbered paragraphs, "  - a." lines indented sub-items.
    """
    doc = nieuw_document()
    for naam, kleur in (("Title", GROEN), ("Heading 1", GROEN), ("Heading 2", GROEN), ("Heading 3", GROEN)):
        stijl = doc.styles[naam]
        stijl.font.name, stijl.font.color.rgb = "Arial", kleur
    doc.styles["Title"].font.size = Pt(18)
    doc.styles["Heading 1"].font.size, doc.styles["Heading 2"].font.size = Pt(13), Pt(11)
    regels = REGLEMENT.read_text(encoding="utf-8").splitlines()
    titels = [i for i, r in enumerate(regels) if r.startswith("# ")]
    for regel in regels[titels[-1] :]:
        kaal = regel.strip()
        if not kaal:
            continue
        if kaal.startswith("#"):
            niveau = len(kaal) - len(kaal.lstrip("#"))
            tekst = kaal.lstrip("#").strip().replace("**", "")
            if niveau == 1:
                doc.add_paragraph(tekst, style="Title")
            else:  # Paragraaf: heading 1; Artikel (### or ####): heading 2
                doc.add_heading(tekst, level=1 if tekst.startswith("Paragraaf") else 2)
            continue
        sub = re.match(r"^\s+- ([a-z])\. (.*)$", regel)
        genummerd = re.match(r"^(\d+)\. (.*)$", kaal)
        if sub:
            para = doc.add_paragraph()
            para.paragraph_format.left_indent, para.paragraph_format.first_line_indent = Cm(1.6), Cm(-0.6)
            _inline(para, f"{sub.group(1)}.\t{sub.group(2)}")
        elif genummerd:
            para = doc.add_paragraph()
            para.paragraph_format.left_indent, para.paragraph_format.first_line_indent = Cm(0.8), Cm(-0.8)
            _inline(para, f"{genummerd.group(1)}.\t{genummerd.group(2)}")
        elif kaal.startswith("- "):
            para = doc.add_paragraph(style="List Bullet")
            _inline(para, kaal[2:])
        else:
            _inline(doc.add_paragraph(), kaal)
    return doc


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for naam, maker in [
        ("ontvangstbevestiging", ontvangstbevestiging),
        ("afwijzing", afwijzing),
        ("verdaging", verdaging),
        ("afsluiting", afsluiting),
        ("afschrift", afschrift),
        ("klachtenformulier", klachtenformulier),
        ("klachtenreglement", klachtenreglement),
    ]:
        maker().save(OUT / f"{naam}.docx")
        print("geschreven:", OUT / f"{naam}.docx")


if __name__ == "__main__":
    main()
