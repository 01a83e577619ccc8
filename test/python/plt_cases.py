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


CASES = {f.__name__: f for f in (plot3, loss200, hist50, imshow_lecture, negative, large, tiny, log_lr, grid2x2,
                                 single_point)}
