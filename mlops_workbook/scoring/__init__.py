"""Pure scoring: the level rules, the score card and its explanations, and the per-question grids the
workshop aggregates. Depends only on :mod:`mlops_workbook.model`.
"""
