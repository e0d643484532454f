"""Build the template context of each kind of document; pure, no I/O.

The context is flat (``{{ naam_indiener }}``, not ``{{ klacht.naam }}``) so staff can
edit templates in Word, and so klachtdocs can see which variables a template uses: a
new version of a letter is made only when one of *those* values changes.
"""

from __future__ import annotations

from datetime import date

from klachtdocs.rules import procedure as p
from klachtdocs.rules import register as rf
from klachtdocs.rules.config import Config
from klachtdocs.rules.dutch import datum_tekst
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import Contactmoment, Klacht, Medewerker
from klachtdocs.rules.termijnen import Termijnen, bereken

#: The kind of the enclosed klachtenreglement in the journal (not a template of its own).
BIJLAGE = "bijlage"
BETREFT = {
    p.ONTVANGSTBEVESTIGING: "Ontvangstbevestiging van uw klacht",
    p.AFSCHRIFT: "Afschrift van een klacht (intern)",
    p.AFWIJZING: "Uw klacht wordt niet in behandeling genomen",
    p.VERDAGING: "Verdaging van de afhandeling van uw klacht",
    p.AFSLUITING: "Afsluiting van uw klacht",
    p.KLACHTENFORMULIER: "Klachtenformulier",
}
GROND_UITLEG = {
    rf.GROND_EERDER: "uw klacht gaat over een gedraging waarover eerder een klacht is "
    "ingediend die volgens ons klachtenreglement is afgehandeld (artikel 6, lid 2, onder a)",
    rf.GROND_OUDER: "uw klacht gaat over een gedraging of voorval die meer dan een jaar vóór "
    "het indienen van de klacht heeft plaatsgevonden (artikel 6, lid 2, onder b)",
    rf.GROND_RELATIE: "er geen directe relatie bestaat tussen u en NextBest; u bent geen "
    "opdrachtgever, cliënt, kandidaat of samenwerkingsrelatie van NextBest (artikel 1)",
}
#: Variables that change without the klacht changing; they never cause a new version.
#: The wording that fits the day a letter is made (``termijn_verstreken`` and the like) is
#: among them: a letter made on time does not get a new version when its date passes.
VLUCHTIG = frozenset(
    {
        "datum_brief",
        "plaats",
        "org_naam",
        "org_adres",
        "org_postcode_plaats",
        "org_plaats",
        "org_email",
        "org_telefoon",
        "org_website",
        "bijlage",
        "termijn_verstreken",
        "streefdatum_verstreken",
        "afwijzingstermijn_verstreken",
        "termijn_zin",
        "eerste_brief",
        "vorige_versie_bewerkt",
        "bevestiging_te_laat",
    }
)


def adresregels(k: Klacht) -> list[str]:
    """Return the lines of the address block: indiener, p/a gemachtigde, post or e-mail."""
    lines = [k.naam_indiener]
    if k.gemachtigde:
        lines.append(f"p/a {k.gemachtigde}")
    if k.per_post:
        lines.extend(line.strip() for line in k.postadres.replace(",", "\n").split("\n") if line.strip())
    elif k.email:
        lines.append(f"Per e-mail: {k.email}")
    return lines


def _basis(k: Klacht, t: Termijnen, config: Config, medewerker: Medewerker | None, vandaag: date) -> dict:
    org = config.organisatie
    behandelaar = medewerker or Medewerker(k.klachtbehandelaar)
    return {
        "org_naam": org.naam,
        "org_adres": org.adres,
        "org_postcode_plaats": org.postcode_plaats,
        "org_plaats": org.plaats,
        "org_email": org.email,
        "org_telefoon": org.telefoon,
        "org_website": org.website,
        "plaats": org.plaats,
        "datum_brief": datum_tekst(vandaag),
        "kenmerk": k.klachtnummer,
        "klachtnummer": k.klachtnummer,
        "adres": "\n".join(adresregels(k)),
        "aanhef": f"Geachte {k.naam_indiener},",
        "naam_indiener": k.naam_indiener,
        "gemachtigde": k.gemachtigde,
        "datum_ontvangst": datum_tekst(t.datum_ontvangst),
        "klachtbehandelaar": behandelaar.naam,
        "klachtbehandelaar_functie": behandelaar.functie or "klachtbehandelaar",
        "klachtbehandelaar_email": behandelaar.email or org.email,
        "klachtbehandelaar_telefoon": behandelaar.telefoon or org.telefoon,
    }


def _register_velden(k: Klacht) -> dict:
    return {
        "rol_indiener": k.rol_indiener,
        "email": k.email,
        "telefoon": k.telefoon,
        "per_post": "ja" if k.per_post else "nee",
        "postadres": k.postadres,
        "contactpersoon": k.contactpersoon,
        "dienst": k.dienst,
        "datum_voorval": datum_tekst(k.datum_voorval),
        "omschrijving": k.omschrijving,
        "categorie": k.categorie,
        "besluit": k.besluit,
        "grond": k.grond,
        "toelichting_besluit": k.toelichting_besluit,
        "afschrift_aan_contactpersoon": "ja" if k.afschrift else "nee",
        "verdaagd_tot": datum_tekst(k.verdaagd_tot),
        "reden_verdaging": k.reden_verdaging,
        "beslissing": k.beslissing,
        "maatregelen": k.maatregelen,
        "datum_afgehandeld": datum_tekst(k.datum_afgehandeld),
        "voortijdig_gesloten": "ja" if k.voortijdig_gesloten else "nee",
    }


def _ontvangst_termijn_zin(k: Klacht, t: Termijnen, vandaag: date) -> str:
    """Return the ontvangstbevestiging's sentence on when the klacht will be handled, as of *vandaag*."""
    if vandaag <= t.streefdatum_afhandeling:
        return (
            "Wij streven ernaar uw klacht binnen vier weken na ontvangst af te handelen, dat wil "
            f"zeggen uiterlijk op {datum_tekst(t.streefdatum_afhandeling)}."
        )
    if k.verdaagd_tot and vandaag <= k.verdaagd_tot <= t.afhandeling_uiterlijk:
        return (
            f"Wij hebben de afhandeling verdaagd tot uiterlijk {datum_tekst(k.verdaagd_tot)}; "
            "daarover ontvangt u een aparte brief."
        )
    return "Wij handelen uw klacht zo snel mogelijk af."


def _verdaging_termijn_zin(k: Klacht, vandaag: date) -> str:
    """Return the verdaging's sentence on when the decision follows, as of *vandaag*."""
    if vandaag <= k.verdaagd_tot:
        return (
            "Wij houden u op de hoogte van de voortgang en laten u onze beslissing uiterlijk op "
            f"{datum_tekst(k.verdaagd_tot)} schriftelijk en met een toelichting weten."
        )
    return (
        "Ook die datum is inmiddels voorbij; het spijt ons dat u dit bericht pas nu ontvangt. Wij "
        "laten u onze beslissing zo snel mogelijk schriftelijk en met een toelichting weten."
    )


def bijlage_naam(config: Config) -> str:
    """Return how the letters name the enclosed klachtenreglement."""
    return "Klachtenreglement re-integratiediensten " + config.organisatie.naam


def context(
    soort: str,
    k: Klacht,
    t: Termijnen,
    config: Config,
    medewerker: Medewerker | None,
    vandaag: date,
    contactmomenten: list[Contactmoment] = (),
    brieven: list[dict] = (),
    gemaakt: dict[str, date] | set[str] = frozenset(),
    vorige_versie_bewerkt: str = "",
) -> dict:
    """Return the template context of the document *soort* for klacht *k*.

    Variables that describe the day the letter is made (they never cause a new version):
    ``termijn_verstreken`` (ontvangstbevestiging: the streefdatum has passed; verdaging: the
    Verdaagd tot has passed), ``streefdatum_verstreken`` (verdaging), ``afwijzingstermijn_verstreken``
    (ontvangstbevestiging: the three weeks of art. 6.3 have passed), ``bevestiging_te_laat``
    (ontvangstbevestiging: its own term of two werkdagen has passed), ``termijn_zin`` (the sentence
    saying by when, without a date that has passed), ``eerste_brief`` (afwijzing, afsluiting: no
    ontvangstbevestiging was made, so this letter acknowledges the receipt and encloses the
    klachtenreglement; *gemaakt* holds the kinds already made) and ``vorige_versie_bewerkt``
    (klachtenformulier: the file name of the previous version when someone edited it).
    """
    ctx = _basis(k, t, config, medewerker, vandaag)
    ctx["betreft"] = BETREFT[soort]
    if soort == p.ONTVANGSTBEVESTIGING:
        ctx["streefdatum"] = datum_tekst(t.streefdatum_afhandeling)
        ctx["bijlage"] = bijlage_naam(config)
        ctx["termijn_verstreken"] = vandaag > t.streefdatum_afhandeling
        ctx["bevestiging_te_laat"] = vandaag > t.ontvangstbevestiging_uiterlijk
        ctx["afwijzingstermijn_verstreken"] = vandaag > t.afwijzing_uiterlijk
        ctx["termijn_zin"] = _ontvangst_termijn_zin(k, t, vandaag)
    elif soort == p.AFSCHRIFT:
        ctx |= _register_velden(k)
        ctx["aanhef"] = f"Beste {k.contactpersoon},"
    elif soort == p.AFWIJZING:
        ctx["grond_uitleg"] = GROND_UITLEG.get(k.grond, k.grond)
        ctx["toelichting_besluit"] = k.toelichting_besluit
    elif soort == p.VERDAGING:
        ctx["verdaagd_tot"] = datum_tekst(k.verdaagd_tot)
        ctx["reden_verdaging"] = k.reden_verdaging
        ctx["streefdatum"] = datum_tekst(t.streefdatum_afhandeling)
        ctx["streefdatum_verstreken"] = vandaag > t.streefdatum_afhandeling
        ctx["termijn_verstreken"] = vandaag > k.verdaagd_tot
        ctx["termijn_zin"] = _verdaging_termijn_zin(k, vandaag)
    elif soort == p.AFSLUITING:
        ctx["voortijdig"] = k.voortijdig_gesloten
        ctx["beslissing"] = k.beslissing
        ctx["maatregelen"] = k.maatregelen
        ctx["datum_afgehandeld"] = datum_tekst(k.datum_afgehandeld)
    elif soort == p.KLACHTENFORMULIER:
        ctx |= _register_velden(k)
        ctx |= {
            "ontvangstbevestiging_uiterlijk": datum_tekst(t.ontvangstbevestiging_uiterlijk),
            "afwijzing_uiterlijk": datum_tekst(t.afwijzing_uiterlijk),
            "streefdatum": datum_tekst(t.streefdatum_afhandeling),
            "afhandeling_uiterlijk": datum_tekst(t.afhandeling_uiterlijk),
            "status": p.status(k),
            "contactmomenten": [
                {
                    "datum": datum_tekst(c.datum),
                    "soort": c.soort,
                    "samenvatting": c.samenvatting,
                    "afspraken": c.afspraken,
                }
                for c in contactmomenten
            ],
            "brieven": list(brieven),
            "vorige_versie_bewerkt": vorige_versie_bewerkt,
        }
    if soort in (p.AFWIJZING, p.AFSLUITING):
        ctx["eerste_brief"] = p.afgesloten_bij_eerste_brief(k, gemaakt)
        ctx["bijlage"] = bijlage_naam(config)
    return ctx


def bijlage_context(
    k: Klacht, t: Termijnen, config: Config, medewerker: Medewerker | None, vandaag: date
) -> dict:
    """Return the context of the enclosed klachtenreglement: the letterhead and the klacht's basics."""
    return _basis(k, t, config, medewerker, vandaag) | {"betreft": bijlage_naam(config)}


def voorbeeld_context(soort: str) -> dict:
    """Return a context with every variable of *soort* filled, to check templates against."""
    d = date(2026, 1, 5)
    if soort == BIJLAGE:
        k = Klacht(rij=2, klachtnummer="K-1", datum_ontvangst=d, naam_indiener="X", klachtbehandelaar="W")
        return bijlage_context(k, bereken(d, Kalender()), Config(brieven_vanaf=d), None, d)
    k = Klacht(
        rij=2,
        klachtnummer="K-1",
        datum_ontvangst=d,
        naam_indiener="X",
        email="x@x",
        contactpersoon="Y",
        datum_voorval=d,
        omschrijving="Z",
        klachtbehandelaar="W",
        verdaagd_tot=d,
        datum_afgehandeld=d,
        besluit=rf.IN_BEHANDELING,
    )
    return context(
        soort,
        k,
        bereken(d, Kalender()),
        Config(brieven_vanaf=d),
        None,
        d,
        [Contactmoment("K-1", d)],
        [{"soort": "s", "versie": 1, "bestand": "b", "gemaakt_op": "g"}],
    )
