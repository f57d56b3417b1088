"""The ``mlops-workbook`` command line."""
