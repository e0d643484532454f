"""Dutch usage lines, help headings and usage errors for click, whose own are English."""

from __future__ import annotations

import re
import sys

import click

HULP = "Toon deze hulp en stop."
_EXTRA = re.compile(r"Got unexpected extra arguments? \((.*)\)")


class Opdracht(click.Command):
    """A click command whose help and usage read in Dutch."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Gebruik: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        opties = [
            rec
            for p in self.get_params(ctx)
            if not isinstance(p, click.Argument) and (rec := p.get_help_record(ctx)) is not None
        ]
        if opties:
            with formatter.section("Opties"):
                formatter.write_dl(opties)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        optie = super().get_help_option(ctx)
        if optie is not None:
            optie.help = HULP
        return optie


class Opdrachten(Opdracht, click.Group):
    """The command group: Dutch help as Opdracht, and Dutch usage errors for all its commands.

    Click prints a usage error itself, in English, and exits; here the group runs its
    commands with click's error handling off and prints the error in Dutch, with the same
    exit code (2 for a usage error).
    """

    command_class = Opdracht

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        opdrachten = [
            (naam, cmd)
            for naam in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, naam)) is not None and not cmd.hidden
        ]
        if opdrachten:
            breedte = formatter.width - 6 - max(len(naam) for naam, _ in opdrachten)
            with formatter.section("Opdrachten"):
                formatter.write_dl([(naam, cmd.get_short_help_str(breedte)) for naam, cmd in opdrachten])

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # the help text itself
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
                click.echo(f"Zie '{exc.ctx.command_path} --help' voor uitleg.\n", err=True)
            click.echo(f"Fout: {foutmelding(exc)}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Fout: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Afgebroken.", err=True)
            sys.exit(1)
        sys.exit(0)


def foutmelding(exc: click.UsageError) -> str:
    """Return click's usage error *exc* in Dutch (click's English text where it has no known shape)."""
    mogelijk = getattr(exc, "possibilities", None)
    if isinstance(exc, click.NoSuchOption):
        tekst = f"Onbekende optie {exc.option_name}."
    elif hasattr(exc, "command_name"):  # click.NoSuchCommand (click 8.4 and later)
        tekst = f"Onbekende opdracht '{exc.command_name}'."
    elif isinstance(exc, click.BadParameter):
        hint = exc.param_hint
        if hint is None and exc.param is not None:
            hint = exc.param.get_error_hint(exc.ctx)
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        if hint:
            hint = hint.replace("'", "")  # click quotes the names it finds itself
        if isinstance(exc, click.MissingParameter):
            tekst = f"{hint} ontbreekt." if hint else "Er ontbreekt een waarde."
        else:
            tekst = (
                f"Ongeldige waarde voor {hint}: {exc.message}" if hint else f"Ongeldige waarde: {exc.message}"
            )
    elif isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        tekst = f"De optie {exc.option_name} heeft een waarde nodig."
    elif exc.message.startswith("No such command"):  # click before 8.4
        tekst = "Onbekende opdracht" + exc.message[len("No such command") :]
    elif extra := _EXTRA.match(exc.message):
        tekst = f"Onverwachte extra invoer: {extra.group(1)}."
    else:
        tekst = exc.message
    if mogelijk:
        tekst += " Bedoelt u " + " of ".join(mogelijk) + "?"
    return tekst
