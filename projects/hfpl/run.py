"""HFPL ablation on the synthetic default: pseudo-label J, F and J&F of CAM
classifiers trained with and without ISL / FSL.

    python -m projects.hfpl.run [--ckpt NAME=CKPT ...] [--work-dir DIR]

1. the synthetic dataset (data/synthetic)
2. one CAM classifier per variant (VARIANTS: GAP-BCE baseline, + ISL,
   + FSL, + ISL + FSL, and FSL's sigma at 2 and 0.71), each trained in
   WORK_DIR/NAME (a finished run is only tested) or given as
   ``--ckpt NAME=CKPT``; classification mAP on val
3. per variant: single-scale CAMs of the training split (GT image labels
   keep the classes), the background-threshold sweep (best J), the
   pseudo-labels at that threshold, their contour F (DAVIS boundary
   F-measure, tolerance 0.008 x diagonal) and J&F; CAM overlays
4. WORK_DIR/results.md (+ results.json) and a bar plot of J / F / J&F

Masks of the training split are read only to evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import os.path as osp

from projects.common.cam_ablation import parse_ablation_args, run_cam_ablation

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CFG_DIR = osp.join(HERE, 'configs')
# project-only ablation configs: projects/hfpl/configs
PROJ = '../projects/hfpl/configs'
STEM = 'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128'
VARIANTS = [  # (name, title, config)
    ('baseline', 'CAM (GAP-BCE)', f'cam/{STEM}.py'),
    ('isl', '+ ISL (lambda 0.2)', f'hfpl/{STEM}_isl.py'),
    ('fsl', '+ FSL (sigma 5)', f'hfpl/{STEM}_fsl.py'),
    ('isl-fsl', '+ ISL + FSL (sigma 5): HFPL', f'hfpl/{STEM}_isl-fsl.py'),
    ('fsl-sigma2', '+ FSL (sigma 2)', f'{PROJ}/{STEM}_fsl-sigma2.py'),
    ('fsl-sigma0.71', '+ FSL (sigma 0.71 = relative extent)',
     f'{PROJ}/{STEM}_fsl-sigma0.71.py'),
    ('isl-fsl-sigma0.71', '+ ISL + FSL (sigma 0.71)',
     f'{PROJ}/{STEM}_isl-fsl-sigma0.71.py'),
]


def main():
    args = parse_ablation_args(VARIANTS, __doc__.split('\n')[0], HERE,
                               osp.join(HERE, 'work_dirs', 'hfpl'))
    run_cam_ablation(VARIANTS, args,
                     'HFPL on the synthetic default (train pseudo-labels)',
                     CFG_DIR)


if __name__ == '__main__':
    main()
