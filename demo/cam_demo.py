"""CAMs of a trained mmwsss model on any image, through ``mmseg.apis``.

Like mmseg's ``demo/image_demo.py``: the model is loaded with
``mmseg.apis.init_model`` and run with ``inference_model``; no dataset and
no image-level labels are needed (the classes whose score exceeds
``test_cfg.score_thr`` are kept; ``--labels`` names them instead).

Writes to ``--out-dir``:
  <stem>_cams.png  image | CAM overlay per kept class | CAM mask
  <stem>_seg.png   the CAM segmentation drawn by mmseg's visualizer
and prints the class scores.

Example::

    python demo/cam_demo.py photo.jpg CONFIG CHECKPOINT --out-dir out/
"""
from __future__ import annotations

import argparse
import os.path as osp

import mmcv
import torch
from mmengine.structures import PixelData
from mmseg.apis import inference_model, init_model, show_result_pyplot

import mmwsss  # noqa: F401  (configs import it too; explicit for scripts)
from mmwsss.apis.visualize import cam_overlay_panel
from mmwsss.functional.cam_ops import cams_to_seg_logits
from mmwsss.utils.io import save_png


def parse_args():
    parser = argparse.ArgumentParser(description='CAMs of one image')
    parser.add_argument('img', help='image file')
    parser.add_argument('config', help='config of the CAM model')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out-dir', default='cam_demo',
                        help='where the images are written')
    parser.add_argument('--labels', default=None,
                        help='comma-separated class names present in the '
                        'image (default: the predicted classes)')
    parser.add_argument('--device', default='cpu', help='cpu or cuda:0')
    parser.add_argument('--opacity', type=float, default=0.5,
                        help='opacity of the segmentation overlay')
    return parser.parse_args()


def class_indices(names: str, classes) -> list:
    """Foreground indices (0-based) of the comma-separated ``names``."""
    wanted = [n.strip() for n in names.split(',') if n.strip()]
    unknown = [n for n in wanted if n not in classes[1:]]
    if unknown:
        raise ValueError(f'--labels: unknown classes {unknown}; the model '
                         f'knows {list(classes[1:])}')
    return [list(classes[1:]).index(n) for n in wanted]


def run(img: str, config: str, checkpoint: str, out_dir: str,
        labels: str = None, device: str = 'cpu', opacity: float = 0.5
        ) -> dict:
    """Infer, write the two images, return scores and kept classes."""
    model = init_model(config, checkpoint, device=device)
    classes = model.dataset_meta['classes']
    if labels is not None:
        model.test_cfg['restrict'] = None  # all CAMs; labels applied below
    result = inference_model(model, img)
    cams = result.seg_logits.data[1:].float()
    scores = result.pred_img_scores.float().cpu()
    if labels is not None:
        keep = torch.zeros(cams.shape[0], dtype=torch.bool)
        keep[class_indices(labels, classes)] = True
        cams = cams * keep[:, None, None].to(cams)
        logits = cams_to_seg_logits(cams[None],
                                    model.test_cfg['bg_threshold'])[0]
        result.pred_sem_seg = PixelData(data=logits.argmax(0, keepdim=True))
        kept = keep.nonzero()[:, 0].tolist()
    else:
        kept = [c for c in range(cams.shape[0]) if cams[c].max() > 0]
    stem = osp.splitext(osp.basename(img))[0]
    rgb = mmcv.imread(img, channel_order='rgb')
    panel = cam_overlay_panel(
        rgb, cams.cpu().numpy(), classes, model.dataset_meta['palette'],
        pred=result.pred_sem_seg.data[0].cpu().numpy(), classes=kept)
    cams_file = osp.join(out_dir, f'{stem}_cams.png')
    save_png(cams_file, panel)
    seg_file = osp.join(out_dir, f'{stem}_seg.png')
    show_result_pyplot(model, img, result, opacity=opacity, show=False,
                       draw_gt=False, out_file=seg_file)
    return dict(scores={c: float(s) for c, s in zip(classes[1:], scores)},
                kept=[classes[c + 1] for c in kept], cams_file=cams_file,
                seg_file=seg_file)


def main():
    args = parse_args()
    out = run(args.img, args.config, args.checkpoint, args.out_dir,
              args.labels, args.device, args.opacity)
    ranked = sorted(out['scores'].items(), key=lambda kv: -kv[1])
    print('class scores: ' + ', '.join(f'{c}={s:.3f}' for c, s in ranked))
    print('CAMs kept: ' + (', '.join(out['kept']) or 'none'))
    print(f'wrote {out["cams_file"]} and {out["seg_file"]}')


if __name__ == '__main__':
    main()
