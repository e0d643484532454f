"""The figures of the monthly analysis, computed with pandas from the validated klachten; no I/O.

Every figure is "stand op" the last day of its period: dates after that day count as not
yet happened, so a month's figures come out the same when made again later (as long as
nobody changes past dates in the register). A verdaging dates from its letter's first-made
date (a klacht without letters, received before brieven_vanaf: from the register as it is);
one made after the streefdatum does not move the term (art. 9.2, as procedure.te_laat).
Facts without a date of their own (Besluit, Grond, Categorie) are taken as the register
holds them now. The facts are validatie's Klacht objects, so a row means here what it means
for the letters and the overzicht; a klacht counts when it has a Datum ontvangst, whatever
else validation found wrong with its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from klachtdocs.rules import register as rf
from klachtdocs.rules.dutch import MAANDEN, MAANDEN_KORT
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import Klacht
from klachtdocs.rules.termijnen import bereken

ONTVANGSTBEVESTIGING = "ontvangstbevestiging"
AFWIJZING = "afwijzing"
VERDAGING = "verdaging"
AFSLUITING = "afsluiting"
#: The letters whose first-made date the analysis needs from the journal.
BRIEF_SOORTEN = (ONTVANGSTBEVESTIGING, AFWIJZING, VERDAGING, AFSLUITING)

T_ONTVANGST = "Ontvangstbevestiging binnen 2 werkdagen"
T_AFWIJZING = "Afwijzing binnen 3 weken"
T_AFHANDELING = "Afgehandeld binnen 4 weken"
T_VERDAAGD = "Afgehandeld binnen 8 weken (verdaagd)"
TERMIJNEN = (T_ONTVANGST, T_AFWIJZING, T_AFHANDELING, T_VERDAAGD)
ONBEKEND = "Onbekend"

# The rows of the Samenvatting; a row without a key is a section heading.
SAMENVATTING = (
    ("Instroom (naar Datum ontvangst)", None),
    ("Ontvangen", "ontvangen"),
    ("In behandeling genomen", "in_behandeling"),
    ("Niet in behandeling genomen", "niet"),
    *((f"  waarvan grond: {g}", f"grond:{g}") for g in rf.GRONDEN),
    ("Nog geen besluit", "geen_besluit"),
    ("Verdaagd", "verdaagd"),
    ("Afhandeling (naar Datum afgehandeld)", None),
    ("Afgehandeld", "afgehandeld"),
    ("Voortijdig gesloten op verzoek", "voortijdig"),
    ("Stand op de laatste dag", None),
    ("Openstaand", "openstaand"),
    ("Over een termijn", "over_termijn"),
    ("Doorlooptijd van de gesloten klachten", None),
    ("Mediaan (werkdagen)", "mediaan_werkdagen"),
    ("Maximum (werkdagen)", "max_werkdagen"),
    ("Mediaan (kalenderdagen)", "mediaan_kalenderdagen"),
    ("Maximum (kalenderdagen)", "max_kalenderdagen"),
    ("Termijnnaleving (naar uiterste datum)", None),
    *(
        row
        for t in TERMIJNEN
        for row in (
            (f"{t}: op tijd", f"op_tijd:{t}"),
            (f"{t}: te laat", f"te_laat:{t}"),
            (f"{t}: % op tijd", f"pct:{t}"),
        )
    ),
    ("Herhaalklachten (12 maanden tot de laatste dag)", None),
    ("Indieners met meer dan één klacht", "herhaal_indieners"),
    ("Klachten van die indieners", "herhaal_klachten"),
)
PERCENTAGE_SLEUTELS = frozenset(k for _, k in SAMENVATTING if k and k.startswith("pct:"))


@dataclass(frozen=True)
class Periode:
    """A stretch of days with a column heading; figures are as they stood on *einde*."""

    kop: str
    begin: date
    einde: date  # inclusive

    @property
    def begin_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.begin)

    @property
    def einde_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.einde)


def maandnaam(jaar: int, maand: int) -> str:
    """Return "oktober 2026"."""
    return f"{MAANDEN[maand - 1]} {jaar}"


def maand(jaar: int, mnd: int, vandaag: date | None = None, kop: str | None = None) -> Periode:
    """Return the Periode of one calendar month; one that has not ended stops at yesterday.

    Yesterday is the last whole day: a term that ends today has not been missed yet.
    """
    begin = date(jaar, mnd, 1)
    einde = begin + relativedelta(months=1) - timedelta(days=1)
    if vandaag is not None:
        einde = min(einde, vandaag - timedelta(days=1))
    return Periode(kop or maandnaam(jaar, mnd), begin, einde)


def laatste_volledige_maand(vandaag: date) -> tuple[int, int]:
    """Return (jaar, maand) of the last month that has ended before *vandaag*."""
    vorige = vandaag.replace(day=1) - timedelta(days=1)
    return vorige.year, vorige.month


@dataclass
class Analyse:
    """Every table of the analysis workbook, as DataFrames without personal data."""

    maand: Periode
    jaar: Periode
    perioden: list[Periode]  # month, year to date, then the 12 months before, newest first
    samenvatting: pd.DataFrame
    trend: pd.DataFrame
    termijnnaleving: pd.DataFrame
    verdelingen: dict[str, pd.DataFrame]
    afwijkingen: pd.DataFrame
    klachten: int = 0
    zonder_datum: int = 0
    info: dict = field(default_factory=dict)


def _eerste_datums(gemaakt: dict) -> dict[str, date]:
    """Return soort -> first-made day, from the journal's datetimes (or dates)."""
    return {s: d.date() if isinstance(d, datetime) else d for s, d in gemaakt.items()}


#: The columns of klachtenframe.
KOLOMMEN = (
    "nummer",
    "ontvangen",
    "Rol indiener",
    "Dienst",
    "Categorie",
    "besluit",
    "grond",
    "niet",
    "verdaagd",
    "afgehandeld",
    "voortijdig",
    "brieven",
    "verdaagd_geldig",
    "verd_gemaakt",
    "ob_uiterlijk",
    "afw_uiterlijk",
    "afh_uiterlijk",
    "ob_gemaakt",
    "afw_gemaakt",
    "werkdagen",
    "kalenderdagen",
    "gesloten",
    "indiener",
)


def _klachtrij(k: Klacht, gemaakt: dict[str, date], kalender: Kalender, brieven_vanaf: date) -> dict:
    """Return the facts, deadlines and first-made letter dates of one klacht, without personal data."""
    ontvangen, afgehandeld = k.datum_ontvangst, k.datum_afgehandeld
    t = bereken(ontvangen, kalender)
    niet = k.besluit == rf.NIET_IN_BEHANDELING
    verdaagd = k.verdaagd_tot is not None and not niet
    brieven = ontvangen >= brieven_vanaf
    verd_gemaakt = gemaakt.get(VERDAGING)
    # A verdaging counts from the day its letter was first made; made after the streefdatum (or
    # never, though letters are made for the klacht) it does not extend the term.
    verdaagd_geldig = verdaagd and (
        not brieven or (verd_gemaakt is not None and verd_gemaakt <= t.streefdatum_afhandeling)
    )
    # A klacht closed when first seen is acknowledged by its afwijzing or afsluiting (procedure).
    ob_gemaakt = gemaakt.get(ONTVANGSTBEVESTIGING) or gemaakt.get(AFWIJZING if niet else AFSLUITING)
    # Doorlooptijd: werkdagen after Datum ontvangst up to and including Datum afgehandeld.
    gesloten = afgehandeld is not None and afgehandeld >= ontvangen and not niet
    return {
        "nummer": k.klachtnummer or f"(rij {k.rij}, zonder nummer)",
        "ontvangen": ontvangen,
        "Rol indiener": k.rol_indiener or ONBEKEND,
        "Dienst": k.dienst or ONBEKEND,
        "Categorie": k.categorie or ONBEKEND,
        "besluit": k.besluit,
        "grond": k.grond,
        "niet": niet,
        "verdaagd": verdaagd,
        "afgehandeld": afgehandeld,
        "voortijdig": k.voortijdig_gesloten and not niet,
        "brieven": brieven,
        "verdaagd_geldig": verdaagd_geldig,
        "verd_gemaakt": verd_gemaakt,
        "ob_uiterlijk": t.ontvangstbevestiging_uiterlijk,
        "afw_uiterlijk": t.afwijzing_uiterlijk,
        "afh_uiterlijk": (
            min(k.verdaagd_tot, t.afhandeling_uiterlijk) if verdaagd_geldig else t.streefdatum_afhandeling
        ),
        "ob_gemaakt": ob_gemaakt,
        "afw_gemaakt": gemaakt.get(AFWIJZING),
        "werkdagen": kalender.werkdagen_tussen(ontvangen, afgehandeld) if gesloten else None,
        "kalenderdagen": (afgehandeld - ontvangen).days if gesloten else None,
        "gesloten": gesloten,
    }


_BOOLKOLOMMEN = ("niet", "verdaagd", "voortijdig", "brieven", "verdaagd_geldig", "gesloten")
_DATUMKOLOMMEN = (
    "ontvangen",
    "afgehandeld",
    "verd_gemaakt",
    "ob_uiterlijk",
    "afw_uiterlijk",
    "afh_uiterlijk",
    "ob_gemaakt",
    "afw_gemaakt",
)


def klachtenframe(
    klachten: list[Klacht], eerst: dict[str, dict], kalender: Kalender, brieven_vanaf: date
) -> pd.DataFrame:
    """Return one row per klacht with a Datum ontvangst: its facts, deadlines and first-made letter dates.

    Names and e-mail addresses only tell whether two klachten come from the same indiener:
    the frame holds a number instead (-1: unknown).
    """
    codes: dict[str, int] = {}
    rijen = []
    for k in klachten:
        if k.datum_ontvangst is None:
            continue
        rij = _klachtrij(k, _eerste_datums(eerst.get(k.klachtnummer, {})), kalender, brieven_vanaf)
        sleutel = rf.fold_key(k.naam_indiener) or rf.fold_key(k.email)
        rij["indiener"] = codes.setdefault(sleutel, len(codes)) if sleutel else -1
        rijen.append(rij)
    df = pd.DataFrame(rijen, columns=KOLOMMEN)
    df[list(_DATUMKOLOMMEN)] = df[list(_DATUMKOLOMMEN)].apply(pd.to_datetime)
    df[list(_BOOLKOLOMMEN)] = df[list(_BOOLKOLOMMEN)].astype(bool)
    df[["werkdagen", "kalenderdagen"]] = df[["werkdagen", "kalenderdagen"]].astype(float)
    return df


def termijnenframe(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per term a klacht has: which term, its deadline and when it was met."""
    delen = [
        (T_ONTVANGST, df["brieven"], "ob_uiterlijk", "ob_gemaakt"),
        (T_AFWIJZING, df["brieven"] & df["niet"], "afw_uiterlijk", "afw_gemaakt"),
        (T_AFHANDELING, ~df["niet"] & ~df["verdaagd_geldig"], "afh_uiterlijk", "afgehandeld"),
        (T_VERDAAGD, ~df["niet"] & df["verdaagd_geldig"], "afh_uiterlijk", "afgehandeld"),
    ]
    frames = []
    for naam, mask, uiterlijk, werkelijk in delen:
        sub = df.loc[mask, ["nummer", "Rol indiener", "Dienst", "Categorie", uiterlijk, werkelijk]]
        sub = sub.rename(columns={uiterlijk: "uiterlijk", werkelijk: "werkelijk"})
        sub.insert(1, "termijn", naam)
        sub["klacht"] = sub.index
        frames.append(sub)
    result = pd.concat(frames, ignore_index=True)
    result["termijn"] = pd.Categorical(result["termijn"], categories=TERMIJNEN)
    return result


def _tussen(s: pd.Series, p: Periode) -> pd.Series:
    return (s >= p.begin_ts) & (s <= p.einde_ts)


def _gedaan_op_tijd(termen: pd.DataFrame) -> pd.Series:
    return termen["werkelijk"] <= termen["uiterlijk"]  # NaT compares False


def _over_termijn(termen: pd.DataFrame, einde: pd.Timestamp) -> pd.Series:
    """Return, per term row, whether it stood exceeded and not yet met on *einde*."""
    nog_niet = termen["werkelijk"].isna() | (termen["werkelijk"] > einde)
    return (termen["uiterlijk"] < einde) & nog_niet


def herhaal(df: pd.DataFrame, begin: pd.Timestamp, einde: pd.Timestamp) -> tuple[int, int]:
    """Return (indieners with more than one klacht, their klachten) received in [begin, einde]."""
    ids = df.loc[(df["ontvangen"] >= begin) & (df["ontvangen"] <= einde) & (df["indiener"] >= 0), "indiener"]
    counts = ids.value_counts()
    meer = counts[counts > 1]
    return int(len(meer)), int(meer.sum())


def kengetallen(
    df: pd.DataFrame, termen: pd.DataFrame, p: Periode, herhaal_begin: date | None = None
) -> dict[str, float | int | None]:
    """Return the Samenvatting figures of period *p*, by key."""
    b, e = p.begin_ts, p.einde_ts
    nieuw = df[_tussen(df["ontvangen"], p)]
    out: dict[str, float | int | None] = {
        "ontvangen": len(nieuw),
        "in_behandeling": int((nieuw["besluit"] == rf.IN_BEHANDELING).sum()),
        "niet": int(nieuw["niet"].sum()),
        "geen_besluit": int((nieuw["besluit"] == "").sum()),
        # Verdaagd as it stood on the last day: its letter made by then (or no letters at all).
        "verdaagd": int((nieuw["verdaagd"] & (~nieuw["brieven"] | (nieuw["verd_gemaakt"] <= e))).sum()),
    }
    for g in rf.GRONDEN:
        out[f"grond:{g}"] = int((nieuw["niet"] & (nieuw["grond"] == g)).sum())
    dicht = df[df["gesloten"] & _tussen(df["afgehandeld"], p)]
    out["afgehandeld"] = int((~dicht["voortijdig"]).sum())
    out["voortijdig"] = int(dicht["voortijdig"].sum())
    open_ = (df["ontvangen"] <= e) & ~df["niet"] & (df["afgehandeld"].isna() | (df["afgehandeld"] > e))
    out["openstaand"] = int(open_.sum())
    out["over_termijn"] = int(termen.loc[_over_termijn(termen, e), "klacht"].nunique())
    for naam, kolom in (("werkdagen", "werkdagen"), ("kalenderdagen", "kalenderdagen")):
        values = dicht[kolom]
        out[f"mediaan_{naam}"] = float(values.median()) if len(values) else None
        out[f"max_{naam}"] = int(values.max()) if len(values) else None
    due = termen[_tussen(termen["uiterlijk"], p)]
    op_tijd = _gedaan_op_tijd(due)
    for t in TERMIJNEN:
        mask = due["termijn"] == t
        goed, totaal = int((op_tijd & mask).sum()), int(mask.sum())
        out[f"op_tijd:{t}"], out[f"te_laat:{t}"] = goed, totaal - goed
        out[f"pct:{t}"] = goed / totaal if totaal else None
    hb = pd.Timestamp(herhaal_begin) if herhaal_begin else b
    out["herhaal_indieners"], out["herhaal_klachten"] = herhaal(df, hb, e)
    return out


def _twaalf_maanden_tot(p: Periode) -> date:
    return p.einde.replace(day=1) - relativedelta(months=11)


def analyseer(
    klachten: list[Klacht],
    eerst: dict[str, dict],
    kalender: Kalender,
    brieven_vanaf: date,
    jaar: int,
    mnd: int,
    vandaag: date,
    categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN,
) -> Analyse:
    """Return the Analyse of month *jaar*-*mnd* as it stood at that month's end (or *vandaag*)."""
    df = klachtenframe(klachten, eerst, kalender, brieven_vanaf)
    termen = termijnenframe(df)
    de_maand = maand(jaar, mnd, vandaag)
    ytd = Periode(f"{jaar} t/m {MAANDEN[mnd - 1]}", date(jaar, 1, 1), de_maand.einde)
    vorige = []
    for n in range(1, 13):
        start = date(jaar, mnd, 1) - relativedelta(months=n)
        vorige.append(maand(start.year, start.month))
    perioden = [de_maand, ytd, *vorige]

    cijfers = {}
    for p in perioden:
        herhaal_begin = p.begin if p is ytd else _twaalf_maanden_tot(p)
        cijfers[p.kop] = kengetallen(df, termen, p, herhaal_begin)
    samenvatting = pd.DataFrame(
        [[cijfers[p.kop][k] if k else None for p in perioden] for _, k in SAMENVATTING],
        index=pd.Index([label for label, _ in SAMENVATTING], name="Kengetal"),
        columns=[p.kop for p in perioden],
        dtype=object,
    )

    trend_perioden = [*reversed(vorige[:11]), de_maand]
    trend = pd.DataFrame(
        [
            {
                "Maand": f"{MAANDEN_KORT[p.begin.month - 1]} {p.begin.year}",
                "Ontvangen": cijfers[p.kop]["ontvangen"],
                # The Samenvatting's definitions: afgehandeld with a decision, voortijdig gesloten apart.
                "Afgehandeld": cijfers[p.kop]["afgehandeld"],
                "Voortijdig gesloten": cijfers[p.kop]["voortijdig"],
                "Openstaand op de laatste dag": cijfers[p.kop]["openstaand"],
                "Over een termijn op de laatste dag": cijfers[p.kop]["over_termijn"],
                "Ontvangstbevestiging op tijd (%)": cijfers[p.kop][f"pct:{T_ONTVANGST}"],
                "Afgehandeld binnen de termijn (%)": _samen_pct(cijfers[p.kop], (T_AFHANDELING, T_VERDAAGD)),
            }
            for p in trend_perioden
        ]
    )

    naleving = pd.DataFrame(
        [
            {
                "Termijn": t,
                "Maand: op tijd": cijfers[de_maand.kop][f"op_tijd:{t}"],
                "Maand: te laat": cijfers[de_maand.kop][f"te_laat:{t}"],
                "Maand: % op tijd": cijfers[de_maand.kop][f"pct:{t}"],
                "Jaar: op tijd": cijfers[ytd.kop][f"op_tijd:{t}"],
                "Jaar: te laat": cijfers[ytd.kop][f"te_laat:{t}"],
                "Jaar: % op tijd": cijfers[ytd.kop][f"pct:{t}"],
            }
            for t in TERMIJNEN
        ]
    )

    twaalf = Periode("12 maanden", _twaalf_maanden_tot(de_maand), de_maand.einde)
    verdelingen = {
        "Dienst": _verdeling(df, termen, "Dienst", rf.DIENSTEN, de_maand, ytd, twaalf),
        "Rol indiener": _verdeling(df, termen, "Rol indiener", rf.ROLLEN, de_maand, ytd, twaalf),
        "Categorie": _verdeling(df, termen, "Categorie", categorieen, de_maand, ytd, twaalf),
    }
    return Analyse(
        de_maand,
        ytd,
        perioden,
        samenvatting,
        trend,
        naleving,
        verdelingen,
        _afwijkingen(termen, ytd),
        len(df),
        sum(1 for k in klachten if k.datum_ontvangst is None),
    )


def _samen_pct(c: dict, termijnen: tuple[str, ...]) -> float | None:
    goed = sum(c[f"op_tijd:{t}"] for t in termijnen)
    totaal = goed + sum(c[f"te_laat:{t}"] for t in termijnen)
    return goed / totaal if totaal else None


def _verdeling(
    df: pd.DataFrame,
    termen: pd.DataFrame,
    kolom: str,
    waarden: tuple[str, ...],
    de_maand: Periode,
    ytd: Periode,
    twaalf: Periode,
) -> pd.DataFrame:
    """Return the breakdown of the klachten by *kolom*: one row per value, Onbekend last."""
    volgorde = [*waarden, ONBEKEND]

    def tel(mask: pd.Series) -> pd.Series:
        return df.loc[mask, kolom].value_counts().reindex(volgorde, fill_value=0)

    in_twaalf = tel(_tussen(df["ontvangen"], twaalf))
    due = termen[_tussen(termen["uiterlijk"], ytd)]
    gemist = due.loc[~_gedaan_op_tijd(due), kolom].value_counts().reindex(volgorde, fill_value=0)
    totaal = int(in_twaalf.sum())
    out = pd.DataFrame(
        {
            kolom: volgorde,
            f"Ontvangen {de_maand.kop}": tel(_tussen(df["ontvangen"], de_maand)).to_numpy(),
            f"Ontvangen {ytd.kop}": tel(_tussen(df["ontvangen"], ytd)).to_numpy(),
            "Ontvangen laatste 12 maanden": in_twaalf.to_numpy(),
            "Aandeel laatste 12 maanden (%)": (in_twaalf / totaal).to_numpy() if totaal else float("nan"),
            f"Niet in behandeling {ytd.kop}": tel(_tussen(df["ontvangen"], ytd) & df["niet"]).to_numpy(),
            f"Termijnen gemist {ytd.kop}": gemist.to_numpy(),
        }
    )
    return out


def _afwijkingen(termen: pd.DataFrame, ytd: Periode) -> pd.DataFrame:
    """Return every term due in *ytd* that was missed, as it stood on the period's last day."""
    due = termen[_tussen(termen["uiterlijk"], ytd)]
    late = due[~_gedaan_op_tijd(due)].copy()
    einde = ytd.einde_ts
    gedaan = late["werkelijk"].notna() & (late["werkelijk"] <= einde)
    werkelijk = late["werkelijk"].where(gedaan)
    tot = werkelijk.fillna(pd.Timestamp(ytd.einde))
    out = pd.DataFrame(
        {
            "Klachtnummer": late["nummer"].astype(str),
            "Termijn": late["termijn"].astype(str),
            "Uiterlijk": late["uiterlijk"],
            "Werkelijk": werkelijk,
            "Dagen te laat": ((tot - late["uiterlijk"]) / pd.Timedelta(days=1)).astype(int),
            "Stand": gedaan.map({True: "te laat gedaan", False: f"nog niet gedaan op {ytd.einde:%d-%m-%Y}"}),
            "Maand": late["uiterlijk"].dt.strftime("%Y-%m"),
        }
    )
    return out.sort_values(["Uiterlijk", "Klachtnummer", "Termijn"], kind="stable").reset_index(drop=True)
