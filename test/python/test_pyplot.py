"""Tests of backprop-ninja's matplotlib.pyplot shim (src/notebook/python/matplotlib), standard library only:
python3 -m unittest discover -s test/python (test/notebook/plt.test.ts runs this under CPython and inside Pyodide).

They parse the SVG with xml.etree and check what is drawn: pixel coordinates of line vertices, the colours of
image cells (decoding the embedded PNG), histogram counts against a Counter, ticks and labels against what
matplotlib 3.6.3 itself draws (test/fixtures/plt_ticks.json, recorded by scripts/plt_fixtures.py), and the
errors for what is not available."""

import base64
import bisect
import collections
import io
import json
import math
import os
import random
import re
import sys
import tempfile
import types
import unittest
import xml.etree.ElementTree as ET
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'src', 'notebook', 'python'))
sys.path.insert(0, HERE)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402
from plt_cases import CASES  # noqa: E402

SVG = '{http://www.w3.org/2000/svg}'
XLINK = '{http://www.w3.org/1999/xlink}'

# matplotlib's default layout: figure 6.4 x 4.8 in at 72 pt/in, subplot box left .125 right .9 bottom .11 top .88
W, H = 6.4 * 72, 4.8 * 72
BX, BY, BW, BH = 0.125 * W, (1 - 0.88) * H, 0.775 * W, 0.77 * H


class FakeTensor:
    """What our torch tensors offer the plotting code: .detach(), .tolist(), .shape."""

    def __init__(self, data):
        self._data = data
        self.detached = False

    def detach(self):
        t = FakeTensor(self._data)
        t.detached = True
        return t

    def tolist(self):
        if not self.detached:
            raise AssertionError('tolist() called without detach()')
        return self._data

    @property
    def shape(self):
        s, d = [], self._data
        while isinstance(d, list):
            s.append(len(d))
            d = d[0]
        return tuple(s)


def svg_of(fig=None):
    s = (fig or plt.gcf())._to_svg()
    root = ET.fromstring(s)  # well-formed, or this raises
    return s, root


def paths_in_clip(root):
    """The d attributes of <path> elements drawn inside the axes' clip groups (the data lines)."""
    out = []
    for g in root.iter(SVG + 'g'):
        if g.get('clip-path'):
            out += [p.get('d') for p in g.iter(SVG + 'path')]
    return out


def vertices(d):
    return [(float(x), float(y)) for x, y in re.findall(r'[ML]([-\d.]+) ([-\d.]+)', d)]


def decode_png(data):
    """(width, height, pixel(x, y) -> (r, g, b, a)) for an 8-bit RGBA PNG with filter 0 on every row."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat = 8, b''
    w = h = None
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], 'big')
        tag = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        assert zlib.crc32(tag + body) & 0xffffffff == int.from_bytes(data[pos + 8 + n:pos + 12 + n], 'big')
        if tag == b'IHDR':
            w, h = int.from_bytes(body[0:4], 'big'), int.from_bytes(body[4:8], 'big')
            assert body[8:10] == b'\x08\x06', 'expected 8-bit RGBA'
        elif tag == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = 4 * w + 1
    assert len(raw) == h * stride
    assert all(raw[y * stride] == 0 for y in range(h)), 'filter type 0 expected on every row'

    def pixel(x, y):
        i = y * stride + 1 + 4 * x
        return tuple(raw[i:i + 4])
    return w, h, pixel


def image_of(root):
    imgs = [e for e in root.iter(SVG + 'image')]
    assert imgs, 'no <image> in the SVG'
    href = imgs[0].get(XLINK + 'href')
    assert href.startswith('data:image/png;base64,')
    return imgs[0], decode_png(base64.b64decode(href.split(',', 1)[1]))


def cell_colours(root, nrows, ncols):
    """The colour at the centre of each image cell, read from the decoded PNG."""
    _, (w, h, pixel) = image_of(root)
    return [[pixel(int((j + 0.5) * w / ncols), int((i + 0.5) * h / nrows))[:3] for j in range(ncols)]
            for i in range(nrows)]


class PyplotTest(unittest.TestCase):
    def setUp(self):
        plt.close('all')
        plt._shown.clear()

    # -- the document
    def test_svg_is_well_formed_with_fixed_size(self):
        plt.figure(figsize=(4, 3))
        plt.plot([1, 2, 3])
        s, root = svg_of()
        self.assertEqual(root.tag, SVG + 'svg')
        self.assertEqual(root.get('width'), '288pt')
        self.assertEqual(root.get('height'), '216pt')
        self.assertEqual(root.get('viewBox'), '0 0 288 216')
        self.assertNotIn('http://', s.replace('http://www.w3.org/', ''))  # self-contained: no external refs
        plt.figure()
        plt.plot([1])
        _, root = svg_of()
        self.assertEqual(root.get('viewBox'), '0 0 460.8 345.6')

    def test_plot_three_points_at_their_pixels(self):
        plt.plot([1, 2, 3])
        _, root = svg_of()
        (d,) = paths_in_clip(root)
        pts = vertices(d)
        self.assertEqual(len(pts), 3)
        # view limits: data +- 5% margins: x in [-0.1, 2.1], y in [0.9, 3.1]
        for (x, y), (ex, ey) in zip(pts, [(0, 1), (1, 2), (2, 3)]):
            self.assertAlmostEqual(x, BX + (ex + 0.1) / 2.2 * BW, delta=0.006)
            self.assertAlmostEqual(y, BY + BH - (ey - 0.9) / 2.2 * BH, delta=0.006)
        self.assertEqual(plt.gca().get_xlim(), (-0.1, 2.1))

    def test_plot_x_y_fmt_and_several_lines(self):
        t = FakeTensor([0.0, 10.0])
        lines = plt.plot(t, FakeTensor([5.0, -5.0]), 'r--', [0, 10], [0, 0], 'k', label='zero')
        self.assertEqual(len(lines), 2)
        self.assertTrue(repr(lines[0]).startswith('<matplotlib.lines.Line2D at 0x'))
        self.assertEqual((lines[0].color, lines[0].linestyle), ('#ff0000', 'dashed'))
        self.assertEqual((lines[1].color, lines[1].linestyle), ('#000000', 'solid'))
        l3 = plt.plot([1, 2])[0]
        l4 = plt.plot([1, 2], color='C3', linestyle=':', linewidth=3)[0]
        self.assertEqual(l3.color, '#1f77b4')  # the cycle starts at C0 for lines without a colour
        self.assertEqual((l4.color, l4.linestyle, l4.linewidth), ('#d62728', 'dotted', 3.0))
        _, root = svg_of()
        ds = paths_in_clip(root)
        self.assertEqual(len(ds), 4)
        attrs = [p.attrib for g in root.iter(SVG + 'g') if g.get('clip-path') for p in g.iter(SVG + 'path')]
        self.assertIn('stroke-dasharray', attrs[0])
        # a 2-D y draws one line per column, as matplotlib
        plt.figure()
        self.assertEqual(len(plt.plot([[1, 2, 3], [2, 3, 4]])), 3)

    def test_nan_breaks_the_line_and_long_lines_are_decimated(self):
        plt.plot([1, 2, float('nan'), 3, 4])
        _, root = svg_of()
        (d,) = paths_in_clip(root)
        self.assertEqual(d.count('M'), 2)
        plt.figure()
        n = 200_000
        ys = [math.sin(i / 500) + (3 if i == 123_457 else 0) for i in range(n)]
        plt.plot(ys)
        s, root = svg_of()
        (d,) = paths_in_clip(root)
        pts = vertices(d)
        self.assertLess(len(pts), 4 * 2 * int(BW) + 8)  # first/min/max/last per half point
        ymin_px = min(y for _, y in pts)  # the one spike survives decimation
        (y0, y1) = plt.gca().get_ylim()
        self.assertAlmostEqual(ymin_px, BY + BH - (max(ys) - y0) / (y1 - y0) * BH, delta=0.006)
        self.assertLess(len(s), 200_000)

    # -- imshow
    def test_imshow_gray_cells_and_vmin_vmax(self):
        im = plt.imshow([[0.0, 1.0], [0.5, 0.25]], cmap='gray', vmin=0, vmax=1)
        self.assertTrue(repr(im).startswith('<matplotlib.image.AxesImage at 0x'))
        _, root = svg_of()
        cells = cell_colours(root, 2, 2)
        # matplotlib's lookup: index floor(x * 256), 1.0 -> 255; gray entry i is i/255
        self.assertEqual(cells, [[(0, 0, 0), (255, 255, 255)], [(128, 128, 128), (64, 64, 64)]])
        # default vmin/vmax are the data's min and max; values past them clip to the ends
        plt.figure()
        plt.imshow([[-5.0, 5.0, 0.0]], cmap='gray', vmin=-1, vmax=1)
        _, root = svg_of()
        self.assertEqual(cell_colours(root, 1, 3), [[(0, 0, 0), (255, 255, 255), (128, 128, 128)]])
        plt.figure()
        plt.imshow([[2.0, 4.0]], cmap='gray')
        _, root = svg_of()
        self.assertEqual(cell_colours(root, 1, 2), [[(0, 0, 0), (255, 255, 255)]])

    def test_imshow_geometry_equal_aspect_row0_on_top(self):
        plt.imshow([[0, 1], [1, 0]])
        _, root = svg_of()
        img, (w, h, _) = image_of(root)
        # a 2x2 image in a 357 x 266 pt box: equal aspect makes it a 266 pt square, centred
        side = BH
        self.assertAlmostEqual(float(img.get('width')), side, delta=0.01)
        self.assertAlmostEqual(float(img.get('height')), side, delta=0.01)
        self.assertAlmostEqual(float(img.get('x')), BX + (BW - side) / 2, delta=0.01)
        self.assertAlmostEqual(float(img.get('y')), BY, delta=0.01)
        self.assertEqual(w, h)
        self.assertEqual(plt.gca().get_ylim(), (1.5, -0.5))  # inverted: row 0 at the top
        # viridis default: 0 -> #440154, 1 -> #fde725
        self.assertEqual(cell_colours(root, 2, 2), [[(0x44, 0x01, 0x54), (0xfd, 0xe7, 0x25)],
                                                    [(0xfd, 0xe7, 0x25), (0x44, 0x01, 0x54)]])
        plt.figure()
        plt.imshow([[0, 1], [1, 0]], aspect='auto')
        _, root = svg_of()
        img, _ = image_of(root)
        self.assertAlmostEqual(float(img.get('width')), BW, delta=0.01)

    def test_imshow_diverging_maps_and_tensor_bool_data(self):
        for name, lo, mid, hi in (('RdBu', (0x67, 0x00, 0x1f), (0xf7, 0xf7, 0xf7), (0x05, 0x30, 0x61)),
                                  ('bwr', (0, 0, 255), (255, 255, 255), (255, 0, 0)),
                                  ('seismic', (0, 0, 76), (255, 255, 255), (128, 0, 0))):
            plt.close('all')
            plt.imshow([[-1.0, 0.0, 1.0]], cmap=name, vmin=-1, vmax=1)
            _, root = svg_of()
            (c_lo, c_mid, c_hi), = cell_colours(root, 1, 3)
            self.assertEqual(c_lo, lo, name)
            self.assertEqual(c_hi, hi, name)
            # the middle value lands on entry 128 of 256, one step past the exact centre colour
            self.assertLessEqual(max(abs(a - b) for a, b in zip(c_mid, mid)), 3, name)
        plt.close('all')
        plt.imshow(FakeTensor([[True, False], [False, True]]), cmap='gray', interpolation='nearest')
        _, root = svg_of()
        self.assertEqual(cell_colours(root, 2, 2), [[(255,) * 3, (0,) * 3], [(0,) * 3, (255,) * 3]])
        self.assertEqual(plt.get_cmap('gray_r')(0.0), (1.0, 1.0, 1.0, 1.0))

    def test_lecture_imshow_cell(self):
        # the lecture's cell: plt.figure(figsize=(4, 4)); plt.imshow(dlogits.detach(), cmap='gray')
        random.seed(1)
        dlogits = FakeTensor([[random.gauss(0, 0.01) for _ in range(27)] for _ in range(32)])
        fig = plt.figure(figsize=(4, 4))
        plt.imshow(dlogits.detach(), cmap='gray')
        self.assertEqual(repr(fig), '<Figure size 288x288 with 1 Axes>')
        _, root = svg_of()
        self.assertEqual(root.get('width'), '288pt')
        img, (w, h, _) = image_of(root)
        self.assertEqual((w % 27, h % 32), (0, 0))
        self.assertAlmostEqual(float(img.get('width')) / float(img.get('height')), 27 / 32, places=3)
        texts = [t.text for t in root.iter(SVG + 'text')]
        self.assertEqual(texts, ['0', '5', '10', '15', '20', '25', '0', '5', '10', '15', '20', '25', '30'])

    # -- hist
    def test_hist_counts_equal_counter(self):
        random.seed(7)
        data = [math.tanh(random.gauss(0, 2)) for _ in range(5000)]
        n, edges, patches = plt.hist(FakeTensor(data), 50)
        self.assertEqual(len(edges), 51)
        self.assertEqual((edges[0], edges[-1]), (min(data), max(data)))
        expect = collections.Counter(min(bisect.bisect_right(edges, v) - 1, 49) for v in data)
        self.assertEqual(n, [expect[i] for i in range(50)])
        self.assertEqual(sum(n), 5000)
        self.assertEqual(repr(patches), '<BarContainer object of 50 artists>')
        _, root = svg_of()
        rects = [r for g in root.iter(SVG + 'g') if g.get('clip-path') for r in g.iter(SVG + 'rect')]
        self.assertEqual(len(rects), 50)
        y0, y1 = plt.gca().get_ylim()
        self.assertEqual(y0, 0.0)  # bars stand on the axis: no margin below 0
        self.assertAlmostEqual(y1, max(n) * 1.05)
        tallest = max(rects, key=lambda r: float(r.get('height')))
        self.assertAlmostEqual(float(tallest.get('height')), max(n) / y1 * BH, delta=0.01)

    def test_hist_edges_range_density_and_lists(self):
        n, edges, _ = plt.hist([0, 1, 1, 2, 2, 2, 3], bins=[0, 1, 2, 3])
        self.assertEqual(n, [1, 2, 4])  # the last bin is closed: 3 counts in [2, 3]
        plt.figure()
        n, edges, _ = plt.hist([0.1, 0.2, 0.9, 5.0], bins=2, range=(0, 1))
        self.assertEqual((n, edges), ([2, 1], [0.0, 0.5, 1.0]))
        plt.figure()
        n, edges, _ = plt.hist([1, 2, 2, 3], bins=3, density=True)
        self.assertAlmostEqual(sum(c * (edges[i + 1] - edges[i]) for i, c in enumerate(n)), 1.0)
        plt.figure()
        n, edges, _ = plt.hist([4.0, 4.0])
        self.assertEqual((edges[0], edges[-1], sum(n)), (3.5, 4.5, 2))
        plt.figure()
        n, edges, bcs = plt.hist([[1, 2, 3], [2, 3, 3]], bins=3, label=['a', 'b'])
        self.assertEqual(n, [[1, 1, 1], [0, 1, 2]])
        self.assertEqual(len(bcs), 2)

    # -- ticks
    def test_ticks_match_matplotlib(self):
        with open(os.path.join(ROOT, 'test', 'fixtures', 'plt_ticks.json'), encoding='utf-8') as f:
            ref = json.load(f)
        for name, fn in CASES.items():
            plt.close('all')
            fig = fn(plt)
            case = ref['cases'][name]
            self.assertEqual(list(fig.get_size_inches()), case['size'], name)
            self.assertEqual(len(fig.axes), len(case['axes']), name)
            for k, (ax, r) in enumerate(zip(fig.axes, case['axes'])):
                where = f'{name} axes {k}'
                for key, got in (('xlim', ax.get_xlim()), ('ylim', ax.get_ylim())):
                    for a, b in zip(got, r[key]):
                        self.assertAlmostEqual(a, b, delta=1e-12 * max(1, abs(b)), msg=f'{where} {key}')
                for axis in 'xy':
                    locs, labels, offset = ax._ticks_for(axis)
                    self.assertEqual(len(locs), len(r[axis + 'ticks']), f'{where} {axis}ticks {locs}')
                    for a, b in zip(locs, r[axis + 'ticks']):
                        self.assertAlmostEqual(a, b, delta=1e-12 * max(1, abs(b)), msg=f'{where} {axis}ticks')
                    self.assertEqual(labels, r[axis + 'labels'], f'{where} {axis}labels')
                    self.assertEqual(offset, r[axis + 'offset'], f'{where} {axis}offset')
                    locs, labels, _ = ax._ticks_for(axis, minor=True)  # log axes' minor ticks
                    self.assertEqual(len(locs), len(r[axis + 'minor']), f'{where} {axis}minor {locs}')
                    for a, b in zip(locs, r[axis + 'minor']):
                        self.assertAlmostEqual(a, b, delta=1e-12 * max(1, abs(b)), msg=f'{where} {axis}minor')
                    self.assertEqual(labels, r[axis + 'minorlabels'], f'{where} {axis}minorlabels')

    def test_ticks_are_nice_and_cover_the_range(self):
        rnd = random.Random(3)
        for _ in range(300):
            a = rnd.uniform(-1e3, 1e3) * 10 ** rnd.randint(-6, 6)
            b = a + abs(rnd.gauss(0, 1)) * 10 ** rnd.randint(-6, 7) + 1e-300
            if b - a < 1e-9 * abs(a):
                continue  # a range within the last ~7 digits of its values: float noise, not a plot
            for nbins in (3, 5, 9):
                t = ticker._nice_ticks(a, b, nbins)
                steps = [t[i + 1] - t[i] for i in range(len(t) - 1)]
                step = steps[0]
                # float error of a difference of two ticks, relative to the step (large offsets lose digits)
                rel = 1e-9 + 4 * 2.3e-16 * max(abs(a), abs(b)) / step
                mant = step / 10 ** math.floor(math.log10(step) + 1e-9)
                self.assertTrue(any(abs(mant - m) < rel * m for m in (1, 2, 2.5, 5, 10)), (a, b, step))
                for s in steps:
                    self.assertAlmostEqual(s, step, delta=rel * step)
                # the ticks reach past both ends (within matplotlib's edge tolerance, which grows to half a
                # step when the values carry ~12 more digits than the step: _Edge_integer.closeto)
                slack = step * min(0.5, max(1e-9, 10 ** (math.log10(max(abs(a), abs(b)) / step) - 12)))
                self.assertLessEqual(t[0], a + slack)
                self.assertGreaterEqual(t[-1], b - slack)
                visible = [x for x in t if a <= x <= b]
                self.assertGreaterEqual(len(visible), 2, (a, b, nbins, t))
                self.assertLessEqual(len(t) - 1, nbins + 2)

    def test_user_limits_and_ticks(self):
        plt.plot([0, 10], [0, 1])
        plt.xlim(2, 8)
        plt.ylim((0, 0.5))
        self.assertEqual(plt.xlim(), (2.0, 8.0))
        self.assertEqual(plt.ylim(), (0.0, 0.5))
        locs, labels = plt.xticks([2, 5, 8], ['a', 'b', 'c'])
        self.assertEqual((locs, labels), ([2.0, 5.0, 8.0], ['a', 'b', 'c']))
        plt.yticks([])
        _, root = svg_of()
        texts = [t.text for t in root.iter(SVG + 'text')]
        self.assertEqual(texts, ['a', 'b', 'c'])

    # -- log axes, axhline/axvline, matshow, category bars (their ticks: test_ticks_match_matplotlib)
    def test_log_axes_draw_decades_with_superscripts(self):
        ys = [10 ** (-i / 20) for i in range(100)]
        lines = plt.semilogy(ys)
        self.assertEqual((plt.gca().get_yscale(), plt.gca().get_xscale()), ('log', 'linear'))
        _, root = svg_of()
        (d,) = paths_in_clip(root)
        pts = vertices(d)
        y0, y1 = plt.ylim()
        for i in (0, 40, 99):  # the line is straight: pixels linear in log10(y)
            want = BY + BH - (math.log10(ys[i]) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)) * BH
            self.assertAlmostEqual(pts[i][1], want, delta=0.006)
        # 10 with the exponent as a smaller, raised tspan: 10^-5 .. 10^0
        labels = [(t.text, [sp.text for sp in t]) for t in root.iter(SVG + 'text') if t.text == '10']
        self.assertEqual([sup for _, sup in labels], [['\u22125'], ['\u22124'], ['\u22123'], ['\u22122'], ['\u22121'],
                                                      ['0']])
        minor = [p for p in root.iter(SVG + 'path') if p.get('stroke-width') == '0.6']
        self.assertEqual(len(minor), 1)
        self.assertEqual(minor[0].get('d').count('M'), 43)  # 2..9 x each decade in view (matplotlib draws 43)
        self.assertEqual(repr(lines[0])[:27], '<matplotlib.lines.Line2D at')
        # values <= 0: clipped far below the axes ('clip', the default) or left out ('mask')
        plt.figure()
        plt.plot([1, 2, 3, 4, 5], [10, 20, 0, 100, 1000])
        plt.yscale('log')
        _, root = svg_of()
        (d,) = paths_in_clip(root)
        self.assertEqual(d.count('M'), 1)
        self.assertGreater(vertices(d)[2][1], BY + BH + 1000)
        plt.gca().set_yscale('log', nonpositive='mask')
        _, root = svg_of()
        (d,) = paths_in_clip(root)
        self.assertEqual(d.count('M'), 2)
        plt.yscale('linear')
        self.assertEqual(plt.ylim(), (-50.0, 1050.0))
        plt.figure()
        plt.loglog([1, 10, 100], [1, 100, 10000], 'o-', base=10)
        self.assertEqual((plt.gca().get_xscale(), plt.gca().get_yscale()), ('log', 'log'))
        plt.figure()
        plt.semilogx([1, 10], [0, 1])
        self.assertEqual(plt.gca().get_xscale(), 'log')
        with self.assertRaises(ValueError):
            plt.xscale('logarithmic')
        with self.assertRaises(NotImplementedError):
            plt.xscale('log', base=2)

    def test_axhline_axvline_span_the_axes(self):
        plt.plot([0, 10], [0, 1])
        h = plt.axhline(0.5, color='r', linestyle='--', linewidth=2, alpha=0.5, label='half')
        v = plt.gca().axvline(x=5, ymin=0.25, ymax=0.75, c='k')
        self.assertEqual((h.color, h.linestyle, h.linewidth, h.alpha), ('#ff0000', 'dashed', 2.0, 0.5))
        self.assertEqual(v.color, '#000000')
        plt.legend()
        _, root = svg_of()
        paths = paths_in_clip(root)
        self.assertEqual(len(paths), 3)
        (hx0, hy0), (hx1, hy1) = vertices(paths[1])
        self.assertEqual((hx0, hx1), (round(BX, 2), round(BX + BW, 2)))  # the whole width
        self.assertAlmostEqual(hy0, BY + BH - (0.5 + 0.05) / 1.1 * BH, delta=0.006)
        (vx0, vy0), (vx1, vy1) = vertices(paths[2])
        self.assertAlmostEqual(vx0, BX + (5 + 0.5) / 11 * BW, delta=0.006)
        self.assertAlmostEqual(vy0, BY + 0.75 * BH, delta=0.006)  # ymin=0.25 of the height, from below
        self.assertAlmostEqual(vy1, BY + 0.25 * BH, delta=0.006)
        attrs = [p.attrib for g in root.iter(SVG + 'g') if g.get('clip-path') for p in g.iter(SVG + 'path')]
        self.assertEqual((attrs[1]['stroke'], attrs[1]['stroke-opacity']), ('#ff0000', '0.5'))
        self.assertIn('stroke-dasharray', attrs[1])
        self.assertIn('half', [t.text for t in root.iter(SVG + 'text')])
        self.assertEqual(plt.xlim(), (-0.5, 10.5))  # x untouched by axhline; axvline's 5 lies inside
        with self.assertRaises(ValueError):
            plt.axhline(1, transform=None)

    def test_matshow_new_figure_ticks_on_top(self):
        im = plt.matshow([[(i * 8 + j) % 5 for j in range(8)] for i in range(5)])
        fig = plt.gcf()
        self.assertEqual(repr(fig), '<Figure size 553x346 with 1 Axes>')  # figaspect: 7.68 x 4.8 in
        self.assertTrue(repr(im).startswith('<matplotlib.image.AxesImage'))
        _, root = svg_of()
        img, _ = image_of(root)
        top = float(img.get('y'))
        xlabels = [t for t in root.iter(SVG + 'text') if float(t.get('y')) < top]
        self.assertEqual([t.text for t in xlabels], [str(i) for i in range(8)])  # column numbers above
        ticks = [p.get('d') for p in root.iter(SVG + 'path') if p.get('stroke-width') == '0.8'][0]
        self.assertEqual(ticks.count('v-3.5'), 8)  # tick marks above and below
        self.assertEqual(ticks.count('v3.5'), 8)
        n = len(plt.get_fignums())
        plt.matshow([[1, 2], [3, 4]], fignum=0)  # into the current Axes
        self.assertEqual(len(plt.get_fignums()), n)
        self.assertEqual(len(plt.gca()._artists), 2)

    def test_bar_and_barh_categories(self):
        bc = plt.bar(['b', 'a', 'b'], [1, 2, 3])
        self.assertEqual([r.get_x() + r.get_width() / 2 for r in bc], [0.0, 1.0, 0.0])
        plt.bar(['c'], [1])
        _, root = svg_of()
        self.assertEqual([t.text for t in root.iter(SVG + 'text')][:3], ['b', 'a', 'c'])
        rects = [r for g in root.iter(SVG + 'g') if g.get('clip-path') for r in g.iter(SVG + 'rect')]
        self.assertEqual(len(rects), 4)
        plt.figure()
        bh = plt.barh(['x', 'y'], [5, 7], color='C2')
        self.assertEqual([(r.get_x(), r.get_width()) for r in bh], [(0.0, 5.0), (0.0, 7.0)])
        self.assertEqual(plt.xlim()[0], 0.0)  # horizontal bars stand on x = 0
        _, root = svg_of()
        self.assertEqual([t.text for t in root.iter(SVG + 'text')][-2:], ['x', 'y'])
        plt.figure()
        plt.bar([0, 1], [2, 3], tick_label=['lo', 'hi'])
        self.assertEqual(plt.xticks()[1], ['lo', 'hi'])

    # -- labels, legend, grid
    def test_title_labels_legend_text(self):
        plt.plot([3, 2, 1], label='loss')
        plt.plot([1, 2, 3], label='_hidden')
        plt.title('training <loss> & more')
        plt.xlabel('step')
        plt.ylabel('log10 loss')
        plt.legend()
        plt.grid(True)
        plt.text(1, 2, 'hello', ha='center', va='center', color='white')
        s, root = svg_of()
        texts = [t.text for t in root.iter(SVG + 'text')]
        for want in ('training <loss> & more', 'step', 'log10 loss', 'loss', 'hello'):
            self.assertIn(want, texts)
        self.assertNotIn('_hidden', texts)
        self.assertIn('&lt;loss&gt; &amp; more', s)
        plt.xlabel('bell\x07 and "quotes"')  # control characters would make the XML invalid
        _, root = svg_of()
        self.assertIn('bell and "quotes"', [t.text for t in root.iter(SVG + 'text')])
        ylabel = [t for t in root.iter(SVG + 'text') if t.text == 'log10 loss'][0]
        self.assertIn('rotate(-90', ylabel.get('transform'))
        grid = [p for p in root.iter(SVG + 'path') if p.get('stroke') == '#b0b0b0']
        self.assertEqual(len(grid), 1)
        # legend(labels) names the lines in order; 'best' keeps the box off the data
        plt.figure()
        plt.plot([0, 1, 2, 3], [0, 1, 2, 3])
        plt.legend(['diagonal'])
        _, root = svg_of()
        box = [r for r in root.iter(SVG + 'rect') if r.get('stroke') == '#cccccc'][0]
        # the line runs from lower left to upper right, so the box goes to the upper left
        self.assertLess(float(box.get('x')), BX + BW / 2)
        self.assertLess(float(box.get('y')), BY + BH / 2)

    def test_subplots_shapes_and_methods(self):
        fig, ax = plt.subplots()
        self.assertEqual(type(ax).__name__, 'Axes')
        fig, axs = plt.subplots(1, 3, figsize=(9, 3))
        self.assertEqual(axs.shape, (3,))
        self.assertEqual(len(list(axs)), 3)
        fig, axs = plt.subplots(2, 2, figsize=(8, 6))
        self.assertEqual(axs.shape, (2, 2))
        axs[0, 0].plot([1, 2])
        axs[0, 1].imshow([[0, 1]], cmap='gray')
        axs[1, 0].hist([1, 2, 3])
        axs[1, 1].set_title('four')
        axs[1, 1].set_xlabel('x')
        axs[1, 1].set_ylabel('y')
        axs[1, 1].grid()
        axs[1, 1].plot([1, 2], label='l')
        axs[1, 1].legend()
        self.assertEqual(len(list(axs.flat)), 4)
        self.assertIs(axs.ravel()[3], axs[1, 1])
        s, root = svg_of(fig)
        clips = [c for c in root.iter(SVG + 'clipPath')]
        self.assertEqual(len(clips), 4)
        self.assertEqual(len(set(c.get('id') for c in clips)), 4)
        boxes = sorted((round(float(c[0].get('x'))), round(float(c[0].get('y')))) for c in clips)
        self.assertEqual(len(set(boxes)), 4)
        self.assertIn('four', [t.text for t in root.iter(SVG + 'text')])
        # plt.* draws on the first Axes of subplots until another is made current
        fig, axs = plt.subplots(1, 2)
        plt.plot([1, 2, 3])
        self.assertEqual(len(axs[0]._artists), 1)

    def test_scatter_colorbar_close(self):
        pc = plt.scatter([0, 1, 2], [0, 1, 4], s=100, c=[0.0, 0.5, 1.0], cmap='viridis')
        self.assertTrue(repr(pc).startswith('<matplotlib.collections.PathCollection at 0x'))
        cb = plt.colorbar()
        self.assertTrue(repr(cb).startswith('<matplotlib.colorbar.Colorbar at 0x'))
        _, root = svg_of()
        circles = list(root.iter(SVG + 'circle'))
        self.assertEqual(len(circles), 3)
        self.assertAlmostEqual(float(circles[0].get('r')), 5.0)  # s is the area: diameter sqrt(100)
        self.assertEqual([c.get('fill') for c in circles], ['#440154', '#21918c', '#fde725'])
        self.assertEqual(len(list(root.iter(SVG + 'image'))), 1)  # the colour bar
        plt.figure()
        plt.imshow([[0, 1]], cmap='RdBu')
        plt.colorbar()
        _, root = svg_of()
        self.assertEqual(len(list(root.iter(SVG + 'image'))), 2)
        self.assertEqual(len(plt.get_fignums()), 2)
        plt.close()
        self.assertEqual(len(plt.get_fignums()), 1)
        plt.close('all')
        self.assertEqual(plt.get_fignums(), [])

    def test_conveniences(self):
        self.assertIs(plt.cm.gray, plt.get_cmap('gray'))
        self.assertEqual(plt.cm.RdBu(0.0)[:3], (0x67 / 255, 0, 0x1f / 255))
        old = plt.rcParams['figure.figsize']
        plt.rcParams['figure.figsize'] = (5, 2)
        try:
            self.assertEqual(repr(plt.figure()), '<Figure size 360x144 with 0 Axes>')
        finally:
            plt.rcParams['figure.figsize'] = old
        fig, (a, b) = plt.subplots(1, 2)
        b.set(title='right', xlabel='x', xlim=(0, 4))
        self.assertEqual((b.get_title(), b.get_xlabel(), b.get_xlim()), ('right', 'x', (0.0, 4.0)))
        plt.sca(b)
        plt.plot([1, 2])
        self.assertEqual((len(a._artists), len(b._artists)), (0, 1))
        # a 2-D tensor is one dataset per column, as matplotlib treats a 2-D array
        plt.figure()
        n, edges, bcs = plt.hist(FakeTensor([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]), bins=2)
        self.assertEqual(n, [[1, 2], [1, 2]])
        self.assertEqual(edges, [0.0, 1.0, 2.0])

    # -- display contract
    def test_show_and_flush_display_then_close(self):
        plt.figure()
        plt.plot([1, 2])
        plt.figure()  # empty: nothing to display
        plt.show()
        self.assertEqual(len(plt._shown), 1)
        ET.fromstring(plt._shown[0])
        self.assertEqual(plt.get_fignums(), [])
        plt.hist([1, 2, 3])  # implicit figure, not shown: the runtime flushes it at the cell's end
        got = []
        sys.modules['_bpn_display'] = types.SimpleNamespace(svg=got.append)
        try:
            self.assertEqual(plt._flush_open_figures(), 1)
        finally:
            del sys.modules['_bpn_display']
        self.assertEqual(len(got), 1)
        self.assertTrue(got[0].startswith('<svg '))
        self.assertEqual(len(plt._shown), 1)
        self.assertEqual(plt._flush_open_figures(), 0)
        fig = plt.figure()
        plt.plot([1])
        self.assertTrue(fig._repr_svg_().startswith('<svg '))
        # a figure that cannot be drawn raises, after the others are shown, and nothing stays open
        plt.close('all')
        with self.assertRaises(ValueError):
            plt.xticks([1, 2], ['only one label'])
        plt.plot([1, 2])
        plt.gcf()._to_svg = lambda: 1 / 0
        plt.figure()
        plt.plot([3, 4])
        with self.assertRaises(ZeroDivisionError):
            plt.show()
        self.assertEqual(len(plt._shown), 2)
        self.assertEqual(plt.get_fignums(), [])

    def test_savefig(self):
        plt.plot([1, 2, 3])
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, 'f.svg')
            plt.savefig(p)
            with open(p, encoding='utf-8') as f:
                ET.fromstring(f.read())
            with self.assertRaises(NotImplementedError) as e:
                plt.savefig(os.path.join(d, 'f.png'))
            self.assertIn('only SVG', str(e.exception))
        buf = io.StringIO()
        plt.savefig(buf, format='svg')
        ET.fromstring(buf.getvalue())

    # -- errors
    def test_unsupported_function_and_keyword(self):
        with self.assertRaises(NotImplementedError) as e:
            plt.pie([1, 2])
        msg = str(e.exception)
        self.assertTrue(msg.startswith("matplotlib.pyplot.pie is not available in backprop-ninja's notebook "
                                       "runtime; supported: "), msg)
        for name in ('plot', 'imshow', 'hist', 'subplots', 'legend'):
            self.assertIn(name, msg)
        with self.assertRaises(NotImplementedError) as e:
            plt.plot([1, 2], drawstyle='steps')
        self.assertIn("'drawstyle'", str(e.exception))
        with self.assertRaises(NotImplementedError) as e:
            plt.gca().set_yscale('symlog')
        self.assertIn("set_yscale('symlog') is not available", str(e.exception))
        with self.assertRaises(NotImplementedError) as e:
            plt.gca().set_rscale('log')
        self.assertIn('matplotlib.axes.Axes.set_rscale is not available', str(e.exception))
        with self.assertRaises(ValueError):
            plt.imshow([[0, 1]], cmap='nope')
        with self.assertRaises(ValueError):
            plt.plot([1, 2], [1, 2, 3])
        with self.assertRaises(TypeError):
            plt.imshow([1, 2, 3])
        # cosmetic keywords are accepted and ignored; private names stay AttributeError (hasattr works)
        plt.imshow([[0, 1]], interpolation='bilinear', zorder=3)
        self.assertFalse(hasattr(plt, '_no_such_thing'))
        import matplotlib
        from matplotlib import pyplot
        self.assertIs(pyplot, plt)
        with self.assertRaises(NotImplementedError):
            matplotlib.animation
        self.assertIs(matplotlib.cm.gray, plt.cm.gray)  # the modules pyplot is made of are matplotlib's names


if __name__ == '__main__':
    unittest.main()
