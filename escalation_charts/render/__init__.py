"""Renderers: leaves that only draw the model and the shared layout."""
