# CAM classifier on the embedded synthetic dataset: trains on 2 CPU cores.
_base_ = [
    '../_base_/models/cam_r18.py', '../_base_/datasets/synthetic_wsss.py',
    '../_base_/wsss_runtime.py', '../_base_/schedules/schedule_cam_cpu.py'
]
randomness = dict(seed=0)
