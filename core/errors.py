"""Why a load, check, undo or rebase changed nothing, in words for the person who asked.

Every refusal in ingest/ is a LoadRefused: the Data page shows its message and the
command line prints it (and any listed problems), never a traceback. Messages name
files by the name the person gave, never by a server path.
"""
from __future__ import annotations


class LoadRefused(ValueError):
    """Nothing was changed; `message` says why in plain words."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def details(self) -> list[str]:
        """Further lines (problems, changes) shown under the message."""
        return []

    def __reduce__(self):
        # Refusals cross the process boundary from the file checker; subclasses take other arguments.
        return _restore, (type(self), self.message, dict(self.__dict__))


def _restore(cls, message: str, state: dict) -> LoadRefused:
    error = cls.__new__(cls)
    LoadRefused.__init__(error, message)
    error.__dict__.update(state)
    return error


def unexpected(error: BaseException, what: str) -> LoadRefused:
    """A failure nobody planned for, said plainly: its kind, never its traceback or paths."""
    return LoadRefused(f"{what} failed unexpectedly ({type(error).__name__}); nothing was changed.")
