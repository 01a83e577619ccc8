"""The graphviz package's exceptions and warnings."""

import subprocess

__all__ = ['ExecutableNotFound', 'CalledProcessError', 'RequiredArgumentError', 'FileExistsError',
           'UnknownSuffixWarning', 'FormatSuffixMismatchWarning', 'DotSyntaxWarning']

_FileExistsError = FileExistsError


class ExecutableNotFound(RuntimeError):
    """Graphviz cannot run (here: its WebAssembly build did not load)."""

    def __init__(self, message):
        super().__init__(message)


class CalledProcessError(subprocess.CalledProcessError):
    """Rendering failed; stderr holds Graphviz's messages."""

    def __str__(self):
        return f'{super().__str__()} [stderr: {self.stderr!r}]'


class RequiredArgumentError(TypeError):
    """A required argument is missing."""


class FileExistsError(_FileExistsError):  # noqa: A001 (graphviz's name)
    """The file to write already exists."""


class UnknownSuffixWarning(RuntimeWarning):
    """The outfile's suffix names no known format; the given format is used."""


class FormatSuffixMismatchWarning(UserWarning):
    """The outfile's suffix does not match the given format."""


class DotSyntaxWarning(RuntimeWarning):
    """The DOT text is expected to fail to render."""
