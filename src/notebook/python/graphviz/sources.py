"""graphviz.Source: DOT text given verbatim, to render or display."""

from . import _output

__all__ = ['Source']


class Source(_output.Output):
    @classmethod
    def from_file(cls, filename, directory=None, format=None, engine=None, encoding=_output.DEFAULT_ENCODING,
                  renderer=None, formatter=None):
        import os
        filepath = os.path.join(directory, filename) if directory else os.fspath(filename)
        with open(filepath, encoding=encoding or 'utf-8') as fd:
            source = fd.read()
        return cls(source, filename=filename, directory=directory, format=format, engine=engine,
                   encoding=encoding, renderer=renderer, formatter=formatter, loaded_from_path=filepath)

    def __init__(self, source, filename=None, directory=None, format=None, engine=None,
                 encoding=_output.DEFAULT_ENCODING, *, renderer=None, formatter=None, loaded_from_path=None):
        self._init_output(filename, directory, format, engine, encoding, renderer, formatter)
        self._loaded_from_path = loaded_from_path
        self._source = source

    def _copy_kwargs(self):
        kwargs = self._output_kwargs()
        kwargs.update(source=self._source, loaded_from_path=self._loaded_from_path)
        return kwargs

    def __iter__(self):
        lines = self._source.splitlines(keepends=True)
        yield from lines[:-1]
        for line in lines[-1:]:
            yield line + ('\n' if not line.endswith('\n') else '')

    @property
    def source(self):
        source = self._source
        if not source.endswith('\n'):
            source += '\n'
        return source

    def save(self, filename=None, directory=None, *, skip_existing=None):
        if skip_existing is None:  # the file it was loaded from is kept as it is
            skip_existing = self._loaded_from_path is not None and filename is None and directory is None
        return super().save(filename, directory=directory, skip_existing=skip_existing)
