# DeepLabv3+ trained on pseudo-labels: identical to the GT reference except
# where the training annotations come from. Point it at any pseudo-label
# folder (from any method):
#   --cfg-options train_dataloader.dataset.data_prefix.seg_map_path=/abs/dir
_base_ = './deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_gt.py'
pseudo_label_dir = 'pseudo_labels'  # relative to data_root, or absolute
train_dataloader = dict(
    dataset=dict(data_prefix=dict(seg_map_path=pseudo_label_dir)))
