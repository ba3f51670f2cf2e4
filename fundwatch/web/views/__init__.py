"""Thin views: each loads through `access`, delegates to the models and renders."""
