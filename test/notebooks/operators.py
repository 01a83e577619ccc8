# Project-written notebook (issue 10, item 3): Python operators, in-place operators, elementwise functions,
# type promotion and Python-scalar rounding.

# %% setup
import torch
import torch.nn.functional as F


def err(f):
    """Runs f; prints `ExceptionType: first line of the message` when it raises."""
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', r)


a = torch.tensor([[1.0, -2.0, 3.5], [0.25, 4.0, -0.5]])
b = torch.tensor([2.0, 0.5, -4.0])
i = torch.tensor([[7, -3, 8], [5, 0, -9]])
j = torch.tensor([2, 3, -4])

# %% binary-float
print(a + b)
print(a - b)
print(a * b)
print(a / b)
print(a // b)
print(a % b)
print(a ** 2)
print(b ** b)
print(-a)
print(+a)

# %% binary-int
print(i + j)
print(i - j)
print(i * j)
print(i / j)
print(i // j)
print(i % j)
print(j ** 2)
print(-i)
print(abs(i))

# %% scalars-both-sides
print(a + 1, 1 + a, sep='\n')
print(a - 1, 1 - a, sep='\n')
print(a * 3, 3 * a, sep='\n')
print(a / 4, 4 / a, sep='\n')
print(a // 2, 7 // b, sep='\n')
print(a % 2, 7 % b, sep='\n')
print(a ** 0.5, 2 ** b, sep='\n')
print(i + 1, i * 2, i // 2, i % 4, 2 ** j.abs(), sep='\n')

# %% matmul
m = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
n = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -2.0]])
print(m @ n)
print(n @ m)
print(m @ torch.tensor([1.0, -1.0]))
print(torch.tensor([1.0, 2.0, 3.0]) @ m)
print(torch.tensor([1.0, 2.0]) @ torch.tensor([3.0, 4.0]))
print(m.matmul(n).shape, torch.matmul(m, n).shape, m.mm(n).shape)
print(torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[5, 6], [7, 8]]))

# %% comparisons
print(a > 0)
print(a >= 0.25)
print(a < b)
print(a <= b)
print(a == 4.0)
print(a != -0.5)
print(i == j)
print(0 < a)
print((a > 0) & (a < 3))
print((a > 3) | (a < 0))
print(~(a > 0))
print(a.eq(b), a.gt(0), sep='\n')

# %% in-place-operators
x = torch.tensor([1.0, 2.0, 3.0])
y = x
x += 1
print(x, y is x)
x -= torch.tensor([0.5, 0.5, 0.5])
print(x)
x *= 2
print(x)
x /= 4
print(x)
x **= 2
print(x)
k = torch.tensor([9, 8, 7])
k //= 2
print(k)
k %= 3
print(k)
k += 1
print(k)
k *= 3
print(k)
print(y)

# %% in-place-methods
x = torch.tensor([1.0, 4.0, 9.0])
print(x.add_(1), x.sub_(0.5), x.mul_(2), x.div_(3), sep='\n')
print(x.add(1, alpha=2), x.sub(torch.tensor(1.0), alpha=3), sep='\n')
x = torch.tensor([-1.5, 2.5])
x.clamp_(min=0)
print(x)
x.exp_()
print(x)
x.tanh_()
print(x)

# %% int-true-division-and-in-place-promotion
k = torch.tensor([1, 2, 3])
print(k / 2)
err(lambda: k.__itruediv__(2))
f = torch.tensor([1.0, 2.0])
f += torch.tensor([1, 2])
print(f)
err(lambda: torch.tensor([1, 2]).__iadd__(0.5))

# %% type-promotion
print((torch.tensor([1, 2]) + 0.5).dtype)
print((torch.tensor([1, 2]) + torch.tensor([0.5])).dtype)
print((torch.tensor([1.0], dtype=torch.float64) + torch.tensor([1.0])).dtype)
print((torch.tensor([1.0]) + torch.tensor(1.0, dtype=torch.float64)).dtype)
print((torch.tensor([1, 2]) * True).dtype)
print((torch.tensor([True]) + torch.tensor([True])).dtype)
print((torch.tensor([True]) + 1).dtype)
print((torch.tensor([True]) + 1.5).dtype)
print((torch.tensor([1, 2]) + torch.tensor(2.5, dtype=torch.float64)).dtype)
print((torch.tensor(1) + torch.tensor([1.0])).dtype)
print((torch.tensor([2]) ** 0.5).dtype, (torch.tensor([2]) ** 2).dtype)
print((torch.tensor([1.0], dtype=torch.float64) * torch.tensor([3])).dtype)
print((torch.tensor([True, False]) & torch.tensor([True, True])).dtype)
print(torch.tensor([1, 2, 3]).sum().dtype, torch.tensor([True, True]).sum().dtype)
print(torch.tensor([True, True]).sum())

# %% python-scalar-rounding
t = torch.tensor([3.0], dtype=torch.float32)
print((t * 0.1).item())
print((t * torch.tensor(0.1, dtype=torch.float64)).item())
print((t.double() * 0.1).item())
print((t + 1e-8).item() == 3.0)
print((torch.tensor([1.0]) / 3).item())
print((torch.tensor([1.0], dtype=torch.float64) / 3).item())
print((1.0 / torch.tensor([3.0])).item())
print((torch.tensor([0.1]) + 0.2).item())
print((torch.tensor([16777216.0]) + 1).item())
print((torch.tensor([2.0]) ** 0.5).item())
print((torch.tensor([7]) * 0.1).item())

# %% elementwise-functions
x = torch.tensor([0.5, 1.0, 2.0, 4.0])
print(torch.tanh(x), torch.log(x), torch.log10(x), torch.sqrt(x), sep='\n')
print(x.tanh(), x.log(), x.log10(), x.sqrt(), x.square(), sep='\n')
print(x.pow(2), x.pow(0.5), x.pow(torch.tensor([1.0, 2.0, 3.0, 0.0])), torch.tensor([-1.5, 2.0]).abs(), sep='\n')
print(torch.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1))
print(torch.tensor([-2.0, 0.5, 3.0]).clamp(min=0))
print(torch.tensor([-2.0, 0.5, 3.0]).clamp(max=0))
print(torch.tensor([-5, 0, 5]).clamp(-1, 2))
print(torch.tensor([1, 4, 9]).sqrt())
print(torch.tensor([1, 2]).exp())
print(F.tanh(x))

# %% exact-values
x = torch.tensor([0.1, 0.7, 1.3, -2.2], dtype=torch.float32)
for name in ('tanh', 'sqrt', 'square', 'abs'):
    v = getattr(x.abs() if name in ('sqrt',) else x, name)()
    print(name, v.tolist())
print('log', x.abs().log().tolist())
print('log10', x.abs().log10().tolist())
print('pow3', x.pow(3).tolist())
print('div', (x / 3).tolist())
print('recip', (1.0 / x).tolist())

# %% exp
x = torch.tensor([0.1, 0.7, 1.3, -2.2, 0.5, 1.0, 2.0, 4.0])
print(torch.exp(x).tolist())
print(x.exp().tolist())
print(x.double().exp().tolist())

# %% torch-all-allclose
print(torch.all(torch.tensor([True, True])), torch.all(torch.tensor([1, 0])))
print(torch.tensor([[True, False], [True, True]]).all())
print(torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-6])))
print(torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])))
print(torch.allclose(torch.tensor([1.0]), torch.tensor([1.001]), rtol=1e-2))
print(torch.tensor([1.0]).allclose(torch.tensor([1.0])))
print(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])))
