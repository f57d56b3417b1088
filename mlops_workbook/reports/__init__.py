"""Batch reports: papermill jobs on warm kernels, PDF printing, and the portfolio index.
"""
