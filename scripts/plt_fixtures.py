"""Records what matplotlib itself draws for a few figures, for test/python/test_pyplot.py: the figure size,
view limits, visible major and minor tick locations, their labels and the 1eN offset text of every Axes. Run with a Python that has
matplotlib (Debian's: /usr/bin/python3 scripts/plt_fixtures.py); writes test/fixtures/plt_ticks.json.
The cases are the same calls test_pyplot.py makes through our pyplot (the CASES source is shared)."""

import json
import os
import sys

import matplotlib

matplotlib.use('svg')
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'test', 'python'))
from plt_cases import CASES  # noqa: E402


def record(fig):
    fig.canvas.draw()
    out = []
    for ax in fig.axes:
        row = {'xlim': list(map(float, ax.get_xlim())), 'ylim': list(map(float, ax.get_ylim()))}
        for name, axis, lim in (('x', ax.xaxis, ax.get_xlim()), ('y', ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(lim)
            eps = 1e-10 * (hi - lo)
            if axis.get_scale() == 'log':  # a relative tolerance: the view may span many decades
                lo, hi, eps = lo * (1 - 1e-10), hi * (1 + 1e-10), 0.0
            ticks = [(float(t), lab.get_text()) for t, lab in zip(axis.get_majorticklocs(),
                                                                  axis.get_majorticklabels())
                     if lo - eps <= t <= hi + eps]
            row[name + 'ticks'] = [t for t, _ in ticks]
            row[name + 'labels'] = [s for _, s in ticks]
            row[name + 'offset'] = axis.get_major_formatter().get_offset()
            minor = [(float(t), lab.get_text()) for t, lab in zip(axis.get_minorticklocs(),
                                                                  axis.get_minorticklabels())
                     if lo - eps <= t <= hi + eps]
            row[name + 'minor'] = [t for t, _ in minor]
            row[name + 'minorlabels'] = [s for _, s in minor]
        out.append(row)
    return {'size': list(map(float, fig.get_size_inches())), 'axes': out}


def main():
    res = {'matplotlib': matplotlib.__version__, 'cases': {}}
    for name, fn in CASES.items():
        plt.close('all')
        fig = fn(plt)
        res['cases'][name] = record(fig)
    path = os.path.join(HERE, '..', 'test', 'fixtures', 'plt_ticks.json')
    with open(path, 'w') as f:
        f.write('{"matplotlib": %s, "cases": {\n' % json.dumps(res['matplotlib']))
        f.write(',\n'.join(f' {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}' for k, v in res['cases'].items()))
        f.write('\n}}\n')
    print('wrote', os.path.normpath(path), len(res['cases']), 'cases')


if __name__ == '__main__':
    main()
