"""Text on slides without a font engine: widths and wrapping (`measure`), the size a label
can take inside a flowchart shape (`fit`), and blocks of paragraphs (`blocks`)."""
