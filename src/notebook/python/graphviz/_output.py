"""What the graph classes and Source share: filename/directory/format/engine/encoding, save, render, pipe,
and the Jupyter display (_repr_mimebundle_: an SVG, whatever `format` says, as graphviz 0.20.1 does)."""

import codecs
import os
import pathlib

from . import backend

DEFAULT_FORMAT = 'pdf'
DEFAULT_ENGINE = 'dot'
DEFAULT_ENCODING = 'utf-8'
DEFAULT_SOURCE_EXTENSION = 'gv'
JUPYTER_FORMATS = {'jpeg': 'image/jpeg', 'jpg': 'image/jpeg', 'png': 'image/png', 'svg': 'image/svg+xml'}
_MIME_METHODS = {'image/jpeg': '_repr_image_jpeg', 'image/png': '_repr_image_png',
                 'image/svg+xml': '_repr_image_svg_xml'}


class Output:
    directory = ''
    _default_extension = DEFAULT_SOURCE_EXTENSION
    _jupyter_mimetype = 'image/svg+xml'

    def _init_output(self, filename, directory, format, engine, encoding, renderer, formatter):
        if filename is None:
            filename = f'{self.__class__.__name__}.{self._default_extension}'
        self.filename = os.fspath(filename)
        if directory is not None:
            self.directory = os.fspath(directory)
        self._format = DEFAULT_FORMAT
        if format is not None:
            self.format = format
        self._engine = DEFAULT_ENGINE
        if engine is not None:
            self.engine = engine
        self.encoding = encoding
        backend._no_renderer(renderer, formatter, None)

    # -- parameters
    @property
    def format(self):
        return self._format

    @format.setter
    def format(self, format):
        format = format.lower()
        backend.verify_format(format)
        self._format = format

    @property
    def engine(self):
        return self._engine

    @engine.setter
    def engine(self, engine):
        engine = engine.lower()
        backend.verify_engine(engine)
        self._engine = engine

    @property
    def encoding(self):
        return self._encoding

    @encoding.setter
    def encoding(self, encoding):
        if encoding is None:
            encoding = 'utf-8'
        codecs.lookup(encoding)  # raise early
        self._encoding = encoding

    @property
    def filepath(self):
        return os.path.join(self.directory, self.filename)

    def _output_kwargs(self):
        kwargs = {'filename': self.filename, 'format': self._format, 'engine': self._engine,
                  'encoding': self._encoding}
        if 'directory' in self.__dict__:
            kwargs['directory'] = self.directory
        return kwargs

    def copy(self):
        return self.__class__(**self._copy_kwargs())

    def __str__(self):
        return self.source

    # -- files
    def save(self, filename=None, directory=None, *, skip_existing=False):
        """Writes the DOT source to filepath (filename in directory); returns the path."""
        if filename is not None:
            self.filename = os.fspath(filename)
        if directory is not None:
            self.directory = os.fspath(directory)
        filepath = self.filepath
        if skip_existing and os.path.exists(filepath):
            return filepath
        parent = os.path.dirname(filepath)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(filepath, 'w', encoding=self.encoding) as fd:
            for uline in self:
                fd.write(uline)
        return filepath

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None, renderer=None,
               formatter=None, neato_no_op=None, quiet=False, quiet_view=False, *, outfile=None, engine=None,
               raise_if_result_exists=False, overwrite_source=False):
        """Saves the source and renders it to <filepath>.<format> (or outfile); returns the rendered file's path.
        view=True has no viewer to open here: the file is written and its path returned."""
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            if format is None:
                format = outfile.suffix.lstrip('.').lower() or None
            if directory is None:
                outfile = pathlib.Path(self.directory, outfile)
            if filename is None:
                filename = outfile.with_suffix(f'.{DEFAULT_SOURCE_EXTENSION}')
        format = self._format if format is None else format.lower()
        engine = self._engine if engine is None else engine
        backend.verify_format(format)
        filepath = self.save(filename, directory=directory, skip_existing=None)
        rendered = backend.render(engine, format, filepath, renderer, formatter, neato_no_op, quiet,
                                  outfile=outfile, raise_if_result_exists=raise_if_result_exists)
        if cleanup:
            os.remove(filepath)
        return rendered

    def view(self, filename=None, directory=None, cleanup=False, quiet=False, quiet_view=False):
        return self.render(filename=filename, directory=directory, view=True, cleanup=cleanup, quiet=quiet,
                           quiet_view=quiet_view)

    def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *, engine=None,
             encoding=None):
        """The rendered output: bytes, or str when encoding is given."""
        format = self._format if format is None else format.lower()
        engine = self._engine if engine is None else engine.lower()
        backend._no_renderer(renderer, formatter, neato_no_op)
        out = backend.render_string(self.source, engine, format, encoding, quiet)
        if encoding is not None:
            return out
        return out.encode(self.encoding)

    def unflatten(self, stagger=None, fanout=False, chain=None):
        raise NotImplementedError('unflatten is not available: this runtime has Graphviz compiled to WebAssembly '
                                  '(@viz-js/viz), without the unflatten tool')

    # -- Jupyter
    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        include = set(include) if include is not None else {self._jupyter_mimetype}
        include -= set(exclude or [])
        return {mimetype: getattr(self, method_name)()
                for mimetype, method_name in _MIME_METHODS.items() if mimetype in include}

    def _repr_image_jpeg(self):
        return self.pipe(format='jpeg')

    def _repr_image_png(self):
        return self.pipe(format='png')

    def _repr_image_svg_xml(self):
        return self.pipe(format='svg', encoding='utf-8')
