"""The figures of the monthly analysis, computed with pandas from Feiten; no I/O.

Every figure is "stand op" the last day of its period: dates after that day count as not
yet happened, so a month's figures come out the same when made again later (as long as
nobody changes past dates in the register). A verdaging dates from its letter's first-made
date (a klacht without letters, received before brieven_vanaf: from the register as it is);
one made after the streefdatum does not move the term (art. 9.2, as procedure.te_laat).
Facts without a date of their own (Besluit, Grond, Categorie) are taken as the register
holds them now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from klachtdocs.analysis.facts import Feiten
from klachtdocs.rules import register as rf
from klachtdocs.rules.dutch import MAANDEN, MAANDEN_KORT
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.termijnen import bereken_alle

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
DAG = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Periode:
    """A stretch of days with a column heading; figures are as they stood on *einde*."""

    kop: str
    begin: date
    einde: date  # inclusive

    @property
    def np_begin(self) -> np.datetime64:
        return np.datetime64(self.begin, "D")

    @property
    def np_einde(self) -> np.datetime64:
        return np.datetime64(self.einde, "D")


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


_EPOCH = date(1970, 1, 1).toordinal()
_GEEN = -(2**62)


def _dagen(values: list[date | None]) -> np.ndarray:
    """Return *values* as datetime64[D], None as NaT (via ordinals: numpy is slow on date objects)."""
    ordinals = np.fromiter(
        (d.toordinal() - _EPOCH if d is not None else _GEEN for d in values),
        dtype=np.int64,
        count=len(values),
    )
    result = ordinals.astype("datetime64[D]")
    result[ordinals == _GEEN] = np.datetime64("NaT")
    return result


def klachtenframe(
    feiten: Feiten, eerst: dict[str, dict], kalender: Kalender, brieven_vanaf: date
) -> pd.DataFrame:
    """Return one row per klacht: its facts, deadlines and the first-made dates of its letters."""
    ontvangen = _dagen(feiten.ontvangen)
    termijnen = bereken_alle(ontvangen, kalender)
    niet = np.array(feiten.besluit, dtype=object) == rf.NIET_IN_BEHANDELING
    verdaagd_tot = _dagen(feiten.verdaagd_tot)
    verdaagd = ~np.isnat(verdaagd_tot) & ~niet
    uiterlijk_8 = termijnen["afhandeling_uiterlijk"]
    streef = termijnen["streefdatum_afhandeling"]
    nummers = pd.Series(feiten.nummer, dtype=object)

    def gemaakt(soort: str) -> np.ndarray:
        dagen = {n: d[soort].toordinal() - _EPOCH for n, d in eerst.items() if soort in d}
        ordinals = nummers.map(dagen).to_numpy(dtype=float, na_value=np.nan)
        result = np.full(len(ordinals), np.datetime64("NaT"), dtype="datetime64[D]")
        known = ~np.isnan(ordinals)
        result[known] = ordinals[known].astype(np.int64).astype("datetime64[D]")
        return result

    afgehandeld = _dagen(feiten.afgehandeld)
    brieven = ontvangen >= np.datetime64(brieven_vanaf, "D")
    verd_gemaakt = gemaakt(VERDAGING)
    # A verdaging counts from the day its letter was first made; made after the streefdatum (or
    # never, though letters are made for the klacht) it does not extend the term.
    verdaagd_geldig = verdaagd & (~brieven | (verd_gemaakt <= streef))
    ob_gemaakt = gemaakt(ONTVANGSTBEVESTIGING)
    # A klacht closed when first seen is acknowledged by its afwijzing or afsluiting (procedure).
    sluit_gemaakt = np.where(niet, gemaakt(AFWIJZING), gemaakt(AFSLUITING))
    ob_gemaakt = np.where(np.isnat(ob_gemaakt), sluit_gemaakt, ob_gemaakt)
    df = pd.DataFrame(
        {
            "nummer": feiten.nummer,
            "ontvangen": ontvangen,
            "indiener": feiten.indiener,
            "Rol indiener": [v or ONBEKEND for v in feiten.rol],
            "Dienst": [v or ONBEKEND for v in feiten.dienst],
            "Categorie": [v or ONBEKEND for v in feiten.categorie],
            "besluit": feiten.besluit,
            "grond": feiten.grond,
            "niet": niet,
            "verdaagd": verdaagd,
            "afgehandeld": afgehandeld,
            "voortijdig": np.array(feiten.voortijdig, dtype=bool) & ~niet,
            "brieven": brieven,
            "verdaagd_geldig": verdaagd_geldig,
            "verd_gemaakt": verd_gemaakt,
            "ob_uiterlijk": termijnen["ontvangstbevestiging_uiterlijk"],
            "afw_uiterlijk": termijnen["afwijzing_uiterlijk"],
            "afh_uiterlijk": np.where(verdaagd_geldig, np.minimum(verdaagd_tot, uiterlijk_8), streef),
            "ob_gemaakt": ob_gemaakt,
            "afw_gemaakt": gemaakt(AFWIJZING),
        }
    )
    # Doorlooptijd: werkdagen after Datum ontvangst up to and including Datum afgehandeld.
    geldig = ~np.isnat(afgehandeld) & (afgehandeld >= ontvangen) & ~niet
    werkdagen = np.full(len(df), np.nan)
    if geldig.any():
        jaren = [int(str(x)[:4]) for x in (ontvangen[geldig].min(), afgehandeld[geldig].max())]
        vrij = np.array(kalender.vrije_dagen(jaren[0], jaren[1]), dtype="datetime64[D]")
        werkdagen[geldig] = np.busday_count(ontvangen[geldig] + DAG, afgehandeld[geldig] + DAG, holidays=vrij)
    df["werkdagen"] = werkdagen
    df["kalenderdagen"] = np.where(geldig, (afgehandeld - ontvangen) / DAG, np.nan)
    df["gesloten"] = geldig
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
    return (s >= p.np_begin) & (s <= p.np_einde)


def _gedaan_op_tijd(termen: pd.DataFrame) -> pd.Series:
    return termen["werkelijk"] <= termen["uiterlijk"]  # NaT compares False


def _over_termijn(termen: pd.DataFrame, einde: np.datetime64) -> pd.Series:
    """Return, per term row, whether it stood exceeded and not yet met on *einde*."""
    nog_niet = termen["werkelijk"].isna() | (termen["werkelijk"] > einde)
    return (termen["uiterlijk"] < einde) & nog_niet


def herhaal(df: pd.DataFrame, begin: np.datetime64, einde: np.datetime64) -> tuple[int, int]:
    """Return (indieners with more than one klacht, their klachten) received in [begin, einde]."""
    ids = df.loc[(df["ontvangen"] >= begin) & (df["ontvangen"] <= einde) & (df["indiener"] >= 0), "indiener"]
    counts = ids.value_counts()
    meer = counts[counts > 1]
    return int(len(meer)), int(meer.sum())


def kengetallen(
    df: pd.DataFrame, termen: pd.DataFrame, p: Periode, herhaal_begin: date | None = None
) -> dict[str, float | int | None]:
    """Return the Samenvatting figures of period *p*, by key."""
    b, e = p.np_begin, p.np_einde
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
    hb = np.datetime64(herhaal_begin, "D") if herhaal_begin else b
    out["herhaal_indieners"], out["herhaal_klachten"] = herhaal(df, hb, e)
    return out


def _twaalf_maanden_tot(p: Periode) -> date:
    return p.einde.replace(day=1) - relativedelta(months=11)


def analyseer(
    feiten: Feiten,
    eerst: dict[str, dict],
    kalender: Kalender,
    brieven_vanaf: date,
    jaar: int,
    mnd: int,
    vandaag: date,
    categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN,
) -> Analyse:
    """Return the Analyse of month *jaar*-*mnd* as it stood at that month's end (or *vandaag*)."""
    df = klachtenframe(feiten, eerst, kalender, brieven_vanaf)
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
        feiten.zonder_datum,
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
            "Aandeel laatste 12 maanden (%)": (in_twaalf / totaal).to_numpy() if totaal else np.nan,
            f"Niet in behandeling {ytd.kop}": tel(_tussen(df["ontvangen"], ytd) & df["niet"]).to_numpy(),
            f"Termijnen gemist {ytd.kop}": gemist.to_numpy(),
        }
    )
    return out


def _afwijkingen(termen: pd.DataFrame, ytd: Periode) -> pd.DataFrame:
    """Return every term due in *ytd* that was missed, as it stood on the period's last day."""
    due = termen[_tussen(termen["uiterlijk"], ytd)]
    late = due[~_gedaan_op_tijd(due)].copy()
    einde = ytd.np_einde
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
            "Stand": np.where(gedaan, "te laat gedaan", f"nog niet gedaan op {ytd.einde:%d-%m-%Y}"),
            "Maand": late["uiterlijk"].dt.strftime("%Y-%m"),
        }
    )
    return out.sort_values(["Uiterlijk", "Klachtnummer", "Termijn"], kind="stable").reset_index(drop=True)
