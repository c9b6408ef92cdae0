#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A bare checkout with nothing configured is a developer's machine: management commands run in
    # development mode there. Anything with a SECRET_KEY follows its own DEBUG (off unless set), and
    # the web and worker processes (wsgi, celery) never get this default: without a key they refuse.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
