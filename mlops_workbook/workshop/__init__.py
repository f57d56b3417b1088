"""Workshop mode: responses (files and CSV), aggregation and discussion order, consensus, the facilitator page.
"""
