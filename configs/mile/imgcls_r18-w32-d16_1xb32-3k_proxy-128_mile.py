# MILe (Rajeswar et al., CVPR 2022) on the proxy corpus: the sigmoid recipe
# with cycles of k1 interaction steps (the given label) and k2 imitation
# steps (a frozen teacher's sigmoid > 0.5 on the same batch). The reference
# uses k1 = k2 = 2000 iterations on ImageNet at batch 256, ~0.4 epoch; 250
# iterations are 0.4 epoch of the 20,000-image corpus at batch 32.
_base_ = './imgcls_r18-w32-d16_1xb32-3k_proxy-128_sigmoid.py'
custom_hooks = [
    dict(type='mmseg.MILeHook', k1=250, k2=250, threshold=0.5,
         sample=False, or_given=False)
]
