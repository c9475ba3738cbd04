"""Planning the chart onto slides (pure geometry, no python-pptx): windows of the shared
layout, pages with their off-page references, one scale and text size, and where each
glued connector leaves and enters its shapes."""
