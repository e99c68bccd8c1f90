"""Procedurally generated multi-label segmentation data: the embedded default.

No real WSSS benchmark can be downloaded on the machines mmwsss is developed
on, so the project ships its default dataset as code. The generator is designed
to make weakly-supervised segmentation *hard in the ways real data is*:

* **Sparse CAMs.** Every object has a large *body* and a small *part*. A body's
  appearance (shape + texture) is shared by two classes, and bodies also appear
  as unlabelled background distractors. A class is only identified by the
  combination of its body group and the colour of its small part, and every
  part colour is used by two classes of different groups. A classifier
  therefore fires on the part and on a fraction of the body, as plain CAMs do
  on VOC.
* **Context bias.** Fixed class pairs co-occur with high probability.
* **Multi-label, scale, occlusion.** 1-3 objects per image, body size varies by
  ~2.5x, later objects occlude earlier ones and may be truncated at the border.
* **Edges that mostly, but not always, follow objects.** Bodies usually
  contrast with the textured gradient background (so CRF/PAMR/FSL have colour
  edges to exploit); ``low_contrast_prob`` of them are painted in colours close
  to the background around them.

Everything is deterministic per ``(seed, split, index)``, so any image can be
regenerated on its own and generation can run in parallel.
"""
from __future__ import annotations

import dataclasses
import json
import os
from multiprocessing import get_context
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmengine.utils import ProgressBar

from mmwsss.utils.io import atomic_write, is_complete, save_jpeg, save_png
from .labels_file import dump_labels_file, load_labels_file

#: Class names, VOC style: index 0 is the background.
SYNTHETIC_CLASSES: Tuple[str, ...] = (
    'background', 'kite', 'lamp', 'moth', 'nest', 'orca', 'pear', 'quay',
    'reed', 'sail', 'tusk')

#: A VOC-like palette for the 11 classes (row i = colour of class i).
SYNTHETIC_PALETTE: Tuple[Tuple[int, int, int], ...] = (
    (0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128),
    (128, 0, 128), (0, 128, 128), (128, 128, 128), (64, 0, 0), (192, 0, 0),
    (64, 128, 0))

# Body groups: (shape, texture). Two classes share each group, and
# unlabelled distractor bodies of every group appear in the background.
_GROUPS: Tuple[Tuple[str, str], ...] = (
    ('ellipse', 'stripes'),
    ('rect', 'checker'),
    ('triangle', 'dots'),
    ('blob', 'blotch'),
    ('pentagon', 'grid'),
)
_SHAPES = ('ellipse', 'rect', 'triangle', 'blob', 'pentagon')
_TEXTURES = ('stripes', 'checker', 'dots', 'blotch', 'grid')
# Muted body colour pairs per group (RGB); jittered per instance.
_GROUP_COLOURS: Tuple[Tuple[Tuple[int, int, int], Tuple[int, int, int]], ...] = (
    ((150, 120, 90), (100, 80, 60)),
    ((90, 110, 140), (60, 70, 100)),
    ((120, 140, 100), (80, 95, 70)),
    ((140, 110, 130), (95, 75, 90)),
    ((110, 130, 130), (70, 90, 90)),
)
# Saturated part colours; colour c is used by two classes in different groups.
_PART_COLOURS: Tuple[Tuple[int, int, int], ...] = (
    (235, 40, 40), (40, 200, 60), (40, 90, 235), (240, 220, 30),
    (220, 50, 220))

#: Foreground class pairs (0-based foreground indices) that co-occur.
CO_OCCURRENCE: Tuple[Tuple[int, int], ...] = ((0, 5), (2, 9), (4, 7))


@dataclasses.dataclass(frozen=True)
class ClassSpec:
    """How one foreground class is drawn."""
    name: str
    group: int
    part_colour: int


def class_specs() -> List[ClassSpec]:
    """The 10 foreground classes: class k has group k//2, part colour k%5."""
    return [
        ClassSpec(name, k // 2, k % 5)
        for k, name in enumerate(SYNTHETIC_CLASSES[1:])
    ]


@dataclasses.dataclass(frozen=True)
class SyntheticConfig:
    """Generator settings. ``PRESETS`` holds the named ones."""
    size: int = 128
    num_train: int = 2000
    num_val: int = 500
    max_objects: int = 3
    object_count_probs: Tuple[float, ...] = (0.45, 0.35, 0.20)
    min_body: float = 0.28  # body size as a fraction of the image side
    max_body: float = 0.62
    part_scale: float = 0.26  # part diameter as a fraction of the body size
    co_occurrence_prob: float = 0.6
    max_distractors: int = 3
    low_contrast_prob: float = 0.15
    ignore_border: int = 0  # width of a VOC-like 255 band at object edges
    noise_std: float = 3.0
    empty_prob: float = 0.0  # images with no object (all background)


PRESETS: Dict[str, SyntheticConfig] = {
    'default': SyntheticConfig(),
    'tiny': SyntheticConfig(size=64, num_train=24, num_val=12),
}


# --------------------------------------------------------------------------
# drawing helpers
# --------------------------------------------------------------------------
def _jitter(colour: Sequence[int], rng: np.random.RandomState,
            amount: float) -> np.ndarray:
    return np.clip(np.asarray(colour, np.float32) +
                   rng.uniform(-amount, amount, 3), 0, 255)


def _texture(kind: str, c1: np.ndarray, c2: np.ndarray, size: int,
             rng: np.random.RandomState) -> np.ndarray:
    """A ``size x size x 3`` float image of a two-colour texture."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    if kind == 'stripes':
        theta = rng.uniform(0, np.pi)
        period = rng.uniform(5, 9)
        t = (np.sin((xx * np.cos(theta) + yy * np.sin(theta)) * 2 * np.pi /
                    period) > 0).astype(np.float32)
    elif kind == 'checker':
        period = rng.randint(4, 8)
        ox, oy = rng.randint(0, period, 2)
        t = ((((xx + ox) // period) + ((yy + oy) // period)) % 2).astype(
            np.float32)
    elif kind == 'dots':
        period = rng.uniform(5, 8)
        ox, oy = rng.uniform(0, period, 2)
        dx = np.mod(xx + ox, period) - period / 2
        dy = np.mod(yy + oy, period) - period / 2
        t = (dx * dx + dy * dy < (period / 3.2)**2).astype(np.float32)
    elif kind == 'grid':
        period = rng.uniform(6, 9)
        ox, oy = rng.uniform(0, period, 2)
        t = ((np.mod(xx + ox, period) < 1.6) |
             (np.mod(yy + oy, period) < 1.6)).astype(np.float32)
    elif kind == 'blotch':
        low = rng.rand(6, 6).astype(np.float32)
        t = cv2.resize(low, (size, size), interpolation=cv2.INTER_CUBIC)
        t = np.clip((t - t.min()) / max(t.max() - t.min(), 1e-6), 0, 1)
    elif kind == 'gradient':
        theta = rng.uniform(0, 2 * np.pi)
        t = xx * np.cos(theta) + yy * np.sin(theta)
        t = (t - t.min()) / max(t.max() - t.min(), 1e-6)
    else:
        raise ValueError(f'unknown texture kind {kind!r}')
    t = t[..., None]
    return c1[None, None] * t + c2[None, None] * (1 - t)


def _shape_mask(shape: str, size: int, cx: float, cy: float, s: float,
                rng: np.random.RandomState) -> np.ndarray:
    """A boolean mask of one body of nominal size ``s`` centred at (cx, cy)."""
    canvas = np.zeros((size, size), np.uint8)
    angle = rng.uniform(0, 180)
    if shape == 'ellipse':
        axes = (max(2, int(s / 2)), max(2, int(s / 2 * rng.uniform(0.5, 0.8))))
        cv2.ellipse(canvas, (int(cx), int(cy)), axes, angle, 0, 360, 1, -1)
    elif shape == 'rect':
        w, h = s, s * rng.uniform(0.5, 0.85)
        box = cv2.boxPoints(((float(cx), float(cy)), (float(w), float(h)), angle))
        cv2.fillPoly(canvas, [np.round(box).astype(np.int32)], 1)
    elif shape in ('triangle', 'pentagon'):
        n, r = (3, s / 1.7) if shape == 'triangle' else (5, s / 2)
        a0 = np.deg2rad(angle)
        pts = [(cx + r * np.cos(a0 + k * 2 * np.pi / n),
                cy + r * np.sin(a0 + k * 2 * np.pi / n)) for k in range(n)]
        cv2.fillPoly(canvas, [np.round(np.array(pts)).astype(np.int32)], 1)
    elif shape == 'blob':
        n = 9
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        radii = s / 2 * rng.uniform(0.6, 1.0, n)
        pts = np.stack([cx + radii * np.cos(angles),
                        cy + radii * np.sin(angles)], 1)
        cv2.fillPoly(canvas, [np.round(pts).astype(np.int32)], 1)
    else:
        raise ValueError(f'unknown shape {shape!r}')
    return canvas.astype(bool)


def _part_mask(size: int, cx: float, cy: float, r: float,
               rng: np.random.RandomState) -> np.ndarray:
    canvas = np.zeros((size, size), np.uint8)
    kind = rng.randint(3)
    if kind == 0:
        cv2.circle(canvas, (int(round(cx)), int(round(cy))),
                   max(2, int(round(r))), 1, -1)
    else:
        angle = 45.0 if kind == 2 else rng.uniform(0, 90)
        box = cv2.boxPoints(((cx, cy), (2 * r * 0.9, 2 * r * 0.9), angle))
        cv2.fillPoly(canvas, [np.round(box).astype(np.int32)], 1)
    return canvas.astype(bool)


def _background(cfg: SyntheticConfig,
                rng: np.random.RandomState) -> np.ndarray:
    size = cfg.size
    # muted: a grey level plus a little chroma, so that no background is as
    # saturated as the parts
    c1 = (rng.uniform(70, 190) + rng.uniform(-30, 30, 3)).astype(np.float32)
    c2 = np.clip(c1 + rng.uniform(-50, 50) + rng.uniform(-20, 20, 3), 0,
                 255).astype(np.float32)
    img = _texture('gradient', c1, c2, size, rng)
    low = rng.randn(4, 4, 3).astype(np.float32) * 12
    img += cv2.resize(low, (size, size), interpolation=cv2.INTER_CUBIC)
    # distractors: unlabelled bodies (textures of the object groups, no part)
    # and plain textured shapes
    for _ in range(rng.randint(0, cfg.max_distractors + 1)):
        g = rng.randint(len(_GROUPS))
        shape, texture = _GROUPS[g]
        if rng.rand() < 0.4:
            shape = _SHAPES[rng.randint(len(_SHAPES))]
            texture = _TEXTURES[rng.randint(len(_TEXTURES))]
        s = rng.uniform(cfg.min_body, cfg.max_body) * size
        cx, cy = rng.uniform(0, size, 2)
        m = _shape_mask(shape, size, cx, cy, s, rng)
        c_a, c_b = (_jitter(c, rng, 25) for c in _GROUP_COLOURS[g])
        tex = _texture(texture, c_a, c_b, size, rng)
        img[m] = tex[m]
    return img


def _choose_classes(cfg: SyntheticConfig, rng: np.random.RandomState,
                    num_fg: int) -> List[int]:
    if rng.rand() < cfg.empty_prob:
        return []
    probs = np.asarray(cfg.object_count_probs[:cfg.max_objects], np.float64)
    n = 1 + rng.choice(len(probs), p=probs / probs.sum())
    classes = [int(rng.randint(num_fg))]
    partners = {a: b for a, b in CO_OCCURRENCE}
    partners.update({b: a for a, b in CO_OCCURRENCE})
    if classes[0] in partners and rng.rand() < cfg.co_occurrence_prob:
        classes.append(partners[classes[0]])
    while len(classes) < n:
        classes.append(int(rng.randint(num_fg)))
    rng.shuffle(classes)
    return classes


def generate_sample(cfg: SyntheticConfig, seed: int, index: int,
                    specs: Optional[Sequence[ClassSpec]] = None
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Generate image ``index`` of the stream ``seed``.

    Args:
        specs: The foreground classes to draw from (default: the 10 of
            :func:`class_specs`; the proxy pre-training corpus passes 25).

    Returns:
        tuple: ``(image, mask)``: an ``HxWx3`` uint8 RGB image and an ``HxW``
        uint8 mask with VOC ids (0 background, 1..len(specs) classes, 255
        ignore).
    """
    rng = np.random.RandomState(
        (int(seed) * 1_000_003 + int(index) * 7_919 + 17) % (2**32 - 1))
    size = cfg.size
    specs = class_specs() if specs is None else list(specs)
    img = _background(cfg, rng)
    mask = np.zeros((size, size), np.uint8)
    occupied = np.zeros((size, size), bool)
    for cls in _choose_classes(cfg, rng, len(specs)):
        spec = specs[cls]
        shape, texture = _GROUPS[spec.group]
        s = rng.uniform(cfg.min_body, cfg.max_body) * size
        # try a few centres and keep the one that overlaps existing objects
        # least; objects may be truncated by the border by up to ~20 %
        best = None
        for _ in range(8):
            cx, cy = rng.uniform(0.3 * s, size - 0.3 * s, 2)
            body = _shape_mask(shape, size, cx, cy, s, rng)
            if body.sum() < 16:
                continue
            overlap = (body & occupied).sum() / body.sum()
            if best is None or overlap < best[0]:
                best = (overlap, body)
            if overlap < 0.15:
                break
        if best is None:
            continue
        body = best[1]
        c_a, c_b = (_jitter(c, rng, 25) for c in _GROUP_COLOURS[spec.group])
        if rng.rand() < cfg.low_contrast_prob:
            # low contrast: paint the body close to the background around it
            ring = cv2.dilate(body.astype(np.uint8), np.ones((7, 7), np.uint8))
            around = img[ring.astype(bool) & ~body].mean(0) if (
                ring.astype(bool) & ~body).any() else img.mean((0, 1))
            c_a = np.clip(around + rng.uniform(-12, 12, 3), 0, 255)
            c_b = np.clip(around + rng.uniform(-12, 12, 3), 0, 255)
        tex = _texture(texture, c_a.astype(np.float32),
                       c_b.astype(np.float32), size, rng)
        img[body] = tex[body]
        # the discriminative part: placed inside the (eroded) body
        r = max(2.0, cfg.part_scale * s / 2)
        inner = cv2.erode(body.astype(np.uint8),
                          np.ones((3, 3), np.uint8)).astype(bool)
        ys, xs = np.nonzero(inner if inner.any() else body)
        k = rng.randint(len(ys))
        part = _part_mask(size, float(xs[k]), float(ys[k]), r, rng)
        img[part] = _jitter(_PART_COLOURS[spec.part_colour], rng, 15)
        obj = body | part
        mask[obj] = cls + 1
        occupied |= obj
    img += rng.randn(size, size, 3).astype(np.float32) * cfg.noise_std
    img = np.clip(img, 0, 255).astype(np.uint8)
    if cfg.ignore_border > 0:
        k = 2 * cfg.ignore_border + 1
        kernel = np.ones((k, k), np.uint8)
        edge = cv2.dilate(mask, kernel) != cv2.erode(mask, kernel)
        mask[edge] = 255
    return img, mask


def image_labels_from_mask(mask: np.ndarray,
                           num_classes: int,
                           ignore_index: int = 255) -> np.ndarray:
    """Foreground multi-hot labels (length ``num_classes - 1``) of a mask."""
    ids = np.unique(mask)
    ids = ids[(ids != ignore_index) & (ids > 0)]
    if ids.size and ids.max() >= num_classes:
        raise ValueError(f'mask has class id {int(ids.max())} but there are '
                         f'only {num_classes} classes')
    labels = np.zeros(num_classes - 1, np.float32)
    labels[ids.astype(np.int64) - 1] = 1
    return labels


def sample_name(split: str, index: int) -> str:
    return f'syn_{split}_{index:05d}'


def split_seed(seed: int, split: str) -> int:
    return int(seed) * 2 + (0 if split == 'train' else 1)


def preset(name: str, **overrides) -> SyntheticConfig:
    if name not in PRESETS:
        raise KeyError(f'unknown synthetic preset {name!r}; '
                       f'choose from {sorted(PRESETS)}')
    return dataclasses.replace(PRESETS[name], **overrides)


def write_synthetic_dataset(root: str,
                            cfg: SyntheticConfig,
                            seed: int = 0,
                            nproc: int = 1,
                            show_progress: bool = True) -> Dict[str, object]:
    """Write the dataset to ``root`` in VOC layout.

    Layout: ``JPEGImages/*.jpg``, ``SegmentationClass/*.png`` (palette PNGs,
    VOC ids), ``ImageSets/Segmentation/{train,val}.txt``, ``cls_labels.json``
    (image-level labels) and ``meta.json`` (the generator settings). Files
    are written atomically; a rerun with the same settings skips the files
    that are already complete, so an interrupted run resumes. A rerun with
    different settings into a non-empty ``root`` is refused.

    Returns:
        dict: The contents of ``meta.json``.
    """
    meta = dict(generator='mmwsss.datasets.synthetic', version=2, seed=seed,
                config=dataclasses.asdict(cfg), classes=SYNTHETIC_CLASSES)
    meta = json.loads(json.dumps(meta))
    meta_path = os.path.join(root, 'meta.json')
    if os.path.isfile(meta_path):
        with open(meta_path) as f:
            old = json.load(f)
        if old != meta:
            raise FileExistsError(
                f'{root} holds a synthetic dataset made with other settings '
                f'({meta_path}); choose another folder or delete it')
    os.makedirs(root, exist_ok=True)
    with atomic_write(meta_path, 'w') as f:
        json.dump(meta, f, indent=1)

    jobs = [(split, i) for split in ('train', 'val')
            for i in range(cfg.num_train if split == 'train' else cfg.num_val)]
    labels_path = os.path.join(root, 'cls_labels.json')
    labels: Dict[str, np.ndarray] = {}
    if os.path.isfile(labels_path):
        labels = load_labels_file(labels_path, SYNTHETIC_CLASSES)
    todo = [(s, i) for s, i in jobs
            if not (sample_name(s, i) in labels and is_complete(
                os.path.join(root, 'JPEGImages', sample_name(s, i) + '.jpg'))
                    and is_complete(os.path.join(
                        root, 'SegmentationClass',
                        sample_name(s, i) + '.png')))]
    args = [(root, cfg, seed, s, i) for s, i in todo]
    if todo:
        if nproc > 1:
            with get_context('spawn').Pool(nproc) as pool:
                results = _track(pool.imap(_write_one, args, chunksize=16),
                                 len(args), show_progress)
        else:
            results = _track(map(_write_one, args), len(args), show_progress)
        for name, vec in results:
            labels[name] = vec
    dump_labels_file(labels_path, labels, SYNTHETIC_CLASSES)
    for split in ('train', 'val'):
        names = [sample_name(s, i) for s, i in jobs if s == split]
        with atomic_write(
                os.path.join(root, 'ImageSets', 'Segmentation',
                             f'{split}.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
    return meta


def _track(iterable, total: int, show_progress: bool) -> list:
    if not show_progress:
        return list(iterable)
    bar = ProgressBar(total)
    out = []
    for item in iterable:
        out.append(item)
        bar.update()
    return out


def _write_one(args) -> Tuple[str, np.ndarray]:

    root, cfg, seed, split, index = args
    img, mask = generate_sample(cfg, split_seed(seed, split), index)
    name = sample_name(split, index)
    save_jpeg(os.path.join(root, 'JPEGImages', name + '.jpg'), img)
    save_png(os.path.join(root, 'SegmentationClass', name + '.png'), mask,
             SYNTHETIC_PALETTE)
    return name, image_labels_from_mask(mask, len(SYNTHETIC_CLASSES))
