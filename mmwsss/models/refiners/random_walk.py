"""Random walk on AffinityNet's affinities (PSA) as a score refiner."""
from __future__ import annotations

from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F
from mmseg.registry import MODELS

from mmwsss.functional.affinity_ops import (dense_from_graph,
                                            feature_graph,
                                            graph_random_walk, random_walk,
                                            transition_matrix)
from .base import ScoreRefiner


@MODELS.register_module()
class AffinityRandomWalk(ScoreRefiner):
    """Propagate class scores along a trained
    :class:`~mmwsss.models.AffinityNet`'s affinities (PSA's
    ``infer_aff.py``).

    ``refiner(img HxWx3 uint8 RGB, scores (K, H, W)) -> (K, H, W)``: the
    image is pre-processed by the model's data pre-processor and
    zero-padded to a multiple of ``pad_to`` (and, for images smaller than
    PSA's pair crop, to ``radius x (2 radius - 1)`` cells), the dense
    affinity of the embedding grid is raised to ``beta`` (8),
    column-normalised and squared ``logt`` times (PSA 8,
    HFPL 6) (:func:`~mmwsss.functional.affinity_ops.transition_matrix`);
    the scores - with background first, e.g. ``(1 - max)^alpha`` from
    ``make_pseudo_labels(bg_alpha=...)`` - are zero-padded likewise,
    average-pooled to the grid, walked, upsampled by the stride (bilinear)
    and cropped. Classes without scores stay at 0, so absent classes
    never appear.

    ``mode='sparse'`` (default) applies the sparse transition matrix
    ``2^logt`` times (:func:`~mmwsss.functional.affinity_ops.
    sparse_random_walk`): the same walk by associativity (equal to 1e-6),
    in ``O(cells x 69)`` memory, so stride 4 and COCO sizes fit.
    ``mode='dense'`` is PSA's own computation: a dense ``cells^2`` matrix
    squared ``logt`` times, two alive while squaring
    (:func:`~mmwsss.functional.affinity_ops.rw_memory_bytes`: 35 MB for a
    VOC image at stride 8, 0.55 GB at stride 4, 1.5 GB for a 640 x 480 COCO
    image at stride 4); there ``max_cells`` (default 10,000: 0.4 GB per
    matrix) refuses larger grids with a MemoryError naming the size,
    instead of swapping.

    Args:
        config: AffinityNet config file.
        checkpoint: Its trained weights (loaded strictly).
        beta, logt: Walk sharpness and length.
        device: Where the model and the walk run (``'cpu'``, ``'cuda'``).
        mode: ``'sparse'`` or ``'dense'`` (PSA's matrix powers).
        pairs: ``'psa'`` (the pairs of PSA's code: none among the pixels
            of its crop's border band) or ``'all'`` (every pair closer than
            the radius, the paper's definition;
            :func:`~mmwsss.functional.affinity_ops.feature_graph`).
        max_cells: Largest affinity grid walked in dense mode.
        pad_to: The normalised image is zero-padded to a multiple of this
            (the embedding's stride, 8).
    """

    def __init__(self, config: str, checkpoint: str, beta: float = 8.0,
                 logt: int = 8, device: str = 'cpu', mode: str = 'sparse',
                 pairs: str = 'psa', max_cells: int = 10000,
                 pad_to: int = 8) -> None:
        if mode not in ('sparse', 'dense'):
            raise ValueError(f"mode must be 'sparse' or 'dense', got {mode!r}")
        if pairs not in ('psa', 'all'):
            raise ValueError(f"pairs must be 'psa' or 'all', got {pairs!r}")
        self.mode = mode
        self.pairs = pairs
        self.config = config
        self.checkpoint = checkpoint
        self.beta = beta
        self.logt = logt
        self.device = device
        self.max_cells = max_cells
        self.pad_to = pad_to
        self._model: Optional[torch.nn.Module] = None

    @property
    def model(self) -> torch.nn.Module:
        """The AffinityNet, loaded on first use (once per worker)."""
        if self._model is None:
            from mmengine.config import Config
            from mmengine.registry import DefaultScope
            from mmengine.runner import load_checkpoint
            cfg = Config.fromfile(self.config)
            # also in spawned workers, where no default scope is set yet
            with DefaultScope.overwrite_default_scope(
                    cfg.get('default_scope', 'mmseg')):
                model = MODELS.build(cfg.model)
            load_checkpoint(model, self.checkpoint, map_location='cpu',
                            strict=True)
            self._model = model.to(self.device).eval()
        return self._model

    def __call__(self, img: np.ndarray, scores: np.ndarray) -> np.ndarray:
        model = self.model
        h, w = img.shape[:2]
        if scores.shape[1:] != (h, w):
            raise ValueError(f'AffinityRandomWalk: scores {scores.shape[1:]}'
                             f' for an image of {(h, w)}')
        bgr = torch.from_numpy(np.ascontiguousarray(img[..., ::-1]))
        batch = model.data_preprocessor(
            dict(inputs=[bgr.permute(2, 0, 1)]), False)
        inputs = batch['inputs'].to(self.device)
        # PSA pads the normalised image with zeros to a multiple of 8
        # and, for tiny images, to the smallest grid PSA's pairs fit on
        # (radius x 2 (radius - 1) + 1 cells at stride pad_to)
        m, r = self.pad_to, model.radius
        ph, pw = max(h + -h % m, m * r), max(w + -w % m, m * (2 * r - 1))
        inputs = F.pad(inputs, (0, pw - w, 0, ph - h))
        ph, pw = inputs.shape[2:]
        with torch.no_grad():
            feat = model.extract_feat(inputs)
        feat_h, feat_w = feat.shape[2:]
        cells = feat_h * feat_w
        if self.mode == 'dense' and cells > self.max_cells:
            raise MemoryError(
                f'AffinityRandomWalk: a {h}x{w} image gives a {feat_h}x'
                f'{feat_w} affinity grid ({cells} cells, '
                f'{cells * cells * 4 / 1e9:.1f} GB per dense matrix) > '
                f'max_cells={self.max_cells}; use mode=\'sparse\', '
                'downscale the image or raise max_cells')
        stride = ph // feat_h
        if stride * feat_h != ph or stride * feat_w != pw:
            raise ValueError(f'AffinityRandomWalk: the input {ph}x{pw} is not '
                             f'a multiple of the grid {feat_h}x{feat_w}')
        with torch.no_grad():
            aff, src, dst = feature_graph(feat, model.radius, self.pairs)
            s = torch.from_numpy(np.asarray(scores, np.float32))[None]
            s = F.pad(s, (0, pw - w, 0, ph - h)).to(self.device)
            pooled = F.avg_pool2d(s, stride, stride)
            if self.mode == 'sparse':
                walked = graph_random_walk(pooled, aff, src, dst, self.beta,
                                           self.logt)
            else:
                walked = random_walk(pooled, transition_matrix(
                    dense_from_graph(aff, src, dst, cells), self.beta,
                    self.logt))
            up = F.interpolate(walked, scale_factor=stride, mode='bilinear',
                               align_corners=False)[0, :, :h, :w]
        return up.cpu().numpy()

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(config={self.config!r}, checkpoint='
                f'{self.checkpoint!r}, beta={self.beta}, logt={self.logt}, '
                f'mode={self.mode!r}, pairs={self.pairs!r})')
