"""Batch reports: ``mlops-workbook report`` turns many assessment files into offline HTML pages and an index.

:mod:`~mlops_workbook.reports.jobs` checks every file and names its report before a kernel
is spent; :mod:`~mlops_workbook.reports.batch` runs the jobs on a pool of warm kernels
(:mod:`~mlops_workbook.reports.kernels`, papermill on ``notebooks/report.ipynb``), printing
to PDF on request (:mod:`~mlops_workbook.reports.pdf`); :mod:`~mlops_workbook.reports.portfolio`
writes the index of every team and model; :mod:`~mlops_workbook.reports.outputs` holds what
they share (the per-file :class:`~mlops_workbook.reports.outputs.Outcome`, public writes);
:mod:`~mlops_workbook.reports.command` is the command line. Imports point down this list's
reverse: outputs at the bottom, command on top.
"""
