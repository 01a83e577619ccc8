"""The SVG renderer: draws a Figure (its Axes and their artists) as one self-contained SVG document.

The only module that writes SVG: the API modules (figure, axes, the artists) hold state; this one reads it.
Coordinates are canvas points (72 per inch), y down; numbers have at most 2 decimals. Images are embedded as
PNG data URIs (an 8-bit RGBA PNG written with zlib). Text is laid out with DejaVu Sans' advance widths, the
font matplotlib uses, so that legends and label offsets match matplotlib's without a font file.
"""

import base64
import math
import re
import struct
import zlib

from matplotlib.cbook import _finite
from matplotlib.colors import _TAB10, _normalize
from matplotlib.container import BarContainer
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage
from matplotlib.lines import _MARKERS, Line2D
from matplotlib.text import Text


def _esc(s):
    """Text for an XML text node or attribute (control characters, which XML 1.0 forbids, are dropped)."""
    s = str(s)
    if any(ord(c) < 32 for c in s):
        s = ''.join(c for c in s if ord(c) >= 32 or c in '\t\n')
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def _f(v):
    """A coordinate with at most 2 decimals and no trailing zeros."""
    s = '%.2f' % v
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return '0' if s == '-0' else s


_FONT = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif"


# DejaVu Sans advance widths (1/1000 em) of the printable ASCII characters 32..126, from the font's metrics
_WIDTHS = [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
           636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
           752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
           337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
           635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838]


def _text_width(s, size):
    """Width in points of one line of s in DejaVu Sans at size (for layout: legends, label offsets)."""
    w = 0
    for ch in str(s):
        o = ord(ch)
        w += _WIDTHS[o - 32] if 32 <= o <= 126 else (838 if ch == '\u2212' else 650)
    return w * size / 1000


_MATH = re.compile(r'^\$\\mathdefault\{(-?)(?:([\d.]+)\\times)?(?:10\^\{(-?\d+)\}|(\d+))\}\$$')


def _math_parts(s):
    """A log axis' tick label ('$\\mathdefault{10^{-2}}$', '$\\mathdefault{2\\times10^{3}}$') as (base text,
    superscript); None for plain text. Minus signs become U+2212, as mathtext draws them."""
    m = _MATH.match(s) if s.startswith('$') else None
    if m is None:
        return None
    sign, coeff, exp, plain = m.groups()
    sign = '\u2212' if sign else ''
    if plain is not None:
        return sign + plain, ''
    return sign + (coeff + '\u00d7' if coeff else '') + '10', exp.replace('-', '\u2212')


def _label_width(s, size):
    """Width in points of a tick label, mathtext ones with their superscript (0.7 of the size)."""
    parts = _math_parts(s)
    if parts is None:
        return _text_width(s, size)
    return _text_width(parts[0], size) + _text_width(parts[1], 0.7 * size)


def _svg_label(x, y, s, size, anchor, va, rotate=0):
    """A tick label: plain text, or mathtext's base with its exponent as a raised, smaller tspan."""
    parts = _math_parts(s)
    if parts is None:
        return _svg_text(x, y, s, size, anchor, va, rotate=rotate)
    base, sup = parts
    if not sup:
        return _svg_text(x, y, base, size, anchor, va, rotate=rotate)
    # the superscript raises the label's top: keep the box aligned as matplotlib aligns the whole label
    dy = {'top': 0.3 * size, 'center': 0.15 * size}.get(va, 0.0)
    t = _svg_text(x, y + dy, base, size, anchor, va, rotate=rotate)
    sup_svg = f'<tspan dy="{_f(-0.4 * size)}" font-size="{_f(0.7 * size)}">{_esc(sup)}</tspan>'
    return t.replace('</text>', sup_svg + '</text>')


def _svg_text(x, y, s, size=10, anchor='middle', va='baseline', color='#000000', rotate=0, alpha=None):
    """A <text> at (x, y) aligned like matplotlib's ha (anchor) and va (baseline offsets from the font's
    ascent 0.76 em and descent 0.24 em, so that no renderer-specific baseline attribute is needed)."""
    lines = str(s).split('\n')
    lh = size * 1.2
    if va == 'top':
        dy0 = size * 0.76
    elif va == 'center':
        dy0 = size * 0.38 - (len(lines) - 1) * lh / 2
    elif va == 'bottom':
        dy0 = -size * 0.24 - (len(lines) - 1) * lh
    else:  # baseline
        dy0 = -(len(lines) - 1) * lh
    if anchor == 'left':
        anchor = 'start'
    elif anchor == 'right':
        anchor = 'end'
    elif anchor == 'center':
        anchor = 'middle'
    tr = f' transform="rotate({_f(-rotate)} {_f(x)} {_f(y)})"' if rotate else ''
    op = f' fill-opacity="{_f(alpha)}"' if alpha is not None else ''
    out = []
    for i, line in enumerate(lines):
        out.append(f'<text x="{_f(x)}" y="{_f(y + dy0 + i * lh)}" font-size="{_f(size)}" '
                   f'text-anchor="{anchor}" fill="{color}"{op}{tr}>{_esc(line)}</text>')
    return ''.join(out)


def _png(width, height, rows):
    """A PNG (8-bit RGBA) from rows of bytes (each 4*width long)."""
    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)
    raw = b''.join(b'\x00' + r for r in rows)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 6, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))


def _rotated_box(s, size, degrees):
    """(width, height) of the box around one line of text rotated by degrees."""
    w, h = _label_width(s, size), size * 1.0
    a = math.radians(degrees)
    return abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))


def _dasharray(style, lw):
    if style == 'dashed':
        return f'{_f(3.7 * lw)},{_f(1.6 * lw)}'
    if style == 'dashdot':
        return f'{_f(6.4 * lw)},{_f(1.6 * lw)},{_f(lw)},{_f(1.6 * lw)}'
    if style == 'dotted':
        return f'{_f(lw)},{_f(1.65 * lw)}'
    return None


def _marker_svg(m, x, y, size, fill, alpha=None):
    """One marker of diameter size (points) centred at (x, y)."""
    r = size / 2
    op = f' fill-opacity="{_f(alpha)}" stroke-opacity="{_f(alpha)}"' if alpha is not None else ''
    if m in ('o', '.'):
        if m == '.':
            r = r / 2
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{fill}"{op}/>'
    if m == 's':
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" height="{_f(2 * r)}" fill="{fill}"{op}/>'
    if m in ('^', 'v'):
        s = -1 if m == '^' else 1
        return (f'<path d="M{_f(x)} {_f(y + s * r)}L{_f(x - r)} {_f(y - s * r)}L{_f(x + r)} {_f(y - s * r)}Z" '
                f'fill="{fill}"{op}/>')
    if m in ('D', 'd'):
        r = r * math.sqrt(2)  # matplotlib's diamond is a size x size square turned 45 degrees
        w = r if m == 'D' else r * 0.6
        return (f'<path d="M{_f(x)} {_f(y - r)}L{_f(x + w)} {_f(y)}L{_f(x)} {_f(y + r)}L{_f(x - w)} {_f(y)}Z" '
                f'fill="{fill}"{op}/>')
    if m == '*':
        pts = []
        for k in range(10):
            a = math.pi / 2 + k * math.pi / 5
            rr = r if k % 2 == 0 else r * 0.4
            pts.append(f'{_f(x + rr * math.cos(a))} {_f(y - rr * math.sin(a))}')
        return f'<path d="M{"L".join(pts)}Z" fill="{fill}"{op}/>'
    if m == '+':
        return (f'<path d="M{_f(x - r)} {_f(y)}H{_f(x + r)}M{_f(x)} {_f(y - r)}V{_f(y + r)}" stroke="{fill}" '
                f'stroke-width="1"{op}/>')
    if m == 'x':
        return (f'<path d="M{_f(x - r)} {_f(y - r)}L{_f(x + r)} {_f(y + r)}M{_f(x - r)} {_f(y + r)}'
                f'L{_f(x + r)} {_f(y - r)}" stroke="{fill}" stroke-width="1"{op}/>')
    raise ValueError(f'marker {m!r} is not available; markers: {" ".join(_MARKERS)}')


def figure_to_svg(fig):
    """The figure as one SVG document: width and height in pt and a viewBox in points, as matplotlib's SVG
    backend writes them."""
    W, H = fig._size_pt()
    saved = [(ax, ax._rect) for ax in fig.axes]
    try:
        fig._layout_colorbars()
        parts = []
        for i, ax in enumerate(fig.axes):
            render_axes(ax, parts, f'@ID@c{i}')
    finally:
        for ax, r in saved:
            ax._rect = r
    if fig._suptitle:
        size = getattr(fig, '_suptitle_size', 12)
        parts.append(_svg_text(W / 2, 0.02 * H, fig._suptitle, size, 'middle', 'top'))
    body = ''.join(parts)
    uid = 'bpn%08x' % (zlib.crc32(body.encode('utf-8')) & 0xffffffff)
    body = body.replace('@ID@', uid)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{_f(W)}pt" height="{_f(H)}pt" viewBox="0 0 {_f(W)} {_f(H)}" version="1.1" '
            f'font-family="{_FONT}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>')


def render_axes(ax, out, clip_id):
    bx, by, bw, bh = ax._box()
    (x0, x1), (y0, y1) = ax._limits()
    # data -> the axis' linear space (log10 on a log axis) -> points
    tfx, tfy = ax._transform('x') or (lambda v: v), ax._transform('y') or (lambda v: v)
    t0x, t0y = tfx(x0), tfy(y0)
    sxf = bw / (tfx(x1) - t0x)
    syf = bh / (tfy(y1) - t0y)

    def px(x):
        return bx + (tfx(x) - t0x) * sxf

    def py(y):
        return by + bh - (tfy(y) - t0y) * syf

    ax._px_t = (lambda t: bx + (t - t0x) * sxf, lambda t: by + bh - (t - t0y) * syf, tfx, tfy)

    if ax._axis_on:
        out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="#ffffff"/>')
    out.append(f'<clipPath id="{clip_id}"><rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" '
               f'height="{_f(bh)}"/></clipPath>')
    xt = ax._ticks_for('x', (bx, by, bw, bh))
    yt = ax._ticks_for('y', (bx, by, bw, bh))
    minor = (ax._ticks_for('x', (bx, by, bw, bh), minor=True)[:2], ax._ticks_for('y', (bx, by, bw, bh), minor=True)[:2])
    if ax._colorbar_of is not None:
        _render_colorbar(ax, out, bx, by, bw, bh, yt)
        return
    body = [f'<g clip-path="url(#{clip_id})">']
    # zorder as matplotlib: images 0, patches and scatter 1, grid 1.5, lines 2, text 3
    for a in ax._artists:
        if isinstance(a, AxesImage):
            _render_image(ax, body, a, px, py)
    for a in ax._artists:
        if isinstance(a, BarContainer):
            _render_bars(ax, body, a, px, py, (bx, by, bw, bh))
        elif isinstance(a, PathCollection):
            for i, (x, y) in enumerate(zip(a.x, a.y)):
                if _finite(x) and _finite(y) and a.colors[i] != 'none':
                    body.append(_marker_svg(a.marker, px(x), py(y), math.sqrt(a.sizes[i]), a.colors[i],
                                            a.alpha))
    if ax._grid and ax._axis_on:
        g = []
        if ax._grid_axis in ('both', 'x'):
            g += [f'M{_f(px(t))} {_f(by)}V{_f(by + bh)}' for t in xt[0]]
        if ax._grid_axis in ('both', 'y'):
            g += [f'M{_f(bx)} {_f(py(t))}H{_f(bx + bw)}' for t in yt[0]]
        if g:
            body.append(f'<path d="{"".join(g)}" stroke="#b0b0b0" stroke-width="0.8" fill="none"/>')
    for a in ax._artists:
        if isinstance(a, Line2D):
            _render_line(ax, body, a, px, py, (bx, by, bw, bh))
    body.append('</g>')
    out.extend(body)
    for a in ax._artists:
        if isinstance(a, Text):
            if a.coords == 'axes':
                tx, ty = bx + a.x * bw, by + bh - a.y * bh
            else:
                tx, ty = px(a.x), py(a.y)
            out.append(_svg_text(tx, ty, a.s, a.size, a.ha, a.va, a.color, a.rotation, a.alpha))
    if ax._axis_on:
        _render_axes_frame(ax, out, bx, by, bw, bh, px, py, xt, yt, minor)
    _render_titles(ax, out, bx, by, bw)
    if ax._legend is not None and ax._legend.entries:
        _render_legend(ax, out, bx, by, bw, bh, px, py)


def _render_titles(ax, out, bx, by, bw):
    size = getattr(ax, '_title_size', 12)
    for i, (t, x, anchor) in enumerate(zip(ax._title, (bx, bx + bw / 2, bx + bw),
                                          ('start', 'middle', 'end'))):
        if t:
            # baseline 6 pt above the axes (titlepad), or above matshow's tick labels on top
            out.append(_svg_text(x, by - (24 if ax._ticks_top else 6), t, size, anchor, 'baseline'))


def _render_axes_frame(ax, out, bx, by, bw, bh, px, py, xt, yt, minor):
    # major ticks: 3.5 pt outwards, 0.8 pt wide, labels 3.5 pt beyond; minor ticks (log axes): 2 pt, 0.6 pt.
    # matshow puts the x labels on top and its tick marks on both sides.
    top = ax._ticks_top
    d = [f'M{_f(px(t))} {_f(by + bh)}v3.5' for t in xt[0]]
    if top:
        d += [f'M{_f(px(t))} {_f(by)}v-3.5' for t in xt[0]]
    d += [f'M{_f(bx)} {_f(py(t))}h-3.5' for t in yt[0]]
    if d:
        out.append(f'<path d="{"".join(d)}" stroke="#000000" stroke-width="0.8" fill="none"/>')
    (mxl, mxs), (myl, mys) = minor
    d = [f'M{_f(px(t))} {_f(by + bh)}v2' for t in mxl] + [f'M{_f(bx)} {_f(py(t))}h-2' for t in myl]
    if d:
        out.append(f'<path d="{"".join(d)}" stroke="#000000" stroke-width="0.6" fill="none"/>')
    for ticks, labels, rot in ((xt[0], xt[1], ax._xrot), (mxl, mxs, ax._xrot)):
        for t, s in zip(ticks, labels):
            if not s:
                continue
            if rot:
                # matplotlib's default rotation mode: rotate, then centre the rotated box under the tick
                _, bh_rot = _rotated_box(s, 10, rot)
                y = by - 7 - bh_rot / 2 if top else by + bh + 7 + bh_rot / 2
                out.append(_svg_label(px(t), y, s, 10, 'middle', 'center', rotate=rot))
            elif top:
                out.append(_svg_label(px(t), by - 7, s, 10, 'middle', 'bottom'))
            else:
                out.append(_svg_label(px(t), by + bh + 7, s, 10, 'middle', 'top'))
    for t, s in list(zip(yt[0], yt[1])) + list(zip(myl, mys)):
        if s:
            out.append(_svg_label(bx - 7, py(t), s, 10, 'end', 'center', rotate=ax._yrot))
    if xt[2]:
        out.append(_svg_text(bx + bw, by + bh + 7 + 12 + 2, xt[2], 10, 'end', 'top'))
    if yt[2]:
        out.append(_svg_text(bx, by - 3, yt[2], 10, 'start', 'bottom'))
    # spines
    out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="none" '
               f'stroke="#000000" stroke-width="0.8" stroke-linejoin="miter"/>')
    xl_h = 10 * 1.0 if xt[1] and not top else 0
    if any(_math_parts(s) for s in xt[1] + mxs):
        xl_h += 3  # the superscript
    if ax._xrot and xt[1] and not top:
        xl_h = max(_rotated_box(s, 10, ax._xrot)[1] for s in xt[1])
    if ax._xlabel:
        out.append(_svg_text(bx + bw / 2, by + bh + 7 + xl_h + 4, ax._xlabel,
                             getattr(ax, '_xlabel_size', 10), 'middle', 'top'))
    if ax._ylabel:
        wmax = max((_label_width(s, 10) for s in yt[1] + mys), default=0)
        x = bx - 7 - wmax - 4
        size = getattr(ax, '_ylabel_size', 10)
        out.append(_svg_text(x, by + bh / 2, ax._ylabel, size, 'middle', 'bottom', rotate=90))


def _render_line(ax, body, a, px, py, box):
    bx, by, bw, bh = box
    xs, ys = a.x, a.y
    span = getattr(a, '_span', None)
    if span == 'y':  # axhline: x in axes fractions
        pts = [(bx + f * bw, py(y)) if _finite(py(y)) else None for f, y in zip(xs, ys)]
    elif span == 'x':  # axvline: y in axes fractions
        pts = [(px(x), by + bh - f * bh) if _finite(px(x)) else None for x, f in zip(xs, ys)]
    else:
        # in the axes' linear space (log10 on a log axis), where the M4 buckets are equal widths
        pxt, pyt, tx, ty = ax._px_t
        if ax._scale['x'] == 'log':
            xs = list(map(tx, xs))
        if ax._scale['y'] == 'log':
            ys = list(map(ty, ys))
        if len(xs) > 8 * bw and a.marker is None:
            (x0, x1), _ = ax._limits()
            xs, ys = _m4(xs, ys, (tx(x1) - tx(x0)) / (2 * bw))  # buckets of half a point
        pts = [(pxt(x), pyt(y)) if _finite(x) and _finite(y) else None for x, y in zip(xs, ys)]
    op = f' stroke-opacity="{_f(a.alpha)}"' if a.alpha is not None else ''
    segs = _segments(pts)
    a._drawn = segs  # for the legend's 'best' placement
    if a.linestyle != 'none':
        # (a lone point draws nothing without a marker, as in matplotlib)
        d = ''.join('M' + 'L'.join(f'{_f(x)} {_f(y)}' for x, y in seg) for seg in segs if len(seg) > 1)
        if d:
            dash = _dasharray(a.linestyle, a.linewidth)
            da = f' stroke-dasharray="{dash}"' if dash else ''
            body.append(f'<path d="{d}" fill="none" stroke="{a.color}" stroke-width="{_f(a.linewidth)}" '
                        f'stroke-linejoin="round" stroke-linecap="square"{da}{op}/>')
    if a.marker is not None:
        for p in pts:
            if p is not None:
                body.append(_marker_svg(a.marker, p[0], p[1], a.markersize, a.color, a.alpha))


def _render_bars(ax, body, bc, px, py, box):
    op = f' fill-opacity="{_f(bc.alpha)}"' if bc.alpha is not None else ''
    if bc.step:
        # one outline (step) or one filled polygon (stepfilled) over the bin tops
        d = []
        e = bc.edges
        base = py(0.0)
        d.append(f'M{_f(px(e[0]))} {_f(base)}')
        for i, r in enumerate(bc):
            y = py(r.height) if _finite(r.height) else base
            d.append(f'L{_f(px(e[i]))} {_f(y)}L{_f(px(e[i + 1]))} {_f(y)}')
        d.append(f'L{_f(px(e[-1]))} {_f(base)}')
        if bc.step == 'stepfilled':
            body.append(f'<path d="{"".join(d)}Z" fill="{bc.color}"{op}/>')
        else:
            body.append(f'<path d="{"".join(d)}" fill="none" stroke="{bc.color}" stroke-width="1.5"'
                        f'{op.replace("fill-", "stroke-")}/>')
        return
    rects = []
    for r in bc:
        if not _finite(r.height):
            continue
        xa, xb = px(r.xy[0]), px(r.xy[0] + r.width)
        ya, yb = py(r.xy[1]), py(r.xy[1] + r.height)
        # cut to just outside the axes box (the clip path hides the rest): a bar from 0 on a log axis
        # starts some 10^5 points below it
        bx, by, bw, bh = box
        xa, xb = (min(max(v, bx - 2), bx + bw + 2) for v in (xa, xb))
        ya, yb = (min(max(v, by - 2), by + bh + 2) for v in (ya, yb))
        x, w = min(xa, xb), abs(xb - xa)
        y, h = min(ya, yb), abs(yb - ya)
        stroke = (f' stroke="{r.edgecolor}" stroke-width="{_f(r.linewidth)}"' if r.edgecolor and r.linewidth
                  else '')
        rects.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"{stroke}/>')
    body.append(f'<g fill="{bc.color}"{op}>{"".join(rects)}</g>')


def _render_image(ax, body, im, px, py):
    nr, nc = len(im.data), len(im.data[0])
    x0, x1, yb, yt_ = im.extent
    X0, X1 = px(x0), px(x1)
    Y0, Y1 = py(yt_), py(yb)  # row 0 edge, last row edge
    left, top = min(X0, X1), min(Y0, Y1)
    w, h = abs(X1 - X0), abs(Y1 - Y0)
    # upscale by an integer factor (nearest neighbour, about one pixel per point) so that cells stay sharp
    # in viewers that smooth images despite image-rendering: pixelated
    k = max(1, math.ceil(max(w / nc, h / nr)))
    k = max(1, min(k, int(math.sqrt(1_000_000 / (nr * nc)))))
    rows_top_first = im.data if (Y0 <= Y1) else list(reversed(im.data))
    flip_x = X1 < X0
    alpha = 255 if im.alpha is None else max(0, min(255, round(float(im.alpha) * 255)))
    cmap = im.cmap
    rows = []
    for row in rows_top_first:
        if flip_x:
            row = list(reversed(row))
        cells = []
        for v in row:
            if im.rgb:
                c = [min(1.0, max(0.0, t)) for t in v]
                a = round(c[3] * 255) if len(c) == 4 else alpha
                cells.append(bytes((round(c[0] * 255), round(c[1] * 255), round(c[2] * 255), a)) * k)
            elif not _finite(v):
                cells.append(b'\x00\x00\x00\x00' * k)  # NaN: transparent, as matplotlib's 'bad' colour
            else:
                r, g, b = cmap.rgb8(_normalize(v, im.vmin, im.vmax))
                cells.append(bytes((r, g, b, alpha)) * k)
        line = b''.join(cells)
        rows.extend([line] * k)
    png = _png(nc * k, nr * k, rows)
    uri = 'data:image/png;base64,' + base64.b64encode(png).decode('ascii')
    body.append(f'<image x="{_f(left)}" y="{_f(top)}" width="{_f(w)}" height="{_f(h)}" '
                f'preserveAspectRatio="none" style="image-rendering:optimizeSpeed;image-rendering:pixelated" '
                f'xlink:href="{uri}"/>')


def _render_colorbar(ax, out, bx, by, bw, bh, yt):
    m = ax._colorbar_of
    cm = m.cmap
    rows = []
    n = 256
    for i in range(n):
        r, g, b = cm.rgb8((n - 1 - i + 0.5) / n)
        rows.append(bytes((r, g, b, 255)) * 4)
    uri = 'data:image/png;base64,' + base64.b64encode(_png(4, n, rows)).decode('ascii')
    out.append(f'<image x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" preserveAspectRatio="none" '
               f'xlink:href="{uri}"/>')
    (_, _), (y0, y1) = ax._limits()
    ticks = [f'M{_f(bx + bw)} {_f(by + bh - (t - y0) / (y1 - y0) * bh)}h3.5' for t in yt[0]]
    if ticks:
        out.append(f'<path d="{"".join(ticks)}" stroke="#000000" stroke-width="0.8" fill="none"/>')
    for t, s in zip(yt[0], yt[1]):
        out.append(_svg_text(bx + bw + 7, by + bh - (t - y0) / (y1 - y0) * bh, s, 10, 'start', 'center'))
    if yt[2]:
        out.append(_svg_text(bx + bw, by - 3, yt[2], 10, 'start', 'bottom'))
    out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="none" '
               f'stroke="#000000" stroke-width="0.8"/>')
    if ax._colorbar_label:
        wmax = max((_text_width(s, 10) for s in yt[1]), default=0)
        out.append(_svg_text(bx + bw + 7 + wmax + 4, by + bh / 2, ax._colorbar_label, 10, 'middle', 'top',
                             rotate=90))


def _render_legend(ax, out, bx, by, bw, bh, px, py):
    lg = ax._legend
    fs = lg.fontsize
    # matplotlib's legend metrics: borderpad 0.4, labelspacing 0.5, handlelength 2, handletextpad 0.8 em
    text_h = fs * 1.0  # the height matplotlib lays a one-line label out with
    row_h = text_h + 0.5 * fs
    hl = 2.0 * fs  # handle length
    pad = 0.4 * fs
    tw = max(_text_width(l, fs) for _, l in lg.entries)
    if lg.title:
        tw = max(tw, _text_width(lg.title, fs))
    w = pad + hl + 0.8 * fs + tw + pad
    n_rows = len(lg.entries) + (1 if lg.title else 0)
    h = 2 * pad + n_rows * text_h + (n_rows - 1) * 0.5 * fs
    m = 0.5 * fs  # borderaxespad
    spots = {
        1: (bx + bw - m - w, by + m), 2: (bx + m, by + m), 3: (bx + m, by + bh - m - h),
        4: (bx + bw - m - w, by + bh - m - h), 5: (bx + bw - m - w, by + (bh - h) / 2),
        6: (bx + m, by + (bh - h) / 2), 7: (bx + bw - m - w, by + (bh - h) / 2),
        8: (bx + (bw - w) / 2, by + bh - m - h), 9: (bx + (bw - w) / 2, by + m),
        10: (bx + (bw - w) / 2, by + (bh - h) / 2),
    }
    loc = lg.loc
    if loc == 0:
        loc = _best_legend_loc(ax, spots, w, h, px, py)
    lx, ly = spots[loc]
    out.append(f'<rect x="{_f(lx)}" y="{_f(ly)}" width="{_f(w)}" height="{_f(h)}" rx="2" fill="#ffffff" '
               f'fill-opacity="0.8" stroke="#cccccc" stroke-width="0.8"/>')
    y = ly + pad
    if lg.title:
        out.append(_svg_text(lx + w / 2, y + text_h / 2, lg.title, fs, 'middle', 'center'))
        y += row_h
    for handle, label in lg.entries:
        cy = y + text_h / 2
        hx = lx + pad
        if isinstance(handle, Line2D):
            if handle.linestyle != 'none':
                dash = _dasharray(handle.linestyle, handle.linewidth)
                da = f' stroke-dasharray="{dash}"' if dash else ''
                op = '' if handle.alpha is None else f' stroke-opacity="{_f(handle.alpha)}"'
                out.append(f'<path d="M{_f(hx)} {_f(cy)}H{_f(hx + hl)}" stroke="{handle.color}" '
                           f'stroke-width="{_f(handle.linewidth)}" fill="none"{da}{op}/>')
            if handle.marker is not None:
                out.append(_marker_svg(handle.marker, hx + hl / 2, cy, handle.markersize, handle.color,
                                       handle.alpha))
        elif isinstance(handle, BarContainer):
            op = '' if handle.alpha is None else f' fill-opacity="{_f(handle.alpha)}"'
            if handle.step == 'step':
                out.append(f'<rect x="{_f(hx)}" y="{_f(cy - 0.35 * fs)}" width="{_f(hl)}" '
                           f'height="{_f(0.7 * fs)}" fill="none" stroke="{handle.color}" stroke-width="1.5"'
                           f'{op.replace("fill-", "stroke-")}/>')
            else:
                out.append(f'<rect x="{_f(hx)}" y="{_f(cy - 0.35 * fs)}" width="{_f(hl)}" '
                           f'height="{_f(0.7 * fs)}" fill="{handle.color}"{op}/>')
        elif isinstance(handle, PathCollection):
            c = handle.colors[0] if handle.colors else _TAB10[0]
            out.append(_marker_svg(handle.marker, hx + hl / 2, cy, 6.0, c))
        out.append(_svg_text(hx + hl + 0.8 * fs, cy, label, fs, 'start', 'center'))
        y += row_h


def _best_legend_loc(ax, spots, w, h, px, py):
    """matplotlib's loc='best': for codes 1..10 in order, badness = line vertices inside the box + lines
    crossing it + scatter points inside + bars overlapping it; the first with badness 0, else the least
    (lower code on ties). Long lines count their decimated vertices (the ones drawn)."""
    lines = [getattr(a, '_drawn', []) for a in ax._artists if isinstance(a, Line2D)]
    points = [(px(x), py(y)) for a in ax._artists if isinstance(a, PathCollection)
              for x, y in zip(a.x, a.y) if _finite(x) and _finite(y)]
    bars = []
    for a in ax._artists:
        if isinstance(a, BarContainer):
            rs = [(sorted((px(r.xy[0]), px(r.xy[0] + r.width))), sorted((py(r.xy[1]), py(r.xy[1] + r.height))))
                  for r in a if _finite(r.height)]
            if a.step and rs:  # a step histogram is one polygon: one box around all of it
                rs = [((min(x[0] for x, _ in rs), max(x[1] for x, _ in rs)),
                       (min(y[0] for _, y in rs), max(y[1] for _, y in rs)))]
            bars += [(x[0], y[0], x[1], y[1]) for x, y in rs]
    best = None
    for code in range(1, 11):
        x0, y0 = spots[code]
        x1, y1 = x0 + w, y0 + h
        bad = 0
        for segs in lines:
            crossed = False
            for seg in segs:
                bad += sum(1 for (x, y) in seg if x0 < x < x1 and y0 < y < y1)
                if not crossed and _path_crosses_box(seg, x0, y0, x1, y1):
                    crossed = True
            bad += crossed
        bad += sum(1 for (x, y) in points if x0 < x < x1 and y0 < y < y1)
        bad += sum(1 for (a0, b0, a1, b1) in bars if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1)
        if bad == 0:
            return code
        if best is None or bad < best[0]:
            best = (bad, code)
    return best[1]


def _path_crosses_box(seg, x0, y0, x1, y1):
    """Whether the polyline seg touches the box [x0, x1] x [y0, y1] (Liang-Barsky clipping per segment)."""
    for (ax, ay), (bx, by) in zip(seg, seg[1:]):
        if max(ax, bx) < x0 or min(ax, bx) > x1 or max(ay, by) < y0 or min(ay, by) > y1:
            continue
        t0, t1 = 0.0, 1.0
        dx, dy = bx - ax, by - ay
        ok = True
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            if p == 0:
                if q < 0:
                    ok = False
                    break
            else:
                t = q / p
                if p < 0:
                    t0 = max(t0, t)
                else:
                    t1 = min(t1, t)
                if t0 > t1:
                    ok = False
                    break
        if ok:
            return True
    return False


def _segments(pts):
    """The runs of points between missing (non-finite) ones: a line breaks at NaN, as in matplotlib."""
    segs, cur = [], []
    for p in pts:
        if p is None:
            if cur:
                segs.append(cur)
            cur = []
        else:
            cur.append(p)
    if cur:
        segs.append(cur)
    return segs


def _m4(xs, ys, bucket):
    """For a long line whose x never decreases: per x bucket of the given width, keep the first, lowest,
    highest and last point (M4 decimation), which draws the same picture with a bounded number of vertices.
    Non-finite points are kept (they break the line). Lines whose x goes back are returned unchanged."""
    if not all(map(float.__le__, xs[:-1], xs[1:])):
        return xs, ys
    ox, oy = [], []
    n = len(xs)
    x_start = xs[0]
    inv = 1.0 / bucket if bucket > 0 else 0.0
    i = 0
    while i < n:
        y = ys[i]
        if y != y or y in (math.inf, -math.inf):
            ox.append(xs[i])
            oy.append(y)
            i += 1
            continue
        key = int((xs[i] - x_start) * inv)
        lo = hi = i
        ylo = yhi = y
        j = i + 1
        while j < n and int((xs[j] - x_start) * inv) == key:
            yj = ys[j]
            if yj != yj or yj in (math.inf, -math.inf):
                break
            if yj < ylo:
                lo, ylo = j, yj
            elif yj > yhi:
                hi, yhi = j, yj
            j += 1
        for k in sorted({i, lo, hi, j - 1}):
            ox.append(xs[k])
            oy.append(ys[k])
        i = j
    return ox, oy
