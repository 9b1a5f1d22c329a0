"""Page layouts (Dash Pages): what each page shows; no callbacks here."""
