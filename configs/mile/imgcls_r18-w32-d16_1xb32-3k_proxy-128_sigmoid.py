# Pre-training on the proxy corpus with a sigmoid per class: binary
# cross-entropy on the one-hot label, summed over classes and averaged over
# the batch (mmpretrain's avg_factor = batch size), classifier bias
# initialised to -log(25) = -3.2189 (MILe's setting). The data preprocessor
# turns the labels into one-hot scores (mmpretrain's BCE needs them).
_base_ = './imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.py'
model = dict(
    data_preprocessor=dict(to_onehot=True),
    head=dict(
        loss=dict(type='CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1.0),
        init_cfg=dict(type='Normal', layer='Linear', std=0.01,
                      bias=-3.2189)))
