from .visualize import cam_overlay_panel, colorize_mask, heatmap_overlay

__all__ = ['cam_overlay_panel', 'colorize_mask', 'heatmap_overlay']
