# Project-written notebook (issue 10, item 3): random functions on seeded generators (PyTorch 1.13's CPU
# streams): randn, rand, randint, multinomial, torch.manual_seed, torch.Generator.

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

# %% generator-randn
g = torch.Generator().manual_seed(2147483647)
print(torch.randn(3, generator=g))
print(torch.randn((2, 4), generator=g))
print(torch.randn(27, 10, generator=g)[:2])
print(torch.randn(20, generator=g))
print(torch.randn(2, 3, generator=g, dtype=torch.float64))
print(g.initial_seed())

# %% generator-rand
g = torch.Generator().manual_seed(42)
print(torch.rand(5, generator=g))
print(torch.rand(2, 3, generator=g))
print(torch.rand(17, generator=g).tolist()[-3:])
print(torch.rand(3, generator=g, dtype=torch.float64))

# %% randint
g = torch.Generator().manual_seed(7)
print(torch.randint(0, 10, (12,), generator=g))
print(torch.randint(5, (3, 4), generator=g))
print(torch.randint(-3, 3, (6,), generator=g))
print(torch.randint(0, 32033, (32,), generator=g))
print(torch.randint(0, 10, (2,), generator=g).dtype)

# %% multinomial
g = torch.Generator().manual_seed(2147483647)
p = torch.tensor([0.1, 0.2, 0.3, 0.4])
print(torch.multinomial(p, num_samples=10, replacement=True, generator=g))
print(torch.multinomial(p, 1, replacement=True, generator=g))
print(torch.multinomial(p, 3, replacement=False, generator=g))
print(p.multinomial(5, replacement=True, generator=g))
P = torch.tensor([[0.5, 0.5, 0.0], [0.0, 0.1, 0.9]])
print(torch.multinomial(P, 4, replacement=True, generator=g))
counts = torch.tensor([3.0, 1.0, 0.0, 6.0])
print(torch.multinomial(counts, 20, replacement=True, generator=g))

# %% manual-seed-global
torch.manual_seed(1337)
a = torch.randn(4)
b = torch.rand(2)
c = torch.randint(0, 100, (5,))
torch.manual_seed(1337)
print(a, b, c, sep='\n')
print(torch.equal(a, torch.randn(4)), torch.equal(b, torch.rand(2)), torch.equal(c, torch.randint(0, 100, (5,))))
print(torch.initial_seed())

# %% sampling-loop
g = torch.Generator().manual_seed(2147483647 + 10)
P = torch.tensor([[0.05, 0.6, 0.35], [0.7, 0.1, 0.2], [0.3, 0.3, 0.4]])
out = []
ix = 0
for _ in range(15):
    ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
    out.append(ix)
print(out)

# %% lecture-init
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 64), generator=g) * (5 / 3) / (30 ** 0.5)
b1 = torch.randn(64, generator=g) * 0.1
print(C[0], W1[0, :5], b1[:5], sep='\n')
ix = torch.randint(0, 1000, (32,), generator=g)
print(ix)

# %% generator-errors
err(lambda: torch.multinomial(torch.tensor([0.5, 0.5]), 3, replacement=False))
err(lambda: torch.randint(5, 2, (3,)))
err(lambda: torch.multinomial(torch.tensor([-1.0, 2.0]), 1))

# %% normal-tensor-arguments
# torch.normal with a tensor mean and/or std: the broadcast shape drawn as normal_(0, 1) (or (0, std)), then
# * std, + mean; 20 elements take the 16-block kernel, 5 the scalar path
torch.manual_seed(0)
print(torch.normal(torch.arange(20.), torch.ones(20) * 2))
torch.manual_seed(0)
print(torch.normal(torch.arange(5.), torch.ones(5) * 2))
torch.manual_seed(0)
print(torch.normal(torch.arange(5.), 0.5))
torch.manual_seed(0)
print(torch.normal(2., torch.ones(3, 6, dtype=torch.float64)))
torch.manual_seed(0)
print(torch.normal(torch.zeros(2, 1), torch.ones(3)))
print(torch.broadcast_shapes((2, 1), (3,)))
err(lambda: torch.broadcast_shapes((2,), (3,)))
err(lambda: torch.normal(torch.zeros(2), torch.ones(3)))
err(lambda: torch.normal(torch.zeros(2, 3), torch.ones(4, 5)))  # infer_size names the last mismatch
err(lambda: torch.normal(torch.zeros(2), -1.0))
