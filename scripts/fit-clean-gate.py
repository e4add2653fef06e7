#!/usr/bin/env python3
"""Fits the clean-input gate (src/core/stage1/clean-input-gate.ts) on bench/clean-gate-data.ts's samples.

  python3 scripts/fit-clean-gate.py build/clean-gate/syn7.json ... [--out models/lway-degradation/x4/clean-gate.json]

Label: clean = tone+ibp of the unadapted output beats tone alone in PSNR and raises LPIPS by less than 0.01.
Model: logistic regression (Newton, L2 0.01) on the standardised embedding projected on its first 16 principal
components, folded into one weight vector over the raw embedding so the runtime is a dot product. 16 components
and L2 0.01: best 5-fold accuracy on the samples among 4-64 and 1e-3-1e-1 (within 0.01 from 16 up). numpy only,
so it runs wherever the repository's Python benches do; the fit is a few hundred lines of linear algebra that
TF.js offers no SVD for.
"""
import argparse
import json

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('samples', nargs='+')
ap.add_argument('--out', default='models/lway-degradation/x4/clean-gate.json')
ap.add_argument('--components', type=int, default=16)
ap.add_argument('--l2', type=float, default=0.01)
a = ap.parse_args()

rows = [r for f in a.samples for r in json.load(open(f))]
X = np.array([r['embedding'] for r in rows], dtype=np.float64)
gain = np.array([r['toneIbp']['psnr'] - r['tone']['psnr'] for r in rows])
dlp = np.array([r['toneIbp']['lpips'] - r['tone']['lpips'] for r in rows])
y = ((gain > 0) & (dlp < 0.01)).astype(float)


def fit(Z, y, V, lam):
    A = np.c_[Z @ V, np.ones(len(Z))]
    w = np.zeros(A.shape[1])
    reg = lam * np.eye(A.shape[1])
    reg[-1, -1] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-A @ w))
        g = A.T @ (p - y) / len(y) + reg @ w
        H = (A.T * (p * (1 - p))) @ A / len(y) + reg + 1e-9 * np.eye(A.shape[1])
        w -= np.linalg.solve(H, g)
    return w


mu, sd = X.mean(0), X.std(0) + 1e-6
Z = (X - mu) / sd
V = np.linalg.svd(Z, full_matrices=False)[2][: a.components].T
idx = np.random.default_rng(0).permutation(len(y))
acc = []
for fold in np.array_split(idx, 5):
    train = np.setdiff1d(idx, fold)
    w = fit(Z[train], y[train], V, a.l2)
    p = 1 / (1 + np.exp(-(np.c_[Z[fold] @ V, np.ones(len(fold))] @ w)))
    acc.append(((p >= 0.5) == y[fold]).mean())
w = fit(Z, y, V, a.l2)
weights = (V @ w[:-1]) / sd
bias = w[-1] - mu @ weights
presets = sorted({r['preset'] for r in rows})
print(f'{len(rows)} samples, clean {y.mean():.3f}; 5-fold accuracy {np.mean(acc):.3f}')
for p in presets:
    m = np.array([r['preset'] == p for r in rows])
    pred = 1 / (1 + np.exp(-(X[m] @ weights + bias))) >= 0.5
    print(f'  {p:16s} clean label {y[m].mean():.2f}  judged clean {pred.mean():.2f}')
json.dump(
    {
        'format': 'lway-clean-gate/1',
        'weights': [round(float(v), 7) for v in weights],
        'bias': round(float(bias), 7),
        'threshold': 0.5,
        'fitted': {
            'samples': len(rows),
            'files': a.samples,
            'label': 'clean = tone+ibp of the unadapted output beats tone in PSNR, LPIPS-alex up by < 0.01',
            'model': f'logistic regression on {a.components} principal components of the standardised '
            f'embedding, L2 {a.l2}, folded into one weight vector',
            'crossValidatedAccuracy': round(float(np.mean(acc)), 3),
        },
    },
    open(a.out, 'w'),
)
print('wrote', a.out)
