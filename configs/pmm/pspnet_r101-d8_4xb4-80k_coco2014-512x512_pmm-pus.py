# PMM final stage on COCO 2014 (81 classes): PSPNet ResNet-101-v1c, 80k
# iterations, batch 4 x 4, crop 512, PUS with beta = kappa = 0.8 (paper).
# Pseudo-masks from configs/pmm/ppmg_a11-s0.3-t0.05_coco2014.py; validation on the masks
# written by tools/dataset_converters/coco_wsss.py.
_base_ = './pspnet_r101-d8_4xb4-20k_voc12aug-512x512_pmm-pus.py'
data_root = 'data/coco'
pseudo_label_dir = 'pseudo_labels/ppmg'
_train = dict(type='COCOWSSSDataset', data_root=data_root,
              instances_file='annotations/instances_train2014.json',
              data_prefix=dict(img_path='train2014',
                               seg_map_path=pseudo_label_dir),
              pipeline={{_base_.train_pipeline}})
train_dataloader = dict(dataset=dict(_delete_=True, **_train))
val_dataloader = dict(dataset=dict(
    _delete_=True, type='COCOWSSSDataset', data_root=data_root,
    instances_file='annotations/instances_val2014.json',
    data_prefix=dict(img_path='val2014', seg_map_path='mask/val2014'),
    pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
pus = dict(beta=0.8, kappa=0.8)
model = dict(decode_head=dict(num_classes=81, loss_decode=pus),
             auxiliary_head=dict(num_classes=81, loss_decode=pus))
train_cfg = dict(max_iters=80000, val_interval=8000)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=80000,
         by_epoch=False)
]
