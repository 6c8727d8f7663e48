#!/usr/bin/env python
"""Django's manage.py; the `kam` command does the same with a friendlier name."""

from openkam.cli import main

if __name__ == "__main__":
    main()
