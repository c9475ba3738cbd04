"""The PPTX package: the deck's masters and layouts (`template`, the default look or the
organisation's) and saving it so the same input gives the same bytes (`save`)."""
