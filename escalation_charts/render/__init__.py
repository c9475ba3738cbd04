"""Leaves that only draw: each module turns the model (and the shared layout) into one
kind of output. Nothing here reads YAML or decides exit codes.

The swim-lane chart: `chart.render_chart(definition, "svg", ...)` returns one chart as
bytes and `chart.render_charts` several formats from one layout; `dot` and `furniture`
build its DOT text (pure), `themes` holds the colours, `svg` and `pdf` clean Graphviz's
output. Every engine call is in `escalation_charts.layout.engine`. Nothing is imported here,
so importing one leaf does not load the others.
"""
