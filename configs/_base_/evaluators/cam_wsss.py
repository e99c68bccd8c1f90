# CAM classifier evaluation (the WSSS dataset bases inherit it): one
# evaluator entry (MetricList) so mmseg's tools/test.py --out works.
val_evaluator = dict(
    type='MetricList',
    members=[dict(type='MultiLabelMAPMetric'), dict(type='CAMIoUMetric')])
test_evaluator = val_evaluator
# + contour quality of the CAM masks (HFPL's F beside J): configs take it as
# val_evaluator = {{_base_.cam_boundary_evaluator}}
cam_boundary_evaluator = dict(
    type='MetricList',
    members=[
        dict(type='MultiLabelMAPMetric'),
        dict(type='CAMIoUMetric'),
        dict(type='BoundaryFMetric'),
    ])
