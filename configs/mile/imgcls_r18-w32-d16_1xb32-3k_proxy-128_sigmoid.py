# Pre-training on the proxy corpus with a sigmoid per class (mmpretrain's
# MultiLabelLinearClsHead: the single label becomes a one-hot target):
# binary cross-entropy summed over classes and averaged over the batch
# (avg_factor = batch size), classifier bias initialised to -log(25) =
# -3.2189 (MILe's setting).
_base_ = './imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.py'
model = dict(head=dict(
    _delete_=True,
    type='MultiLabelLinearClsHead',
    num_classes=25,
    in_channels=256,
    loss=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
    init_cfg=dict(type='Normal', layer='Linear', std=0.01, bias=-3.2189)))
