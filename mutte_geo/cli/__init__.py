"""The command line: ``python -m mutte_geo ...``."""
