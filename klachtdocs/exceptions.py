"""Exceptions of klachtdocs: input errors and file errors, with Dutch messages."""


class KlachtdocsError(Exception):
    """Base class: the message is a complete Dutch sentence for the user."""


class InvoerFout(KlachtdocsError):
    """Input that klachtdocs cannot use: a bad config value, a bad template."""


class ConfigFout(InvoerFout):
    """klachtdocs.toml is missing a key or holds a value of the wrong kind."""


class SjabloonFout(InvoerFout):
    """A template cannot be compiled or rendered."""


class BestandFout(KlachtdocsError):
    """A file or folder is missing, unreadable or cannot be written."""


class RegisterOnleesbaar(BestandFout):
    """The register cannot be read as an Excel workbook (it may be half-saved)."""


class WerkmapBezet(BestandFout):
    """Another klachtdocs process holds the workspace."""
