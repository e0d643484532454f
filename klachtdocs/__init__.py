"""klachtdocs: NextBest's complaints procedure, run from an Excel register."""

__version__ = "0.1.0"
