"""Ticks: matplotlib's MaxNLocator (steps 1, 2, 2.5, 5, 10) and ScalarFormatter, as functions of the view
interval (their algorithms, without the classes)."""

import math
import sys

from matplotlib.cbook import _finite

_EXTENDED_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20]


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


def _nice_ticks(vmin, vmax, nbins, min_n_ticks=2):
    """Tick locations for the view interval [vmin, vmax], by matplotlib's MaxNLocator._raw_ticks: the
    smallest 'nice' step (1, 2, 2.5, 5 or 10 times a power of ten) giving at most nbins intervals, stepping
    down while fewer than min_n_ticks ticks would be visible. May include one tick past each end."""
    vmin, vmax = _nonsingular(min(vmin, vmax), max(vmin, vmax), expander=1e-13, tiny=1e-14)
    scale, offset = _scale_range(vmin, vmax, nbins)
    _vmin, _vmax = vmin - offset, vmax - offset
    raw_step = (_vmax - _vmin) / nbins
    steps = [s * scale for s in _EXTENDED_STEPS]
    istep = next((i for i, s in enumerate(steps) if s >= raw_step), len(steps) - 1)
    if offset > 0:
        tol = lambda step: min(0.4999, max(1e-10, 10 ** (math.log10(offset / step) - 12)))  # noqa: E731
    else:
        tol = lambda step: 1e-10  # noqa: E731
    ticks = []
    for step in reversed(steps[:istep + 1]):
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
