"""Command-line front end: thin modules over the Python API."""
