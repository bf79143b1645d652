"""Scripts to take home: the lab's net as a self-contained Python file a learner can run.

`vgtutor lab --script numpy|pytorch` prints one. It draws the lab's initial weights and
batch with numpy from the same seed, runs one forward and backward pass (by hand in the
numpy script, with autograd and retain_grad in the PyTorch one) and prints each layer's
||dL/dW|| and ||dL/dh|| in the lab's order and units, in full precision, so the learner can
check the lab against their own code and carry the two measurements into it.
"""

from __future__ import annotations

from string import Template

from lessons.lab.config import NetConfig

SCRIPT_KINDS = ("numpy", "pytorch")

_INITS = {
    "small": "    return 0.01 * rng.standard_normal((fan_in, fan_out))  # N(0, 0.01^2)",
    "standard": "    return rng.standard_normal((fan_in, fan_out))  # N(0, 1)",
    "xavier": (
        "    # Glorot & Bengio 2010: N(0, 2 / (fan_in + fan_out))\n"
        "    return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))"
    ),
    "he": (
        "    # He et al. 2015: N(0, 2 / fan_in), the 2 making up for ReLU's zeroed half\n"
        "    return np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))"
    ),
    "orthogonal": (
        "    # orthonormal rows or columns (Saxe et al. 2014): QR of a Gaussian matrix, signs\n"
        "    # fixed by diag(R) so the result is uniformly distributed\n"
        "    tall, short = max(fan_in, fan_out), min(fan_in, fan_out)\n"
        "    q, r = np.linalg.qr(rng.standard_normal((tall, short)))\n"
        "    q *= np.where(np.diag(r) < 0, -1.0, 1.0)\n"
        "    return q if fan_in >= fan_out else q.T"
    ),
}

_NUMPY_ACTIVATIONS = {
    "sigmoid": (
        "    s = 1.0 / (1.0 + np.exp(-x))\n"
        "    return s, s * (1.0 - s)  # s' = s (1 - s), at most 0.25"
    ),
    "tanh": "    t = np.tanh(x)\n    return t, 1.0 - t * t  # at most 1, near 0 for large |x|",
    "relu": "    return np.maximum(x, 0.0), (x > 0).astype(float)  # slope 1 or 0",
    "leaky_relu": "    return np.where(x > 0, x, SLOPE * x), np.where(x > 0, 1.0, SLOPE)",
    "elu": (
        "    below = ALPHA * np.expm1(np.minimum(x, 0.0))\n"
        "    return np.where(x > 0, x, below), np.where(x > 0, 1.0, below + ALPHA)"
    ),
    "gelu": (
        "    # exact GELU: x Phi(x), Phi the standard normal CDF; f' = Phi(x) + x phi(x)\n"
        "    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))\n"
        "    return x * cdf, cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)"
    ),
    "silu": "    s = 1.0 / (1.0 + np.exp(-x))\n    return x * s, s * (1.0 + x * (1.0 - s))",
    "linear": "    return x, np.ones_like(x)",
}

_TORCH_ACTIVATIONS = {
    "sigmoid": "torch.sigmoid(x)",
    "tanh": "torch.tanh(x)",
    "relu": "torch.relu(x)",
    "leaky_relu": "torch.nn.functional.leaky_relu(x, SLOPE)",
    "elu": "torch.nn.functional.elu(x, ALPHA)",
    "gelu": "torch.nn.functional.gelu(x)  # the exact, erf-based GELU",
    "silu": "torch.nn.functional.silu(x)",
    "linear": "x",
}

_HEADER = Template('''\
"""The vgtutor lab's net, one forward and backward pass, written out with $library.

Settings: $activation, $init init, depth $depth, width $width, batch $batch, $fix, seed $seed.
It prints, for every weight matrix from the input layer up, the weight gradient
||dL/dW_l|| and the backward signal ||dL/dh_l|| (Frobenius norms over the whole batch;
the output layer has no h) -- the numbers `vgtutor lab` draws, in full precision.
"""

import math

import numpy as np
$imports
ACTIVATION = "$activation"
DEPTH, WIDTH, IN_DIM, BATCH, SEED = $depth, $width, $in_dim, $batch, $seed
BATCHNORM, RESIDUAL = $batchnorm, $residual
SLOPE, ALPHA = $leaky_slope, $elu_alpha  # leaky ReLU's slope, ELU's alpha
BN_EPS = 1e-5


def init_weight(fan_in, fan_out, rng):
    """One (fan_in, fan_out) matrix, drawn as the lab draws it ($init)."""
$init_code


# The lab's data: X ~ N(0, 1) from a stream independent of the weights', labelled
# y = 1[x0 + x1 > 0] so the gradient carries information about the inputs.
data_rng = np.random.default_rng([SEED, 1])
X = data_rng.standard_normal((BATCH, IN_DIM))
y = (X[:, :2].sum(axis=1) > 0).astype(float)

# The lab's initial weights: every layer's W in turn from one generator; biases 0,
# batch-norm scales 1 and shifts 0.
rng = np.random.default_rng(SEED)
sizes = [IN_DIM] + [WIDTH] * DEPTH + [1]
weights = [init_weight(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:])]
biases = [np.zeros(b) for b in sizes[1:]]


def frobenius(a):
    """||a|| over all entries, rescaled first so tiny (or huge) entries do not underflow."""
    peak = float(np.max(np.abs(a)))
    if peak == 0.0 or not math.isfinite(peak):
        return peak
    return peak * float(np.linalg.norm(a / peak))
''')

_NUMPY_BODY = '''

def activation(x):
    """(f(x), f'(x)): the backward pass multiplies by f' at every layer."""
$activation_code


# Forward pass, keeping what the backward pass needs.
h, inputs, slopes, norms = X, [], [], []
for layer in range(1, DEPTH + 1):
    inputs.append(h)
    z = h @ weights[layer - 1] + biases[layer - 1]
    if BATCHNORM:  # normalize every unit over the batch (scale 1, shift 0 at the start)
        centred = z - z.mean(axis=0)
        inv_std = 1.0 / np.sqrt((centred * centred).mean(axis=0) + BN_EPS)
        z = centred * inv_std
        norms.append((z, inv_std))
    f, slope = activation(z)
    slopes.append(slope)
    h = h + f if RESIDUAL and layer >= 2 else f
inputs.append(h)
logits = (h @ weights[-1] + biases[-1])[:, 0]

# Mean binary cross-entropy of sigmoid(logits): its gradient is (sigmoid(z) - y) / batch.
loss = np.mean(np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits))))
grad = ((1.0 / (1.0 + np.exp(-logits)) - y) / BATCH)[:, None]  # dL/dlogits

# Backward pass, output layer first: one local factor per layer.
weight_grads, signal_grads = [None] * (DEPTH + 1), [None] * DEPTH
for layer in range(DEPTH + 1, 0, -1):
    if layer <= DEPTH:
        signal_grads[layer - 1] = grad  # dL/dh_l
        upstream = grad
        grad = grad * slopes[layer - 1]  # stage 1: the activation's slope
        if BATCHNORM:  # stage 2: back through batch norm (the mean terms come from the batch)
            normalized, inv_std = norms[layer - 1]
            grad = inv_std * (
                grad - grad.mean(axis=0) - normalized * (grad * normalized).mean(axis=0)
            )
    weight_grads[layer - 1] = inputs[layer - 1].T @ grad  # dL/dW_l
    grad = grad @ weights[layer - 1].T  # stage 3: back through the weights
    if RESIDUAL and 2 <= layer <= DEPTH:
        grad = grad + upstream  # the identity path of h_l = h_(l-1) + f(...)
'''

_TORCH_BODY = """

def activation(x):
    return $activation_code


# The same numbers as torch tensors; autograd does the backward pass.
X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
W = [torch.tensor(w, requires_grad=True) for w in weights]
b = [torch.tensor(v, requires_grad=True) for v in biases]

h, hidden = X_t, []
for layer in range(1, DEPTH + 1):
    z = h @ W[layer - 1] + b[layer - 1]
    if BATCHNORM:  # batch statistics, biased variance, as in training mode
        z = (z - z.mean(dim=0)) / torch.sqrt(z.var(dim=0, unbiased=False) + BN_EPS)
    f = activation(z)
    h = h + f if RESIDUAL and layer >= 2 else f
    h.retain_grad()  # keep dL/dh_l: autograd frees gradients of non-leaf tensors otherwise
    hidden.append(h)
logits = (h @ W[-1] + b[-1])[:, 0]
loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y_t)
loss.backward()
loss = loss.item()
weight_grads = [w.grad.numpy() for w in W]  # dL/dW_l
signal_grads = [t.grad.numpy() for t in hidden]  # dL/dh_l
"""

_REPORT = """
print(f"loss {float(loss)!r}")
print("layer ||dL/dW|| ||dL/dh||")
for layer in range(1, DEPTH + 2):
    name = "out" if layer > DEPTH else f"L{layer}"
    signal = "-" if layer > DEPTH else repr(frobenius(signal_grads[layer - 1]))
    print(name, repr(frobenius(weight_grads[layer - 1])), signal)
"""


def take_home_script(cfg: NetConfig, kind: str) -> str:
    """The script for `cfg` (its batch and in_dim included) in `kind`: numpy or pytorch."""
    if kind not in SCRIPT_KINDS:
        raise ValueError(f"script: must be one of {', '.join(SCRIPT_KINDS)}; got {kind!r}")
    if cfg.layernorm:
        raise ValueError("layernorm: the take-home scripts have no layer norm yet")
    torch = kind == "pytorch"
    fields = {
        "library": "PyTorch autograd (torch)" if torch else "numpy only, backprop by hand",
        "imports": "import torch\n\ntorch.set_default_dtype(torch.float64)\n" if torch else "",
        "activation": cfg.activation,
        "init": cfg.init,
        "init_code": _INITS[cfg.init],
        "fix": "no fix" if cfg.fix == "none" else cfg.fix,
        "depth": cfg.depth,
        "width": cfg.width,
        "in_dim": cfg.in_dim,
        "batch": cfg.batch,
        "seed": cfg.seed,
        "batchnorm": cfg.batchnorm,
        "residual": cfg.residual,
        "leaky_slope": repr(cfg.leaky_slope),
        "elu_alpha": repr(cfg.elu_alpha),
    }
    body = _TORCH_BODY if torch else _NUMPY_BODY
    table = _TORCH_ACTIVATIONS if torch else _NUMPY_ACTIVATIONS
    fields["activation_code"] = table[cfg.activation]
    return _HEADER.substitute(fields) + Template(body).substitute(fields) + _REPORT
