"""Check a workspace without writing anything: register, config and templates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from klachtdocs.documents import templates as sjablonen
from klachtdocs.exceptions import SjabloonFout
from klachtdocs.rules import brieven, procedure
from klachtdocs.rules import config as configmod
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import FOUT, Melding
from klachtdocs.rules.procedure import plaatsvervangers
from klachtdocs.rules.termijnen import bereken
from klachtdocs.rules.validatie import valideer
from klachtdocs.storage.workbook import read_file_bytes, read_workbook
from klachtdocs.storage.workspace import LINK, Workspace, doel, is_inside, read_config


def check_sjablonen(folder: Path) -> list[Melding]:
    """Return a melding for each template that cannot be compiled or rendered."""
    env = sjablonen.make_environment()
    meldingen = []
    for soort in procedure.SOORTEN:
        try:
            sjabloon = sjablonen.load(soort, folder / f"{soort}.docx", env)
            ctx = brieven.voorbeeld_context(soort)
            sjablonen.check_variables(sjabloon, ctx)
            sjablonen.render(sjabloon, ctx, env, sjablonen.kenmerk("K-1", soort, 1), datetime(2026, 1, 1))
        except SjabloonFout as exc:
            meldingen.append(Melding(FOUT, str(exc), None, "", "", "sjablonen"))
    return meldingen


def controleer(root: Path, vandaag: date | None = None) -> tuple[list[Melding], int]:
    """Return the meldingen for the workspace at *root* and the number of klachten read."""
    wm = Workspace(Path(root))
    wm.controleer()
    vandaag = vandaag or date.today()
    config = read_config(wm.config)
    werkboek = read_workbook(read_file_bytes(wm.register), wm.register.name)
    register = valideer(werkboek, Kalender(config.sluitingsdagen), vandaag, config.categorieen)
    meldingen = configmod.meldingen(config) + register.meldingen + check_sjablonen(wm.sjablonen)
    bijlage = wm.sjablonen / config.bijlage_ontvangstbevestiging
    if not is_inside(bijlage, wm.sjablonen):
        meldingen.append(
            Melding(
                FOUT,
                f"De bijlage {bijlage.name} (brieven.bijlage_ontvangstbevestiging in "
                f"klachtdocs.toml) is {LINK} naar {doel(bijlage)}, buiten de map "
                "sjablonen. Zet het bestand zelf in de map sjablonen.",
                None,
                "",
                "",
                "sjablonen",
            )
        )
    elif not bijlage.is_file():
        meldingen.append(
            Melding(
                FOUT,
                f"De bijlage {bijlage.name} (klachtenreglement, art. 5) ontbreekt in de map sjablonen.",
                None,
                "",
                "",
                "sjablonen",
            )
        )
    elif bijlage.suffix.lower() == ".docx":  # rendered like the letters (verwerking._bijlage)
        env = sjablonen.make_environment()
        try:
            sjabloon = sjablonen.load(brieven.BIJLAGE, bijlage, env)
            ctx = brieven.voorbeeld_context(brieven.BIJLAGE)
            sjablonen.check_variables(sjabloon, ctx)
            sjablonen.render(
                sjabloon, ctx, env, sjablonen.kenmerk("K-1", brieven.BIJLAGE, 1), datetime(2026, 1, 1)
            )
        except SjabloonFout as exc:
            meldingen.append(Melding(FOUT, str(exc), None, "", "", "sjablonen"))
    kalender = Kalender(config.sluitingsdagen)
    jaren = {
        bereken(k.datum_ontvangst, kalender).afhandeling_uiterlijk.year
        for k in register.klachten
        if k.datum_ontvangst is not None
    }
    meldingen += (
        plaatsvervangers(config, register)
        + procedure.kalender_meldingen(jaren, vandaag)
        + procedure.voor_brieven_vanaf_meldingen(register.klachten, config.brieven_vanaf)
    )
    return meldingen, len(register.klachten)


#: The example values of a new klachtdocs.toml (config.standaard_tekst): still there means not filled in.
