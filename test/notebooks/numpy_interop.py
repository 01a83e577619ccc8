# Project-written notebook (issue 18, item 2): numpy with torch (torch.from_numpy and Tensor.numpy() share
# memory, torch.tensor copies, torch.as_tensor shares; dtypes map both ways), matplotlib taking arrays, and the
# numpy lines of the micrograd lectures.

# %% setup
import math
import numpy as np
import torch
import matplotlib.pyplot as plt


def err(f):
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', repr(r))


# %% torch
a = np.array([1.0, 2.0, 3.0])
t = torch.from_numpy(a)
t[0] = 10
a[1] = 20
print(t, a, t.dtype)
n = torch.arange(4).numpy()
print(repr(n), n.dtype)
u = torch.tensor([1.5, 2.5])
un = u.numpy()
un[0] = -1
print(u, repr(un))
print(torch.tensor(np.arange(3)), torch.tensor(np.ones(2, dtype=np.float32)), torch.tensor(np.array([True, False])))
c = torch.tensor(a)
c[0] = 0
s = torch.as_tensor(a)
s[2] = 30
print(a, c, s.dtype)
print(torch.tensor(np.float64(2.5)), torch.tensor(np.int64(3)), torch.from_numpy(np.zeros((2, 2))).shape)
print(repr(np.array(torch.tensor([1.0, 2.0]))), repr(np.asarray(torch.tensor([[1, 2]]))), repr(torch.ones(2).numpy() * 2))
g = torch.ones(2, requires_grad=True)
err(lambda: g.numpy())
print(repr(g.detach().numpy()), repr(np.array(g.detach())))
err(lambda: torch.from_numpy([1, 2]))
i32 = torch.from_numpy(np.arange(3, dtype=np.int32))
print(i32, torch.tensor(np.arange(2, dtype=np.uint8)), repr(torch.arange(3, dtype=torch.int32).numpy()), repr(torch.ones(2, dtype=torch.float16).numpy()))
print(repr(np.asarray(torch.tensor([1, 2], dtype=torch.int8))), torch.tensor(np.float32(0.5)), torch.as_tensor(np.arange(2, dtype=np.int16)))
err(lambda: np.array(torch.tensor([1.5], dtype=torch.bfloat16)))
print(torch.tensor(np.arange(6).reshape(2, 3)) @ torch.ones(3, dtype=torch.int64), np.arange(3) + torch.tensor(1).item())

# %% plt
xs = np.arange(-5, 5, 0.25)
ys = 3 * xs ** 2 - 4 * xs + 5
lines = plt.plot(xs, ys)
print(len(lines), np.asarray(lines[0].get_xdata())[:3], np.asarray(lines[0].get_ydata())[-2:])
img = plt.imshow(np.arange(12).reshape(3, 4) / 11, cmap='gray')
print(np.asarray(img.get_array())[1])
counts, edges, _ = plt.hist(np.random.RandomState(0).randn(1000), 20)
print(int(sum(counts)), len(edges))
plt.close('all')

# %% micrograd
def f(x):
    return 3 * x ** 2 - 4 * x + 5


print(f(3.0))
xs = np.arange(-5, 5, 0.25)
ys = f(xs)
print(repr(ys))
plt.plot(xs, ys)
plt.plot(np.arange(-5, 5, 0.2), np.tanh(np.arange(-5, 5, 0.2))); plt.grid();
h = 0.0001
x = 2 / 3
print((f(x + h) - f(x)) / h)
a, b, c = 2.0, -3.0, 10.0
d1 = a * b + c
print(d1, math.exp(2 * 0.8814) - 1, np.tanh(0.8814))
plt.close('all')
