"""Figures drawn both by matplotlib (scripts/plt_fixtures.py records its ticks) and by our pyplot
(test_pyplot.py compares). Each case takes a pyplot module and returns the figure; data is deterministic
and plain Python so that both sides see the same numbers."""

import math


def _loss():
    return [3.3 * math.exp(-i / 40) + 2.0 + 0.15 * math.sin(i * 1.7) ** 2 for i in range(200)]


def _tanh():
    # a U-shaped activation histogram like the lecture's, from a deterministic sequence
    return [math.tanh(4 * math.sin(i * 0.7331)) for i in range(6400)]


def plot3(plt):
    plt.figure()
    plt.plot([1, 2, 3])
    return plt.gcf()


def loss200(plt):
    plt.figure()
    plt.plot(_loss())
    return plt.gcf()


def hist50(plt):
    plt.figure()
    plt.hist(_tanh(), 50)
    return plt.gcf()


def imshow_lecture(plt):
    plt.figure(figsize=(4, 4))
    plt.imshow([[((i * 27 + j) % 7) / 7 - 0.5 for j in range(27)] for i in range(32)], cmap='gray')
    return plt.gcf()


def negative(plt):
    plt.figure()
    plt.plot([-3.0, 7.0], [-0.013, 0.021])
    return plt.gcf()


def large(plt):
    plt.figure()
    plt.plot([0, 1e5, 2e5], [1.5e7, 2.5e7, 3.1e7])
    return plt.gcf()


def tiny(plt):
    plt.figure()
    plt.plot([0.0, 1.0], [2e-6, 8.5e-6])
    return plt.gcf()


def log_lr(plt):
    plt.figure(figsize=(8, 3))
    lre = [-3 + 3 * i / 999 for i in range(1000)]
    plt.plot(lre, [2.2 + (x + 1) ** 2 for x in lre])
    return plt.gcf()


def grid2x2(plt):
    fig, axs = plt.subplots(2, 2, figsize=(8, 6))
    axs[0, 0].plot([0, 10], [0, 1])
    axs[0, 1].hist([0.5, 1.5, 1.7, 2.2, 9.9], bins=5)
    axs[1, 0].plot([100, 101], [-1, 1])
    axs[1, 1].imshow([[0, 1, 2], [3, 4, 5]])
    return fig


def single_point(plt):
    plt.figure()
    plt.plot([5.0], [5.0], 'o')
    return plt.gcf()


# -- log axes (decade ticks labelled 10^k, minor ticks; a view within a decade labels its minor ticks)

def semilogy_decades(plt):
    plt.figure()
    plt.semilogy([10 ** (-i / 20) for i in range(100)])
    return plt.gcf()


def yscale_loss(plt):
    plt.figure()
    plt.plot(_loss())
    plt.yscale('log')
    return plt.gcf()


def semilogx_lr(plt):
    # the lecture's learning-rate search, on a log x axis
    plt.figure()
    lrs = [10 ** (-3 + 3 * i / 999) for i in range(1000)]
    plt.semilogx(lrs, [2.2 + (math.log10(lr) + 1) ** 2 for lr in lrs])
    return plt.gcf()


def loglog_wide(plt):
    plt.figure()
    xs = [1e-3 * 1.5 ** i for i in range(60)]
    plt.loglog(xs, [x ** 0.5 for x in xs])
    return plt.gcf()


def log_nonpositive(plt):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2, 3], [0, 10, 100, 1000])
    ax.set_yscale('log')
    return fig


def log_third_decade(plt):
    plt.figure()
    plt.plot([1, 2], [2.0, 3.0])
    plt.yscale('log')
    return plt.gcf()


def log_back_to_linear(plt):
    plt.figure()
    plt.plot([1, 2, 3], [1, 10, 100])
    plt.yscale('log')
    plt.yscale('linear')
    return plt.gcf()


def hist_log(plt):
    plt.figure()
    plt.hist(_tanh(), 50, log=True)
    return plt.gcf()


# -- axhline / axvline: they span the axes; their value autoscales only when outside the view when drawn

def axlines_loss(plt):
    plt.figure()
    plt.plot(_loss())
    plt.axhline(2.0, color='r', linestyle='--', label='floor')
    plt.axvline(100, color='k', alpha=0.5)
    return plt.gcf()


def axhline_outside(plt):
    plt.figure()
    plt.plot([1, 2, 3])
    plt.axhline(0, color='gray', lw=0.5)
    return plt.gcf()


def axhline_in_margin(plt):
    plt.figure()
    plt.plot([0, 1])
    plt.axhline(1.03)
    return plt.gcf()


def axlines_then_plot(plt):
    fig, ax = plt.subplots()
    ax.axhline(0.5)
    ax.axvline(-3)
    ax.plot([1, 2], [2, 3])
    return fig


def axlines_alone(plt):
    plt.figure()
    plt.axhline(5)
    plt.axvline(0.5)
    return plt.gcf()


# -- matshow: a figure shaped like the matrix, integer ticks, column numbers on top

def matshow_wide(plt):
    plt.matshow([[(i * 8 + j) % 5 for j in range(8)] for i in range(5)])
    return plt.gcf()


def matshow_tall(plt):
    plt.matshow([[(i + j) % 3 for j in range(4)] for i in range(30)], cmap='gray')
    return plt.gcf()


def matshow_square(plt):
    plt.matshow([[i * j for j in range(27)] for i in range(27)])
    return plt.gcf()


# -- bar/barh with strings: a category axis (positions 0, 1, ... in first-seen order)

def bar_categories(plt):
    plt.figure()
    plt.bar(['a', 'b', 'c'], [3, 1, 2])
    return plt.gcf()


def barh_categories(plt):
    plt.figure()
    plt.barh(['x', 'y'], [5, 7])
    return plt.gcf()


def bar_categories_twice(plt):
    plt.figure()
    plt.bar(['b', 'a'], [1, 2])
    plt.bar(['c', 'a'], [1, 1], bottom=[0, 2])
    return plt.gcf()


def bar_letters(plt):
    # a learner's bigram counts: one bar per letter
    plt.figure(figsize=(12, 4))
    letters = [chr(ord('a') + i) for i in range(26)]
    plt.bar(letters, [(i * 7) % 11 + 1 for i in range(26)])
    return plt.gcf()


def plot_categories(plt):
    plt.figure()
    plt.plot(['mon', 'tue', 'wed'], [3, 1, 2])
    plt.scatter(['tue', 'thu'], [2, 2])
    return plt.gcf()


CASES = {f.__name__: f for f in (plot3, loss200, hist50, imshow_lecture, negative, large, tiny, log_lr, grid2x2,
                                 single_point, semilogy_decades, yscale_loss, semilogx_lr, loglog_wide,
                                 log_nonpositive, log_third_decade, log_back_to_linear, hist_log, axlines_loss,
                                 axhline_outside, axhline_in_margin, axlines_then_plot, axlines_alone,
                                 matshow_wide, matshow_tall, matshow_square, bar_categories, barh_categories,
                                 bar_categories_twice, bar_letters, plot_categories)}
