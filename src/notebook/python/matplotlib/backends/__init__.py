"""The one backend: ``backend_svg`` (figures are always drawn inline as SVG)."""
