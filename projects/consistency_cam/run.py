"""Puzzle-CAM / Consistency-CAM ablation on the synthetic default:
pseudo-label J, F and J&F of CAM classifiers trained with and without the
view-consistency losses.

    python -m projects.consistency_cam.run [--ckpt NAME=CKPT ...]
        [--only NAME ...] [--work-dir DIR]

1. the synthetic dataset (data/synthetic)
2. one CAM classifier per variant (VARIANTS: GAP-BCE baseline, Puzzle-CAM
   with 2 x 2 tiles, Consistency-CAM with random tile grids + random
   flip / rescale, and ablations: random grids alone, alpha 1, square
   grids, a photometric view, two views per step), each
   trained in WORK_DIR/NAME (a finished run is only tested) or given as
   ``--ckpt NAME=CKPT``; classification mAP on val
3. per variant: single-scale CAMs of the training split (GT image labels
   keep the classes), the background-threshold sweep (best J), the
   pseudo-labels at that threshold, their contour F and J&F; CAM overlays
4. WORK_DIR/results.md (+ results.json) and a bar plot of J / F / J&F

Masks of the training split are read only to evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import os.path as osp

from projects.common.cam_ablation import parse_ablation_args, run_cam_ablation

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CFG_DIR = osp.join(HERE, 'configs')
# project-only ablation configs: projects/consistency_cam/configs
PROJ = '../projects/consistency_cam/configs'
STEM = 'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128'
VARIANTS = [  # (name, title, config)
    ('baseline', 'CAM (GAP-BCE)', f'cam/{STEM}.py'),
    ('puzzle', '+ Puzzle-CAM (2 x 2 tiles, alpha 4)',
     f'consistency_cam/{STEM}_puzzle.py'),
    ('consistency', '+ Consistency-CAM (random grids, flip, rescale)',
     f'consistency_cam/{STEM}_consistency.py'),
    ('random-grids', '+ random grids only (no flip / rescale)',
     f'{PROJ}/{STEM}_random-grids.py'),
    ('puzzle-alpha1', '+ Puzzle-CAM, alpha 1',
     f'{PROJ}/{STEM}_puzzle-alpha1.py'),
    ('consistency-alpha1', '+ Consistency-CAM, alpha 1',
     f'{PROJ}/{STEM}_consistency-alpha1.py'),
    ('square', '+ Consistency-CAM, square grids (n x n)',
     f'consistency_cam/{STEM}_consistency-square.py'),
    ('photometric', '+ Consistency-CAM, photometric view',
     f'consistency_cam/{STEM}_consistency-photometric.py'),
    ('2views', '+ Consistency-CAM, two views (half weight each)',
     f'consistency_cam/{STEM}_consistency-2views.py'),
]


def main():
    args = parse_ablation_args(VARIANTS, __doc__.split('\n')[0], HERE,
                               osp.join(HERE, 'work_dirs',
                                        'consistency_cam'))
    run_cam_ablation(
        VARIANTS, args,
        'Puzzle-CAM / Consistency-CAM on the synthetic default '
        '(train pseudo-labels)', CFG_DIR)


if __name__ == '__main__':
    main()
