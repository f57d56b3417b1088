"""The ground layer: the bank and assessment schema, loading and checking banks and assessment files,
safe file writing, located errors and the project's paths. Imports nothing else of the package.
"""
