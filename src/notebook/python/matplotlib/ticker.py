"""Ticks: matplotlib's MaxNLocator (steps 1, 2, 2.5, 5, 10) and ScalarFormatter, LogLocator and
LogFormatterSciNotation, as functions of the view interval (their algorithms, without the classes)."""

import math
import sys

from matplotlib.cbook import _finite

_EXTENDED_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20]
_INTEGER_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]  # matshow's MaxNLocator(steps=[1, 2, 5, 10], integer=True)


def _nonsingular(vmin, vmax, expander=0.05, tiny=1e-15):
    if not (_finite(vmin) and _finite(vmax)):
        return -expander, expander
    if vmax < vmin:
        vmin, vmax = vmax, vmin
    maxabs = max(abs(vmin), abs(vmax))
    if maxabs < (1e6 / tiny) * sys.float_info.min:
        return -expander, expander
    if vmax - vmin <= maxabs * tiny:
        if vmax == 0 and vmin == 0:
            return -expander, expander
        return vmin - expander * abs(vmin), vmax + expander * abs(vmax)
    return vmin, vmax


def _scale_range(vmin, vmax, n):
    dv = abs(vmax - vmin)
    meanv = (vmax + vmin) / 2
    if abs(meanv) / dv < 100:
        offset = 0.0
    else:
        offset = math.copysign(10 ** (math.log10(abs(meanv)) // 1), meanv)
    scale = 10 ** (math.log10(dv / n) // 1)
    return scale, offset


def _nice_ticks(vmin, vmax, nbins, min_n_ticks=2, integer=False):
    """Tick locations for the view interval [vmin, vmax], by matplotlib's MaxNLocator._raw_ticks: the
    smallest 'nice' step (1, 2, 2.5, 5 or 10 times a power of ten) giving at most nbins intervals, stepping
    down while fewer than min_n_ticks ticks would be visible. May include one tick past each end."""
    vmin, vmax = _nonsingular(min(vmin, vmax), max(vmin, vmax), expander=1e-13, tiny=1e-14)
    scale, offset = _scale_range(vmin, vmax, nbins)
    _vmin, _vmax = vmin - offset, vmax - offset
    raw_step = (_vmax - _vmin) / nbins
    steps = [s * scale for s in (_INTEGER_STEPS if integer else _EXTENDED_STEPS)]
    if integer:  # steps of 1 or more must be whole numbers
        steps = [s for s in steps if s < 1 or abs(s - round(s)) < 0.001]
    istep = next((i for i, s in enumerate(steps) if s >= raw_step), len(steps) - 1)
    if offset > 0:
        tol = lambda step: min(0.4999, max(1e-10, 10 ** (math.log10(offset / step) - 12)))  # noqa: E731
    else:
        tol = lambda step: 1e-10  # noqa: E731
    ticks = []
    for step in reversed(steps[:istep + 1]):
        if integer and math.floor(_vmax) - math.ceil(_vmin) >= min_n_ticks - 1:
            step = max(1, step)
        best_vmin = (_vmin // step) * step
        d, m = divmod(_vmin - best_vmin, step)
        low = int(d + 1) if abs(m / step - 1) < tol(step) else int(d)
        d, m = divmod(_vmax - best_vmin, step)
        high = int(d) if abs(m / step) < tol(step) else int(d + 1)
        ticks = [k * step + best_vmin for k in range(low, high + 1)]
        if sum(1 for t in ticks if _vmin <= t <= _vmax) >= min_n_ticks:
            break
    return [t + offset for t in ticks]


def _format_ticks(locs, view):
    """(labels, offset text) as matplotlib's ScalarFormatter writes them: a common number of decimals,
    and a 1eN scale when the largest visible tick is >= 1e6 or < 1e-5 (offsets are not used)."""
    if not locs:
        return [], ''
    vmin, vmax = sorted(view)
    vis = [abs(t) for t in locs if vmin <= t <= vmax]
    oom = 0
    if vis:
        val = max(vis)
        o = 0 if val == 0 else math.floor(math.log10(val))
        if o <= -5 or o >= 6:
            oom = o
    use = list(locs) if len(locs) >= 2 else list(locs) + [vmin, vmax]
    scaled = [t / 10.0 ** oom for t in use]
    loc_range = max(scaled) - min(scaled)
    if loc_range == 0:
        loc_range = max(abs(t) for t in scaled)
    if loc_range == 0:
        loc_range = 1
    if len(locs) < 2:
        scaled = scaled[:-2]
    rng_oom = int(math.floor(math.log10(loc_range)))
    sigfigs = max(0, 3 - rng_oom)
    thresh = 1e-3 * 10 ** rng_oom
    while sigfigs >= 0:
        if max(abs(t - round(t, sigfigs)) for t in scaled) < thresh:
            sigfigs -= 1
        else:
            break
    sigfigs += 1
    labels = []
    for t in locs:
        x = t / 10.0 ** oom
        if abs(x) < 1e-8:
            x = 0.0
        labels.append(_minus('%1.*f' % (sigfigs, x)))
    return labels, (_minus('1e%d' % oom) if oom else '')


def _minus(s):
    return s.replace('-', '\u2212')


def _fmt_value(v):
    """A tick label for a user-given tick without labels."""
    if float(v).is_integer():
        return _minus('%d' % v)
    return _minus('%g' % v)


# -- log axes: LogLocator (major: decades; minor: subs 'auto', 2..9 times a decade) and
# LogFormatterSciNotation, whose labels are mathtext, '$\\mathdefault{10^{-2}}$' (the renderer draws a
# superscript). Same numbers of ticks as matplotlib's: numticks = the axis' tick space clipped to 2..9.

def _decade_down(x, strict):
    """The largest power of 10 below x (or equal, unless strict)."""
    p = 10.0 ** math.floor(math.log10(x))
    return p / 10 if strict and p == x else p


def _decade_up(x, strict):
    p = 10.0 ** math.ceil(math.log10(x))
    return p * 10 if strict and p == x else p


def _log_nonsingular(vmin, vmax, minpos):
    """LogLocator.nonsingular: (1, 10) without positive data; a lone value widened to its decades."""
    if vmin > vmax:
        vmin, vmax = vmax, vmin
    if not (_finite(vmin) and _finite(vmax)) or vmax <= 0:
        return 1.0, 10.0
    if not _finite(minpos):
        minpos = 1e-300
    if vmin <= 0:
        vmin = minpos
    if vmin == vmax:
        vmin, vmax = _decade_down(vmin, True), _decade_up(vmax, True)
    return vmin, vmax


def _log_stride(log_vmin, log_vmax, numticks):
    numdec = math.floor(log_vmax) - math.ceil(log_vmin)
    stride = (numdec + 1) // numticks + 1
    if stride >= numdec:
        stride = max(1, numdec - 1)
    return numdec, stride


def _log_ticks(vmin, vmax, numticks, minor=False):
    """LogLocator.tick_values for base 10: the major ticks (every stride-th decade, one stride past each end)
    or the minor ones (2..9 times each decade; none past 10 decades or when majors skip decades; within one
    decade, where at most one would show, MaxNLocator's ticks instead)."""
    vmin, vmax = min(vmin, vmax), max(vmin, vmax)
    log_vmin, log_vmax = math.log10(vmin), math.log10(vmax)
    numdec, stride = _log_stride(log_vmin, log_vmax, numticks)
    if minor and numdec > 10:
        return []
    decades = range(math.floor(log_vmin) - stride, math.ceil(log_vmax) + 2 * stride, stride)
    if not minor:
        return [10.0 ** d for d in decades]
    if stride != 1:
        return []
    locs = [s * 10.0 ** d for d in decades for s in range(2, 10)]
    if sum(1 for t in locs if vmin <= t <= vmax) <= 1:
        return _nice_ticks(vmin, vmax, numticks)
    return locs


def _log_labels(locs, vmin, vmax):
    """LogFormatterSciNotation's labels for locs on a view of [vmin, vmax]: every decade; the other ticks
    only when the view spans at most one decade (2, 3, 4, 6 times a decade up to 0.4 decades: all)."""
    numdec = abs(math.log10(max(vmin, vmax)) - math.log10(min(vmin, vmax)))
    if numdec > 1:
        sub = {1}
    elif numdec > 0.4:
        sub = {1, 2, 3, 4, 6, 10}
    else:
        sub = set(range(1, 11))
    out = []
    for x in locs:
        if x == 0:
            out.append('$\\mathdefault{0}$')
            continue
        sign = '-' if x < 0 else ''
        x = abs(x)
        fx = math.log10(x)
        decade = math.isclose(fx, round(fx))
        exponent = round(fx) if decade else math.floor(fx)
        if round(10 ** (fx - exponent)) not in sub:
            out.append('')
        elif decade:
            out.append('$\\mathdefault{%s10^{%d}}$' % (sign, round(fx)))
        else:
            coeff = 10 ** (fx - exponent)
            if math.isclose(coeff, round(coeff)):
                coeff = round(coeff)
            out.append('$\\mathdefault{%s%g\\times10^{%d}}$' % (sign, coeff, exponent))
    return out
