"""Drawing primitives on a slide: shapes and glued connectors, the chart page, the matrix
table and the legend. Each writes native, editable python-pptx objects."""
