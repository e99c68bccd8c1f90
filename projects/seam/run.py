"""SEAM and HFPL-as-published on the synthetic default: pseudo-label J, F,
J&F, precision and recall of the CAM classifier, SEAM, and SEAM + ISL + FSL.

    python -m projects.seam.run [--ckpt NAME=CKPT ...] [--work-dir DIR]

1. the synthetic dataset (data/synthetic)
2. one classifier per variant (VARIANTS), each trained in WORK_DIR/NAME (a
   finished run is only tested) or given as ``--ckpt NAME=CKPT``;
   classification mAP on val
3. per variant: single-scale CAMs of the training split (SEAM: the PCM
   output; GT image labels keep the classes), the background-threshold
   sweep (best J), the pseudo-labels at that threshold, J, contour F, J&F,
   precision and recall; CAM overlays
4. WORK_DIR/results.md (+ results.json) and a bar plot

Masks of the training split are read only to evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import os.path as osp

from projects.common.cam_ablation import parse_ablation_args, run_cam_ablation

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG_DIR = osp.join(HERE, 'configs')
STEM = 'r18-w32-d16_1xb16-1500it_synthetic-128x128'
VARIANTS = [  # (name, title, config)
    ('cam', 'CAM (GAP-BCE)', f'cam/cam_{STEM}.py'),
    ('seam', 'SEAM', f'seam/seam_{STEM}.py'),
    ('seam-isl-fsl', 'SEAM + ISL + FSL: HFPL as published',
     f'seam/seam_{STEM}_isl-fsl.py'),
]


def main():
    args = parse_ablation_args(VARIANTS, __doc__.split('\n')[0], HERE,
                               osp.join(HERE, 'work_dirs', 'seam'))
    run_cam_ablation(VARIANTS, args,
                     'SEAM and HFPL as published on the synthetic default '
                     '(train pseudo-labels)', CFG_DIR)


if __name__ == '__main__':
    main()
