"""Check a workspace without writing anything: register, config and templates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from klachtdocs import brieven, procedure, sjablonen
from klachtdocs import config as configmod
from klachtdocs.exceptions import SjabloonFout
from klachtdocs.kalender import GELIJKGESTELDE_DAGEN_TOT_EN_MET, Kalender
from klachtdocs.model import FOUT, WAARSCHUWING, Melding
from klachtdocs.validatie import valideer
from klachtdocs.werkboek import lees_bytes, lees_werkboek
from klachtdocs.werkmap import Werkmap


def controleer_sjablonen(folder: Path) -> list[Melding]:
    """Return a melding for each template that cannot be compiled or rendered."""
    env = sjablonen.maak_omgeving()
    meldingen = []
    for soort in procedure.SOORTEN:
        try:
            sjabloon = sjablonen.laad(soort, folder / f"{soort}.docx", env)
            ctx = brieven.voorbeeld_context(soort)
            sjablonen.controleer_variabelen(sjabloon, ctx)
            sjablonen.render(sjabloon, ctx, env, sjablonen.kenmerk("K-1", soort, 1), datetime(2026, 1, 1))
        except SjabloonFout as exc:
            meldingen.append(Melding(FOUT, str(exc), None, "", "", "sjablonen"))
    return meldingen


def controleer(root: Path, vandaag: date | None = None) -> tuple[list[Melding], int]:
    """Return the meldingen for the workspace at *root* and the number of klachten read."""
    wm = Werkmap(Path(root))
    vandaag = vandaag or date.today()
    config = configmod.lees(wm.config)
    werkboek = lees_werkboek(lees_bytes(wm.register), wm.register.name)
    register = valideer(werkboek, Kalender(config.sluitingsdagen), vandaag, config.categorieen)
    meldingen = register.meldingen + controleer_sjablonen(wm.sjablonen)
    bijlage = wm.sjablonen / config.bijlage_ontvangstbevestiging
    if not bijlage.is_file():
        meldingen.append(Melding(FOUT, f"De bijlage {bijlage.name} (klachtenreglement, art. 5) "
                                 "ontbreekt in de map sjablonen.", None, "", "", "sjablonen"))  # fmt: skip
    if vandaag.year > GELIJKGESTELDE_DAGEN_TOT_EN_MET:
        meldingen.append(Melding(WAARSCHUWING, "De tabel met gelijkgestelde dagen (Algemene "
            f"termijnenwet art. 3 lid 3) loopt tot en met {GELIJKGESTELDE_DAGEN_TOT_EN_MET}. Werk "
            "klachtdocs bij.", None, "", "", "klachtdocs"))  # fmt: skip
    return meldingen, len(register.klachten)
